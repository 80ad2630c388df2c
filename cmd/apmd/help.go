package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/apmd-data/apmd/internal/suggest"
	"github.com/spf13/pflag"
)

// help is what a command's --help prints besides its flags: how to call it, what it does, and
// a few examples.
type help struct {
	usage    string   // the usage line(s), without "Usage: "
	about    string   // what the command does (lines)
	examples []string // "command line  # what it does"
}

// write prints the help of a command whose flags are fl (nil for none) on w.
func (h help) write(w io.Writer, fl *pflag.FlagSet) {
	fmt.Fprintf(w, "Usage: %s\n", h.usage)
	if h.about != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(h.about, "\n"))
	}
	if fl != nil && fl.HasAvailableFlags() {
		fmt.Fprintf(w, "\nFlags:\n%s", flagUsages(fl))
	}
	if len(h.examples) > 0 {
		fmt.Fprintln(w, "\nExamples:")
		for _, e := range h.examples {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
}

// flagUsages lists the flags of fl, one a line and aligned, as pflag does, but with a switch
// shown as the plain --quiet it is written as (pflag shows --quiet[=true|false]).
func flagUsages(fl *pflag.FlagSet) string {
	type line struct{ left, usage string }
	var lines []line
	width := 0
	fl.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		left := "      --" + f.Name
		if f.Shorthand != "" {
			left = "  -" + f.Shorthand + ", --" + f.Name
		}
		name, usage := pflag.UnquoteUsage(f)
		if name != "" {
			left += " " + name
		}
		if f.Value.Type() != "bool" && f.DefValue != "" && f.DefValue != "[]" && f.DefValue != "0" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		lines = append(lines, line{left, usage})
		width = max(width, len(left))
	})
	var b strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&b, "%-*s   %s\n", width, l.left, l.usage)
	}
	return b.String()
}

// parseFlags parses a command's arguments. It returns false when the command is over, with
// its exit code: after --help, printed on stdout (exit 0), or after a usage error, printed on
// stderr with the flag meant when a flag is mistyped (exit 2).
func parseFlags(fl *pflag.FlagSet, args []string, name string, h help, stdout, stderr io.Writer) (bool, int) {
	fl.SetOutput(io.Discard) // parseFlags says what went wrong, once
	fl.Usage = func() {}
	err := fl.Parse(args)
	switch {
	case errors.Is(err, pflag.ErrHelp):
		h.write(stdout, fl)
		return false, exitOK
	case err != nil:
		fmt.Fprintf(stderr, "%s: %s (see %s --help)\n", name, flagError(fl, err), name)
		return false, exitUsage
	}
	return true, exitOK
}

// flagError says what is wrong with a command's flags, suggesting the flag a mistyped one meant.
func flagError(fl *pflag.FlagSet, err error) string {
	msg := err.Error()
	var names []string
	fl.VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	if bad, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
		if s := suggest.Closest(bad, names); s != "" {
			return fmt.Sprintf("unknown flag --%s; did you mean --%s?", bad, s)
		}
		return fmt.Sprintf("unknown flag --%s", bad)
	}
	return msg
}

// helpRequested reports whether a command's arguments ask for its help.
func helpRequested(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if a == "-h" || a == "--help" {
			return true
		}
	}
	return false
}
