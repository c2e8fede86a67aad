// Command gen writes snapshot/data/parsed.bin: the datasets the readers make of the embedded official list
// files, in the compact form snapshot.Load decodes. `go generate ./snapshot` runs it after a list file or a
// reader changes; TestEncodedUpToDate fails until it has.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/tradescreen/tradescreen/snapshot"
)

func main() {
	out := flag.String("o", "data/parsed.bin", "file to write")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "Usage: go run ./internal/gen [-o FILE]  (from the snapshot directory)\n\n"+
			"Parses the embedded official list files with their readers and writes their datasets in the\n"+
			"compact form snapshot.Load decodes at start-up.\n\nFlags:\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	var b bytes.Buffer
	if err := snapshot.Encode(&b); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %s (%d bytes)\n", *out, b.Len())
}
