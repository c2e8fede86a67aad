package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/auditlog"
	"github.com/tradescreen/tradescreen/internal/atomicfile"
)

type auditCommand struct{}

const auditHelp = `Reads and checks the audit trail: every screening by monitoring, alert transition and decision, party
import and change, list load and configuration change, with who and when. Each record carries the SHA-256
of its content and of the record before it, so any record edited, deleted or reordered breaks the chain.

  audit verify                 recompute the whole chain; exit status 1 when it is broken. Prints the head
                               hash: keep it elsewhere and pass it later with --head to detect a deletion of
                               the newest records too.
  audit export                 write the records (--from, --to: YYYY-MM-DD or RFC 3339; to is exclusive)
                               as --format csv or json (JSON Lines), to -o FILE or standard output
  audit retention [PERIOD]     show, or set, how long records are kept: 0 (forever, the default), or a
                               period such as 7y, 400d or 8760h. Records are deleted only by 'audit prune'.
  audit prune                  delete the records older than the retention period (nothing when it is 0);
                               the chain stays verifiable from the last deleted record's hash`

func (c *auditCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet(m, "audit", "audit verify|export|retention|prune [flags]", auditHelp)
	sf := addStoreFlags(fs)
	asJSON := fs.Bool("json", false, "verify, retention: print as JSON")
	head := fs.String("head", "", "verify: the head hash recorded earlier; fail unless the chain still contains it")
	from := fs.String("from", "", "export: first day or time (inclusive)")
	to := fs.String("to", "", "export: last day (inclusive) or time (exclusive)")
	format := fs.String("format", "json", "export: csv or json (one JSON object per line)")
	out := fs.String("o", "", "export: output file (default standard output)")
	action := fs.String("action", "", "export: only records of this action (e.g. alert.decision)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("a subcommand is required: verify, export, retention or prune")
	}
	sub, rest := pos[0], pos[1:]
	var filter tradescreen.AuditFilter
	var retention time.Duration
	switch sub {
	case "verify", "prune", "export":
		if len(rest) != 0 {
			return usagef("audit %s takes no arguments", sub)
		}
		if sub == "export" {
			if *format != "csv" && *format != "json" {
				return usagef("--format: want csv or json, got %q", *format)
			}
			if filter.From, err = parseWhen(*from, false); err != nil {
				return usagef("--from: %v", err)
			}
			if filter.To, err = parseWhen(*to, true); err != nil {
				return usagef("--to: %v", err)
			}
			filter.Action = *action
		}
	case "retention":
		if len(rest) > 1 {
			return usagef("audit retention takes at most one PERIOD")
		}
		if len(rest) == 1 {
			if retention, err = parsePeriod(rest[0]); err != nil {
				return usagef("%v", err)
			}
		}
	default:
		return usagef("unknown subcommand %q: want verify, export, retention or prune", sub)
	}
	store, actor, err := sf.open(ctx, m)
	if err != nil {
		return err
	}
	defer store.Close()
	au := store.Audit()
	switch sub {
	case "verify":
		v, err := auditlog.Verify(ctx, au, *head)
		if err != nil {
			return err
		}
		if *asJSON {
			if err := writeJSON(m.Stdout, v); err != nil {
				return err
			}
		} else if v.OK {
			fmt.Fprintf(m.Stdout, "audit trail intact: %d records (%d to %d), head %s\n", v.Events, v.FirstSeq, v.LastSeq, v.Head)
		} else {
			fmt.Fprintf(m.Stdout, "AUDIT TRAIL BROKEN at record %d: %s\n", v.BadSeq, v.Problem)
		}
		if !v.OK {
			return fmt.Errorf("audit trail broken at record %d", v.BadSeq)
		}
	case "export":
		if err := recordAuditExport(ctx, au, actor, *format, *from, *to, filter.Action); err != nil {
			return err
		}
		evs, err := au.FindAuditEvents(ctx, filter)
		if err != nil {
			return err
		}
		return writeAuditExport(m, *out, *format, evs)
	case "retention":
		if len(rest) == 1 {
			if err := au.SetAuditRetention(ctx, actor, retention); err != nil {
				return err
			}
		}
		d, err := au.AuditRetention(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(m.Stdout, map[string]any{"retention": d.String(), "days": int(d.Hours() / 24)})
		}
		if d == 0 {
			fmt.Fprintln(m.Stdout, "audit retention: forever (records are never deleted)")
		} else {
			fmt.Fprintf(m.Stdout, "audit retention: %d days ('audit prune' deletes older records)\n", int(d.Hours()/24))
		}
	case "prune":
		n, err := au.PruneAudit(ctx, actor)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%d audit records deleted\n", n)
	}
	return nil
}

// recordAuditExport refuses an export by a user below the approver role and records the export in the trail,
// as GET /v1/audit/export does (auditlog.ExportEvent). Errors: EFORBIDDEN, the store's.
func recordAuditExport(ctx context.Context, au tradescreen.AuditService, actor tradescreen.Actor, format, from, to, action string) error {
	rec, err := auditlog.ExportEvent(actor, map[string]string{"format": format, "from": from, "to": to, "action": action, "channel": "cli"})
	if err != nil {
		return err
	}
	return au.AppendAudit(ctx, rec)
}

// parseWhen reads YYYY-MM-DD or an RFC 3339 time; a day given as an end bound means the end of that day.
func parseWhen(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not YYYY-MM-DD or an RFC 3339 time", s)
	}
	return t, nil
}

// parsePeriod reads 0, Ny (365 days), Nd or a Go duration.
func parsePeriod(s string) (time.Duration, error) {
	if s == "0" {
		return 0, nil
	}
	for suffix, unit := range map[string]time.Duration{"y": 365 * 24 * time.Hour, "d": 24 * time.Hour} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			v, err := strconv.Atoi(n)
			if err != nil || v < 0 {
				return 0, fmt.Errorf("period %q: want 0, Ny, Nd or a duration like 8760h", s)
			}
			return time.Duration(v) * unit, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("period %q: want 0, Ny, Nd or a duration like 8760h", s)
	}
	return d, nil
}

// writeAuditExport writes the events as CSV or JSON Lines (auditlog.Exporter) to path, atomically (a partial
// export never looks complete; the file and its directory are synced), or to standard output.
func writeAuditExport(m *Main, path, format string, evs []*tradescreen.AuditEvent) error {
	encode := func(w io.Writer) error { return auditlog.WriteExport(w, format, evs) }
	if path == "" {
		return encode(m.Stdout)
	}
	if err := atomicfile.Write(path, 0o644, encode); err != nil {
		return err
	}
	fmt.Fprintf(m.Stderr, "%d audit records written to %s\n", len(evs), path)
	return nil
}
