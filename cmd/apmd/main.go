// Command apmd validates the APMD dataset and exports it to CSV, XLSX and a Frictionless
// Data Package. main stays thin: each subcommand parses its flags, calls a package and maps
// the result to an exit code.
package main

import (
	"fmt"
	"io"
	"os"
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
		{"validate", "check a dataset (DIR, else ./dataset if present, else the embedded one)", runValidate},
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
	case "-h", "--help", "help":
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "apmd: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "apmd: the Afghanistan–Pakistan Militancy Dataset tool")
	fmt.Fprintln(w, "\nUsage: apmd <command> [flags] [args]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'apmd <command> --help' for a command's flags.")
	fmt.Fprintln(w, "Exit codes: 0 valid (warnings allowed), 1 invalid data, 2 usage, I/O, schema or internal error.")
}
