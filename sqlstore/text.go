package sqlstore

import (
	"strings"
	"unicode/utf8"

	"github.com/tradescreen/tradescreen"
)

// checkText refuses text that PostgreSQL's text type cannot hold, a NUL byte or invalid UTF-8, so that both
// stores refuse it alike with an error naming the field rather than failing inside the database (SQLite would
// keep it, PostgreSQL would answer an internal error). Errors: EINVALID naming the field.
func checkText(field, s string) error {
	if strings.IndexByte(s, 0) >= 0 {
		return tradescreen.Errorf(tradescreen.EINVALID, "%s: contains a NUL byte", field)
	}
	if !utf8.ValidString(s) {
		return tradescreen.Errorf(tradescreen.EINVALID, "%s: not valid UTF-8", field)
	}
	return nil
}

// checkPartyText applies checkText to every stored field of a party: id, name, type, country, date of birth
// and the extra columns' names and values. Errors: EINVALID naming the party and the field ("party C-1:
// name: contains a NUL byte").
func checkPartyText(p *tradescreen.Party) error {
	if err := checkText("id", p.ID); err != nil {
		return tradescreen.Errorf(tradescreen.EINVALID, "party %q: %s", p.ID, tradescreen.ErrorMessage(err))
	}
	prefix := "party " + p.ID + ": "
	for _, f := range []struct{ name, value string }{{"name", p.Name}, {"type", string(p.Kind)}, {"country", p.Country},
		{"date_of_birth", p.BirthDate}} {
		if err := checkText(prefix+f.name, f.value); err != nil {
			return err
		}
	}
	for k, v := range p.Extra {
		if err := checkText(prefix+"column name", k); err != nil {
			return err
		}
		if err := checkText(prefix+k, v); err != nil {
			return err
		}
	}
	return nil
}
