// Package ofac reads the US Treasury OFAC list files: the SDN CSV set (sdn.csv, add.csv, alt.csv,
// sdn_comments.csv), the non-SDN consolidated CSV set (cons_prim.csv, cons_add.csv, cons_alt.csv,
// cons_comments.csv), SDN.XML and CONSOLIDATED.xml (the sdnList schema) and the enhanced XML
// (SDN_ENHANCED.XML / CONS_ENHANCED.ZIP). Entries map to us_sdn or, for the non-SDN files, to the list of
// their program (us_ssi, us_fse, us_plc, us_cap, us_mbs, us_cmic).
package ofac

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/source"
)

func init() {
	source.Register(source.Format{
		Kind:        "ofac",
		Description: "OFAC: a directory holding the SDN CSV set (sdn.csv, add.csv, alt.csv, sdn_comments.csv) or the non-SDN set (cons_prim.csv ...), or SDN.XML / CONSOLIDATED.xml, or the enhanced XML (.xml or .zip); .gz accepted",
		Open:        Open,
	})
}

// Open reads an OFAC directory (CSV set) or file (a lone sdn.csv or cons_prim.csv, XML, enhanced XML or ZIP),
// gzip-compressed or not. Errors are *tradescreen.Error (EINVALID: not a usable path) or
// *tradescreen.ParseError (malformed content).
func Open(path string) (*source.Dataset, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, tradescreen.Errorf(tradescreen.EINVALID, "ofac: %v", err)
	}
	if st.IsDir() {
		return OpenCSVDir(path)
	}
	b, _, err := source.ReadFile(path)
	if err != nil {
		return nil, err
	}
	name := filepath.Base(path)
	lower := strings.ToLower(strings.TrimSuffix(name, ".gz"))
	switch {
	case strings.HasSuffix(lower, ".zip") || strings.Contains(lower, "enhanced"):
		return ParseEnhanced(b, name)
	case strings.HasSuffix(lower, ".xml"):
		return ParseXML(b, name)
	case strings.HasPrefix(lower, "cons_prim") && strings.HasSuffix(lower, ".csv"):
		return ParseConsCSV(b, nil, nil, nil, name)
	case strings.HasSuffix(lower, ".csv"):
		// A lone sdn.csv (e.g. a dated copy sdn_2022-02-24.csv.gz) without add/alt/comments.
		return ParseSDNCSV(b, nil, nil, nil, name)
	}
	return nil, tradescreen.Errorf(tradescreen.EINVALID, "ofac: %s: expected a directory with the CSV set, an sdn.csv or cons_prim.csv file, an .xml file or an enhanced .zip", name)
}
