// Command apmd validates the APMD dataset and exports it to CSV, XLSX and a Frictionless
// Data Package. main stays thin: each subcommand parses its flags, calls a package and maps
// the result to an exit code.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/apmd-data/apmd/internal/suggest"
)

// Exit codes shared by every subcommand.
const (
	exitOK      = 0 // valid (warnings allowed)
	exitInvalid = 1 // the data is invalid
	exitUsage   = 2 // usage, I/O, schema or internal error
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"validate", "check a dataset (DIR, else the one found from here upward, else the embedded one)", runValidate},
		{"export", "validate, then write CSV, XLSX and datapackage.json (default ./dist)", runExport},
		{"schema", "list the released schema versions, print one, diff two", runSchema},
		{"version", "print the tool, data and schema versions", runVersion},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "--help":
		usage(stdout)
		return exitOK
	case "--version":
		return runVersion(args[1:], stdout, stderr)
	case "help":
		if len(args) == 1 {
			usage(stdout)
			return exitOK
		}
		// apmd help validate is apmd validate --help; apmd help schema diff, apmd schema diff --help.
		args = append(args[1:], "--help")
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	hint := ""
	if s := suggest.Closest(args[0], names); s != "" {
		hint = fmt.Sprintf("; did you mean %q?", s)
	}
	fmt.Fprintf(stderr, "apmd: unknown command %q%s\n\n", args[0], hint)
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "apmd: the Afghanistan–Pakistan Militancy Dataset tool")
	fmt.Fprintln(w, "\nUsage: apmd <command> [flags] [args]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'apmd help <command>' (or 'apmd <command> --help') for a command's flags and examples,")
	fmt.Fprintln(w, "'apmd --version' for the versions.")
	fmt.Fprintln(w, "Exit codes: 0 valid (warnings allowed), 1 invalid data, 2 usage, I/O, schema or internal error.")
	fmt.Fprintln(w, "\nExamples:")
	fmt.Fprintln(w, "  apmd validate                 # check the dataset of this repository, from any folder in it")
	fmt.Fprintln(w, "  apmd export --out dist        # validate, then write the tables to dist/")
	fmt.Fprintln(w, "  apmd schema diff 1.0.0 1.1.0  # what changed between two schema versions")
}
