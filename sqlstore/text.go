package sqlstore

import (
	"github.com/tradescreen/tradescreen"
)

// checkText refuses text that PostgreSQL's text type cannot hold, a NUL byte or invalid UTF-8, so that both
// stores refuse it alike with an error naming the field rather than failing inside the database (SQLite would
// keep it, PostgreSQL would answer an internal error). Errors: EINVALID naming the field.
var checkText = tradescreen.CheckText

// checkPartyText applies checkText to every stored field of a party: id, name, type, country, date of birth
// and the extra columns' names and values. Errors: EINVALID naming the party and the field ("party C-1:
// name: contains a NUL byte").
func checkPartyText(p *tradescreen.Party) error {
	if err := checkText("id", p.ID); err != nil {
		return tradescreen.Errorf(tradescreen.EINVALID, "party %q: %s", p.ID, tradescreen.ErrorMessage(err))
	}
	return tradescreen.CheckPartyText(p, "party "+p.ID+": ")
}
