package main

import (
	"context"
	"fmt"
	"io"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/monitor"
)

type monitorCommand struct{}

const monitorHelp = `Re-screens the parties register against the loaded lists (the embedded snapshot with the newest versions
from 'lists update' laid over it, or --list files) and raises alerts for new hits.

  monitor run       screen what can have changed since the last run: parties whose data changed (or that
                    were never screened) against every list, and every other party against only the list
                    entries that are new or whose names or ids changed. The first run screens everything.

With --ownership FILE (the ownership data of 'tradescreen ownership', repeatable) every party is also looked
up in the ownership data on each run and evaluated under the 50 % rules in force on the run date
(--ownership-date, default today): a party owned 50 % or more by listed parties under a rule that applies
raises one alert per listed owner, on the owner's entry, with the rule, the ownership path and the licence
in the alert's entry data (and the finding in the audit trail). A change in the ownership data or in the
lists is so taken into account on the next run; re-runs raise no duplicates.

A false positive whose entry or party changed is reopened with the difference. The run, the lists it used
and every party screened in full are recorded in the audit trail. Schedule it after 'lists update', e.g.
daily from cron.

One run at a time per database: a run holds the database's "monitor" lock (on PostgreSQL an advisory lock,
on SQLite a lock file next to the database), which 'tradescreen serve' also takes for the runs it starts
after a list reload. While another run holds it, 'monitor run' exits with status 1 and says so, or with
--wait waits for it to finish and then runs. The lock is freed when its holder exits, even by kill -9.
A run that is interrupted keeps the alerts it stored; the next run stores the rest, none twice.
--progress prints how far the run is to the standard error.`

func (c *monitorCommand) Run(ctx context.Context, m *Main, args []string) error {
	fs := newFlagSet(m, "monitor", "monitor run [--db URL|PATH] [--data-dir DIR] [--list KIND=PATH]... [--full] [--wait] [--progress] [--ownership FILE]... [--ownership-date YYYY-MM-DD] [--ownership-rules FILE] [--verbose] [--json]", monitorHelp)
	// The screening service records nothing itself: the run records what it did.
	svcf := &serviceFlags{sf: addStoreFlags(fs), noRecord: true}
	sf := svcf.sf
	full := fs.Bool("full", false, "screen every party against every list, as on the first run")
	threshold := fs.Float64("threshold", 0, "alert threshold, 0..1 (default: the default alert threshold)")
	asJSON := fs.Bool("json", false, "print the report as JSON, every alert that changed included")
	verbose := fs.Bool("verbose", false, "print every alert that changed, one line each, after the summary")
	wait := fs.Bool("wait", false, "when another run holds the database's monitor lock, wait for it instead of exiting")
	progress := fs.Bool("progress", false, "print progress lines to the standard error")
	fs.Var(&svcf.lists, "list", listHelp)
	fs.Var(&svcf.owners, "ownership", "ownership data (see 'tradescreen ownership'): raise alerts for parties owned 50 % or more by listed parties; repeatable")
	asOf := fs.String("ownership-date", "", "evaluate ownership under the rules in force on this date, YYYY-MM-DD (default today)")
	rulesPath := fs.String("ownership-rules", "", "ownership rules file (default: the built-in rules)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "run" {
		return usagef("want 'monitor run'")
	}
	if *threshold < 0 || *threshold > 1 {
		return usagef("--threshold: %v is outside [0, 1]", *threshold)
	}
	if len(svcf.owners) == 0 && (*asOf != "" || *rulesPath != "") {
		return usagef("--ownership-date and --ownership-rules need --ownership")
	}
	date, err := ownershipDate(*asOf)
	if err != nil {
		return usagef("--ownership-date %q: want YYYY-MM-DD", *asOf)
	}
	store, actor, err := sf.open(ctx, m)
	if err != nil {
		return err
	}
	defer store.Close()
	svcf.rules = *rulesPath
	svc, err := newService(ctx, m, fs, svcf)
	if err != nil {
		return err
	}
	defer svc.Close()
	mon, s, err := svc.Monitor(store, actor)
	if err != nil {
		return err
	}
	mon.Threshold, mon.Full, mon.Date = *threshold, *full, date
	if *progress {
		mon.Progress = func(p monitor.Progress) {
			verb := "screened"
			if p.Phase == "store" {
				verb = "alerts stored for"
			}
			fmt.Fprintf(m.Stderr, "monitor: %s %d of %d parties\n", verb, p.Done, p.Total)
		}
	}
	rep, err := mon.RunLocked(ctx, s, *wait)
	if tradescreen.ErrorCode(err) == tradescreen.ECONFLICT {
		return fmt.Errorf("%w; run again later, or pass --wait to wait for it", err)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(m.Stdout, rep)
	}
	printMonitorReport(m.Stdout, rep, *verbose, *sf.db)
	return nil
}

// printMonitorReport prints a run's summary: the parties screened, the alerts raised and reopened in all and
// per list, and where to see them; every alert that changed, one line each, only when verbose.
func printMonitorReport(w io.Writer, rep *monitor.Report, verbose bool, db string) {
	fmt.Fprintf(w, "%s run over %d parties in %s: %d screened in full", rep.Mode, rep.Parties, rep.Duration.Round(1e6), rep.Rescreened)
	if rep.Mode == "incremental" {
		fmt.Fprintf(w, ", all against %d new and %d changed entries (%d removed)", rep.NewEntries, rep.ChangedEntries, rep.RemovedEntries)
	}
	if rep.OwnershipDate != "" {
		fmt.Fprintf(w, "; ownership on %s: %d party and listed owner pairs owned 50 %% or more", rep.OwnershipDate, rep.OwnershipHits)
	}
	fmt.Fprintf(w, "\n%d alerts created, %d reopened", rep.Created, rep.Reopened)
	if rep.Allowed > 0 {
		fmt.Fprintf(w, ", %d created closed as false positives by the allow list", rep.Allowed)
	}
	fmt.Fprintln(w)
	if perList := rep.PerList(); perList != "" {
		fmt.Fprintf(w, "Per list: %s.\n", perList)
	}
	if verbose {
		for _, ch := range rep.Changes {
			a := ch.Alert
			fmt.Fprintf(w, "  alert %d %-8s %s %q ~ %s %q (%.2f)", a.ID, ch.Action, a.PartyID, a.PartyName, a.Key(), a.EntryName, a.Score)
			if ch.Difference != "" {
				fmt.Fprintf(w, ": %s", ch.Difference)
			}
			fmt.Fprintln(w)
		}
	}
	if rep.Created+rep.Reopened+rep.Allowed > 0 {
		dbFlag := ""
		if db != "" {
			dbFlag = " --db " + db
		}
		fmt.Fprintf(w, "See them: tradescreen alerts list --status open%s, or the Alerts page of tradescreen serve (/alerts).", dbFlag)
		if !verbose {
			fmt.Fprint(w, " --verbose lists them here.")
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Lists: %s.\n", rep.Lists)
}
