// Command apmd-synth writes a large synthetic APMD dataset, for benchmarks and for testing
// the validator at scale:
//
//	apmd-synth --incidents 200000 --seed 1 [--break 0.01] [--break-kinds a,b] --out DIR [--force]
//
// The output is the same for the same flags. With --break, a share of the records is
// corrupted and DIR/.breaks.json lists each broken file with the rule that must report it.
// Exit codes: 0 written, 2 usage or I/O error.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/apmd-data/apmd/internal/synth"
)

const (
	exitOK    = 0
	exitUsage = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fl := pflag.NewFlagSet("apmd-synth", pflag.ContinueOnError)
	fl.SetOutput(stderr)
	var (
		opts      synth.Options
		out       string
		force     bool
		listKinds bool
	)
	fl.IntVar(&opts.Incidents, "incidents", 1000, "number of incidents (claims, groups and sources follow from it)")
	fl.Uint64Var(&opts.Seed, "seed", 1, "random seed: the same flags write the same files")
	fl.Float64Var(&opts.Break, "break", 0, "share of records to corrupt, from 0 to 1 (listed in DIR/"+synth.BreaksFile+")")
	fl.StringSliceVar(&opts.BreakKinds, "break-kinds", nil, "corrupt only in these ways (default: all; see --list-breaks)")
	fl.StringVar(&out, "out", "", "folder to write (required; must be empty or absent unless --force)")
	fl.BoolVar(&force, "force", false, "write into a non-empty --out folder (its files of the same names are replaced)")
	fl.BoolVar(&listKinds, "list-breaks", false, "list the ways records can be broken, with the validator rule each must trigger")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: apmd-synth --incidents N --seed S [--break SHARE] --out DIR [--force]")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return exitOK
		}
		fmt.Fprintf(stderr, "apmd-synth: %v\n", err)
		fl.Usage()
		return exitUsage
	}
	if listKinds {
		listBreaks(stdout)
		return exitOK
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "apmd-synth: unexpected argument %q (the folder is given with --out)\n", fl.Arg(0))
		return exitUsage
	}
	if out == "" {
		fmt.Fprintln(stderr, "apmd-synth: --out DIR is required")
		fl.Usage()
		return exitUsage
	}
	return write(out, force, opts, stderr)
}

// listBreaks prints the ways records can be broken, with the rule each must trigger.
func listBreaks(stdout io.Writer) {
	for _, k := range synth.BreakKinds() {
		var kinds []string
		for _, kk := range k.Kinds {
			kinds = append(kinds, string(kk))
		}
		fmt.Fprintf(stdout, "%-24s %-24s %s (%s)\n", k.Name, k.Rule, k.Doc, strings.Join(kinds, ", "))
	}
}

// write generates the dataset into out, which must be empty or absent unless force is set.
func write(out string, force bool, opts synth.Options, stderr io.Writer) int {
	entries, err := os.ReadDir(out)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(stderr, "apmd-synth: %v\n", err)
		return exitUsage
	}
	if len(entries) > 0 && !force {
		fmt.Fprintf(stderr, "apmd-synth: %s is not empty: choose another --out, or add --force to write into it\n", out)
		return exitUsage
	}
	start := time.Now()
	if err := generate(out, len(entries) > 0, opts); err != nil {
		fmt.Fprintf(stderr, "apmd-synth: %v\n", err)
		return exitUsage
	}
	src, grp, clm := synth.Counts(opts.Incidents)
	fmt.Fprintf(stderr, "apmd-synth: wrote %d incidents, %d claims, %d groups and %d sources to %s in %.1fs\n",
		opts.Incidents, clm, grp, src, out, time.Since(start).Seconds())
	return exitOK
}

// generate writes the dataset. Into a new or empty folder, it writes beside it and renames
// the result into place, so that an interrupted run leaves no half-written dataset; into a
// non-empty folder (--force) it writes in place.
func generate(out string, inPlace bool, opts synth.Options) error {
	if inPlace {
		return synth.Generate(out, opts)
	}
	parent := filepath.Dir(filepath.Clean(out))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, ".apmd-synth-*")
	if err != nil {
		return err
	}
	if err := synth.Generate(tmp, opts); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.Remove(out); err != nil && !errors.Is(err, os.ErrNotExist) {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	return nil
}
