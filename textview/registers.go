package textview

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/tradescreen/tradescreen"
)

// Parties prints parties of the register as a table: id, name, type, country, version, whether screened with
// its current data (yes, no, or stale) and whether deleted.
func Parties(w io.Writer, list []*tradescreen.Party) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tTYPE\tCOUNTRY\tVERSION\tSCREENED\tSTATUS")
	for _, p := range list {
		screened, status := "no", "active"
		if p.ScreenedHash == p.Hash {
			screened = "yes"
		} else if p.ScreenedHash != "" {
			screened = "stale"
		}
		if p.DeletedAt != nil {
			status = "deleted " + p.DeletedAt.Format("2006-01-02")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", p.ID, p.Name, p.Kind, p.Country, p.Version, screened, status)
	}
	tw.Flush()
}

// Party prints one party of the register: id and name, then each field that is set, one a line.
func Party(w io.Writer, p *tradescreen.Party) {
	fmt.Fprintf(w, "%s  %s\n", p.ID, p.Name)
	field := fieldPrinter(w, "  %-14s %s\n")
	field("type", string(p.Kind))
	field("country", p.Country)
	field("date of birth", p.BirthDate)
	for k, v := range p.Extra {
		field(k, v)
	}
	field("version", fmt.Sprint(p.Version))
	field("created", p.CreatedAt.Format("2006-01-02 15:04:05Z"))
	field("updated", p.UpdatedAt.Format("2006-01-02 15:04:05Z"))
	if p.DeletedAt != nil {
		field("deleted", p.DeletedAt.Format("2006-01-02 15:04:05Z"))
	}
}

// Users prints the users who act through API keys as a table: name, role, creation date and whether
// disabled.
func Users(w io.Writer, list []*tradescreen.User) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tCREATED\tSTATUS")
	for _, u := range list {
		st := "active"
		if u.DisabledAt != nil {
			st = "disabled " + u.DisabledAt.Format("2006-01-02")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Name, u.Role, u.CreatedAt.Format("2006-01-02"), st)
	}
	tw.Flush()
}
