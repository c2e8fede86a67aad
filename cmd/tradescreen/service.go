package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/config"
	"github.com/tradescreen/tradescreen/history"
	"github.com/tradescreen/tradescreen/ownership"
	"github.com/tradescreen/tradescreen/screen"
	"github.com/tradescreen/tradescreen/screening"
)

// The commands that screen (check, batch, order, compare, monitor) ask one screening service (package
// screening), built here from their flags: the same lists, allow list, ownership data and audit recorder the
// server answers with.

// serviceFlags are the flags shared by the commands that screen.
type serviceFlags struct {
	lists  listFlag
	owners dataFlag
	maxAge time.Duration
	record bool
	// noRecord keeps the service from recording whatever the flag and the environment say (a run whose
	// output file is its record).
	noRecord bool
	// rules is the ownership rules file (monitor --ownership-rules; "" for the embedded rules).
	rules string
	sf    *storeFlags
}

const maxListAgeHelp = "refuse to answer (exit status 3) when a list screened is older than this, e.g. 7d or 720h (default: serve's refuse_list_age and stale_list_age from $TRADESCREEN_CONFIG and the environment, else answer with a warning for lists older than 7 days)"

// addServiceFlags registers --list, --ownership, --max-list-age, --record and the store flags on fs.
// ownershipHelp describes --ownership for the command.
func addServiceFlags(fs *flag.FlagSet, ownershipHelp string) *serviceFlags {
	f := &serviceFlags{sf: addStoreFlags(fs)}
	fs.Var(&f.lists, "list", listHelp)
	fs.Var(&f.owners, "ownership", ownershipHelp)
	fs.Var((*durationFlag)(&f.maxAge), "max-list-age", maxListAgeHelp)
	fs.BoolVar(&f.record, "record", false, "append to the audit trail (default $TRADESCREEN_RECORD)")
	return f
}

// durationFlag is a duration that also takes whole days ("7d").
type durationFlag time.Duration

func (d *durationFlag) String() string { return time.Duration(*d).String() }

func (d *durationFlag) Set(v string) error {
	x, err := parseDays(v)
	if err != nil {
		return err
	}
	*d = durationFlag(x)
	return nil
}

// parseDays reads a duration, "NNd" counting whole days. Errors: not a positive duration.
func parseDays(v string) (time.Duration, error) {
	var d time.Duration
	var err error
	if n, ok := strings.CutSuffix(v, "d"); ok {
		var days int
		if _, err = fmt.Sscanf(n, "%d", &days); err == nil && fmt.Sprint(days) == n {
			d = time.Duration(days) * 24 * time.Hour
		} else {
			err = fmt.Errorf("not a number of days")
		}
	} else {
		d, err = time.ParseDuration(v)
	}
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("want a positive duration such as 7d or 720h, got %q", v)
	}
	return d, nil
}

// service is a command's screening service, who it records as (with --record) and what closes it.
type service struct {
	*screening.Service
	actor tradescreen.Actor
	close func()
}

// newService loads the lists the flags name (the embedded snapshot with the data directory's versions over
// it, and --list files replacing the lists they carry) and returns the service over them: the data
// directory's allow list, --ownership data, --max-list-age, and with record set the store's audit trail as
// recorder, acting as the store flags say. Close it when done.
func newService(ctx context.Context, m *Main, fs *flag.FlagSet, f *serviceFlags) (*service, error) {
	dir := dataDir(m, *f.sf.dataDir)
	l := f.source(m)
	stale, refuse, err := listAges(m)
	if err != nil {
		return nil, err
	}
	cfg := screening.Config{Allow: history.NewAllowSource(dir), PastLists: l.PastLists(), DefaultMaxAge: stale, RefuseOlderThan: refuse}
	if f.maxAge > 0 {
		// The age the user accepts is also the one past which a list is called stale.
		cfg.DefaultMaxAge, cfg.RefuseOlderThan = f.maxAge, f.maxAge
	}
	if f.rules != "" {
		rules, err := ownership.LoadRules(f.rules)
		if err != nil {
			return nil, err
		}
		cfg.OwnershipRules = rules
	}
	out := &service{close: func() {}}
	if !f.noRecord && recordDefault(m, fs, "record", f.record) {
		store, actor, err := f.sf.open(ctx, m)
		if err != nil {
			return nil, fmt.Errorf("record: %w", err)
		}
		cfg.Recorder, out.actor = store.Audit(), actor
		out.close = func() { store.Close() }
	}
	sc, err := l.Load()
	if err != nil {
		out.close()
		return nil, err
	}
	out.Service = screening.NewWith(cfg, sc)
	if len(f.owners) > 0 {
		g, err := loadOwnership(f.owners)
		if err != nil {
			out.close()
			return nil, err
		}
		out.SetOwnership(g, f.owners)
	}
	return out, nil
}

// listAges returns the ages past which a list is stale and past which an answer is refused, as serve reads
// them from its configuration file ($TRADESCREEN_CONFIG) and the environment (TRADESCREEN_STALE_LIST_AGE,
// TRADESCREEN_REFUSE_LIST_AGE): the commands call a list stale, and refuse it, where the server does. The
// defaults are 7 days and never.
func listAges(m *Main) (stale, refuse time.Duration, err error) {
	cfg := config.DefaultConfig()
	if p := m.Getenv("TRADESCREEN_CONFIG"); p != "" {
		if err := cfg.ReadConfigFile(p); err != nil {
			return 0, 0, err
		}
	}
	// Only the ages: the server's other variables (an API key, a database) are not the command's to judge.
	ages := func(k string) string {
		switch k {
		case "TRADESCREEN_STALE_LIST_AGE", "TRADESCREEN_MAX_LIST_AGE", "TRADESCREEN_REFUSE_LIST_AGE":
			return m.Getenv(k)
		}
		return ""
	}
	if err := cfg.ApplyEnv(ages); err != nil {
		return 0, 0, err
	}
	return time.Duration(cfg.MaxListAge), time.Duration(cfg.RefuseListAge), nil
}

// source says where the flags' lists come from.
func (f *serviceFlags) source(m *Main) screening.Lists { return listSource(m, f.lists, *f.sf.dataDir) }

// listSource says where the lists come from (screening.Lists, the one loader): the embedded snapshot, the
// data directory's versions (dir, or the default one) over it, and the --list files replacing the lists
// they carry. Warnings go to standard error.
func listSource(m *Main, lists listFlag, dir string) screening.Lists {
	l := screening.Lists{DataDir: dataDir(m, dir), Warn: func(s string) { fmt.Fprintln(m.Stderr, "warning:", s) }}
	l.Files = append(l.Files, lists...)
	return l
}

// loadScreener loads the lists listSource names with the default data directory.
func loadScreener(m *Main, lists listFlag) (*screen.Screener, error) {
	return listSource(m, lists, "").Load()
}

// Close closes the store the service records to.
func (s *service) Close() { s.close() }

// warnStale prints one warning line on standard error naming the stale lists of an answer.
func warnStale(m *Main, ls []tradescreen.ListStatus) {
	for _, w := range screening.StaleWarning(ls) {
		fmt.Fprintln(m.Stderr, "warning:", w)
	}
}

// listFlagsOf reads KIND=PATH list specifications (the configuration's lists) as --list flags.
func listFlagsOf(lists []string) (listFlag, error) {
	var lf listFlag
	for _, l := range lists {
		if err := lf.Set(l); err != nil {
			return nil, err
		}
	}
	return lf, nil
}
