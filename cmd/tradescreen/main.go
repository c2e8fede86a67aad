// Command tradescreen screens people and companies against the official export-control and sanctions
// lists. Run `tradescreen help` for the subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/tradescreen/tradescreen"
	"github.com/tradescreen/tradescreen/screening"
	_ "github.com/tradescreen/tradescreen/source/all" // register every list format
)

// defaultMemoryLimit is the soft memory limit the garbage collector keeps to unless GOMEMLIMIT says
// otherwise: the loaded lists and their index take about 90 MB, and the product's budget is 200 MB resident.
const defaultMemoryLimit = 150 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	os.Exit(m.Run(ctx, os.Args[1:]))
}

// Main is the program: its streams and environment, so tests run the real thing in process.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Ready, when set, receives the address the server listens on (tests use port 0).
	Ready chan<- string
}

// NewMain returns a Main wired to the process's streams and environment.
func NewMain() *Main {
	return &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

// command is one subcommand.
type command interface {
	// Run executes the command with its arguments; a usageError prints the command's usage.
	Run(ctx context.Context, m *Main, args []string) error
}

type commandInfo struct {
	name, summary string
	new           func() command
}

var commands = []commandInfo{
	{"check", "screen one name and show the ranked, explained matches", func() command { return &checkCommand{} }},
	{"order", "screen an order's parties, addresses, destination and licence question", func() command { return &orderCommand{} }},
	{"ownership", "the 50 % rules: listed owners of a party, paths, rule and licence (ownership check|rules)", func() command { return &ownershipCommand{} }},
	{"batch", "screen every row of a CSV or JSONL file", func() command { return &batchCommand{} }},
	{"compare", "score two names against each other, or a CSV of pairs", func() command { return &compareCommand{} }},
	{"lists", "show the loaded lists and their dates (lists show)", func() command { return &listsCommand{} }},
	{"serve", "start the HTTP API and web UI (127.0.0.1:8080 by default)", func() command { return &serveCommand{} }},
	{"healthcheck", "exit 0 when a running server is ready (GET /readyz), for container health checks", func() command { return &healthcheckCommand{} }},
	{"parties", "import, list, update and delete the parties you screen continuously", func() command { return &partiesCommand{} }},
	{"monitor", "re-screen the parties as the lists change and raise alerts (monitor run)", func() command { return &monitorCommand{} }},
	{"alerts", "list, show and decide the alerts monitoring raised", func() command { return &alertsCommand{} }},
	{"audit", "verify and export the tamper-evident audit trail", func() command { return &auditCommand{} }},
	{"users", "add, list and disable API users and their roles", func() command { return &usersCommand{} }},
	{"eval", "measure matching quality on labelled pairs and generated variations", func() command { return &evalCommand{} }},
	{"version", "print the version", func() command { return &versionCommand{} }},
}

// usageError is an error in how a command was called; Run prints it with a pointer to the usage and exits 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{msg: fmt.Sprintf(format, args...)} }

// Run runs the subcommand named by args[0] and returns the exit status: 0 success, 1 failure, 2 usage error,
// 3 an answer refused because a list is older than --max-list-age. check and batch return 0 whether or not
// matches were found.
func (m *Main) Run(ctx context.Context, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) > 1 {
			return m.Run(ctx, []string{args[1], "--help"})
		}
		m.usage(m.Stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands {
		if c.name != args[0] {
			continue
		}
		err := c.new().Run(ctx, m, args[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		}
		var ue *usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(m.Stderr, "tradescreen %s: %s\nRun 'tradescreen %s --help' for usage.\n", c.name, ue.msg, c.name)
			return 2
		}
		fmt.Fprintf(m.Stderr, "tradescreen %s: %s\n", c.name, errorText(err))
		if tradescreen.ErrorCode(err) == tradescreen.ESTALE {
			return 3
		}
		return 1
	}
	fmt.Fprintf(m.Stderr, "tradescreen: unknown command %q\n\n", args[0])
	m.usage(m.Stderr)
	return 2
}

// errorText is the message shown for an error: its whole chain of context, with an application error's
// message in place of its coded form (the CLI user is the operator, so nothing is hidden).
func errorText(err error) string {
	var e *tradescreen.Error
	if errors.As(err, &e) {
		return strings.Replace(err.Error(), e.Error(), e.Message, 1)
	}
	return err.Error()
}

func (m *Main) usage(w io.Writer) {
	fmt.Fprint(w, `tradescreen screens people and companies against the official export-control and sanctions lists
(BIS Entity List and the rest of the US Consolidated Screening List, OFAC SDN and non-SDN lists, UN, UK),
explains each match and shows each entry's licence requirement and Federal Register citations.

Usage:
  tradescreen COMMAND [flags] [arguments]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Examples:
  tradescreen check "Hikvision"
  tradescreen check --type person --country IR --json "Mohammad Qasim"
  tradescreen batch customers.csv -o screened.jsonl
  tradescreen compare "Dahua Technology" "Zhejiang Dahua Technology Co., Ltd."
  tradescreen lists show

The lists compiled into the binary work offline. Pass --list KIND=PATH (repeatable) to screen against
official files you downloaded instead. Run 'tradescreen COMMAND --help' for a command's flags.
`)
}

// newFlagSet returns a flag set that prints usage to the Main's stderr with the command's description.
func newFlagSet(m *Main, name, synopsis, description string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "Usage: tradescreen %s\n\n%s\n\nFlags:\n", synopsis, strings.TrimSpace(description))
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args allowing flags after positional arguments ("check NAME --json"). -h prints the
// command's usage; any other flag error is returned for Run to print once, with a pointer to --help.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	usage, out := fs.Usage, fs.Output()
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	defer func() { fs.Usage = usage; fs.SetOutput(out) }()
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(out)
				usage()
				return nil, err
			}
			return nil, &usageError{msg: err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	return pos, nil
}

// listFlag collects --list KIND=PATH values (screening.ParseListFile).
type listFlag []screening.ListFile

func (l *listFlag) String() string {
	var s []string
	for _, x := range *l {
		s = append(s, x.String())
	}
	return strings.Join(s, ",")
}

func (l *listFlag) Set(v string) error {
	f, err := screening.ParseListFile(v)
	if err != nil {
		return err
	}
	*l = append(*l, f)
	return nil
}

const listHelp = "screen the official list file at PATH, as KIND=PATH: it replaces only the lists it carries (every other list\nstays screened, from the data directory or the embedded snapshot, and the footer says where each came from); repeatable.\nKinds: csl (consolidated.csv or .json, gz or plain), ofac (directory with the SDN CSV set, or SDN.XML),\nun (consolidated.xml), uk (ConList.csv), eu (FSF XML), dpl (dpl.txt), and more: see 'tradescreen lists formats'"

type versionCommand struct{}

func (c *versionCommand) Run(ctx context.Context, m *Main, args []string) error {
	fmt.Fprintln(m.Stdout, "tradescreen", version())
	return nil
}

// version reports the module version and VCS revision stamped by the Go toolchain.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			if len(s.Value) > 12 {
				v += " " + s.Value[:12]
			} else {
				v += " " + s.Value
			}
		case "vcs.modified":
			if s.Value == "true" {
				v += " (modified)"
			}
		}
	}
	return v
}
