package tradescreen

import (
	"strings"
	"unicode/utf8"
)

// CheckText refuses text that a database cannot hold as it is: a NUL byte (PostgreSQL refuses it) or invalid
// UTF-8. Errors: EINVALID naming field.
func CheckText(field, s string) error {
	if strings.IndexByte(s, 0) >= 0 {
		return Errorf(EINVALID, "%s: contains a NUL byte", field)
	}
	if !utf8.ValidString(s) {
		return Errorf(EINVALID, "%s: not valid UTF-8", field)
	}
	return nil
}

// CheckPartyText applies CheckText to every stored field of a party: id, name, type, country, date of birth
// and the extra columns' names and values, each named after prefix ("party C-1: name"). Errors: EINVALID.
func CheckPartyText(p *Party, prefix string) error {
	for _, f := range []struct{ name, value string }{{"id", p.ID}, {"name", p.Name}, {"type", string(p.Kind)},
		{"country", p.Country}, {"date_of_birth", p.BirthDate}} {
		if err := CheckText(prefix+f.name, f.value); err != nil {
			return err
		}
	}
	for k, v := range p.Extra {
		if err := CheckText(prefix+"column name", k); err != nil {
			return err
		}
		if err := CheckText(prefix+k, v); err != nil {
			return err
		}
	}
	return nil
}
