package history

import (
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/ownlist"
	"github.com/tradescreen/tradescreen/source"
	"github.com/tradescreen/tradescreen/source/csl"
	"github.com/tradescreen/tradescreen/source/dpl"
	"github.com/tradescreen/tradescreen/source/ecfr"
	"github.com/tradescreen/tradescreen/source/eu"
	"github.com/tradescreen/tradescreen/source/ofac"
	"github.com/tradescreen/tradescreen/source/uk"
	"github.com/tradescreen/tradescreen/source/uksl"
	"github.com/tradescreen/tradescreen/source/un"
)

// Parse reads the bytes of one downloaded file with the reader of kind (csl, ecfr, ofac, un, uk, uksl, eu, dpl, and own_restricted / own_allow for the organisation's own lists); name
// is the file name, which tells the OFAC files apart (SDN.XML, CONSOLIDATED.XML, sdn.csv, cons_prim.csv,
// the enhanced .zip). Errors are *tradescreen.ParseError for bad content and EINVALID for an unknown kind.
func Parse(kind string, b []byte, name string) (*source.Dataset, error) {
	switch kind {
	case "csl":
		return csl.Parse(b, name)
	case "un":
		return un.Parse(b, name)
	case "uk":
		return uk.Parse(b, name)
	case uksl.Kind:
		return uksl.Parse(b, name)
	case "eu":
		return eu.Parse(b, name)
	case "dpl":
		return dpl.ParseDPL(b, name)
	case ecfr.Kind:
		return ecfr.Parse(b, name)
	case ownlist.Restricted, ownlist.Allow:
		return ownlist.Parse(kind, b, name)
	case "ofac":
		lower := strings.ToLower(strings.TrimSuffix(name, ".gz"))
		switch {
		case strings.HasSuffix(lower, ".zip") || strings.Contains(lower, "enhanced"):
			return ofac.ParseEnhanced(b, name)
		case strings.HasSuffix(lower, ".xml"):
			return ofac.ParseXML(b, name)
		case strings.HasPrefix(lower, "cons_prim"):
			return ofac.ParseConsCSV(b, nil, nil, nil, name)
		case strings.HasSuffix(lower, ".csv"):
			return ofac.ParseSDNCSV(b, nil, nil, nil, name)
		}
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "ofac: %s: want SDN.XML, CONSOLIDATED.XML, sdn.csv, cons_prim.csv or an enhanced .zip", name)
	}
	return nil, tradescreen.Errorf(tradescreen.EINVALID, "unknown list kind %q for a download (known: csl, ecfr, ofac, un, uk, uksl, eu, dpl)", kind)
}
