package screen_test

import (
	"github.com/tradescreen/tradescreen/internal/testlists"
	"github.com/tradescreen/tradescreen/screen"
)

// testScreener screens against three real entries, one of each kind of list.
func testScreener() *screen.Screener { return testlists.Three() }
