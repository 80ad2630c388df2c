package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/apmd-data/apmd/schema"
	"github.com/spf13/pflag"
)

const schemaUsage = `Usage:
  apmd schema list [--format text|json]          list the schema versions, newest marked
  apmd schema show [--version V] KIND            print one kind's schema exactly as released
                                                 (KIND: %s)
  apmd schema diff [--format text|json] FROM TO  what changed between two versions, whom each
                                                 change breaks, and the least version bump

Every subcommand takes --dir DIR: also read versions from DIR/<version>/ (a version being
prepared, or test fixtures); a released version is never taken from DIR.
`

func runSchema(args []string, stdout, stderr io.Writer) int {
	kinds := schemaKinds()
	if len(args) == 0 {
		fmt.Fprintf(stderr, schemaUsage, strings.Join(kinds, ", "))
		return exitUsage
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprintf(stdout, schemaUsage, strings.Join(kinds, ", "))
		return exitOK
	case "list":
		return schemaList(args[1:], stdout, stderr)
	case "show":
		return schemaShow(args[1:], stdout, stderr, kinds)
	case "diff":
		return schemaDiff(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "apmd schema: unknown subcommand %q\n\n", args[0])
	fmt.Fprintf(stderr, schemaUsage, strings.Join(kinds, ", "))
	return exitUsage
}

// schemaKinds lists what show can print: each record kind's schema and the shared definitions.
func schemaKinds() []string {
	var ks []string
	for _, k := range append([]schema.Kind{schema.Manifest}, schema.Kinds...) {
		ks = append(ks, string(k))
	}
	return append(ks, "defs")
}

// schemaFlags returns a flag set with the options every schema subcommand shares.
func schemaFlags(name string, stderr io.Writer) (*pflag.FlagSet, *string, *string) {
	fl := pflag.NewFlagSet("apmd schema "+name, pflag.ContinueOnError)
	fl.SetOutput(stderr)
	dir := fl.String("dir", "", "also read versions from `DIR`/<version>/*.schema.json")
	format := fl.String("format", "text", "output `format`: text or json")
	return fl, dir, format
}

// parseSchemaFlags parses and checks the shared options and the number of arguments (nargs,
// described by want). When it returns a nil registry, the command is over (after --help or a
// usage error, which it has reported) with the exit code.
func parseSchemaFlags(fl *pflag.FlagSet, args []string, dir, format *string, nargs int, want string, stderr io.Writer) (*schema.Registry, int) {
	if err := fl.Parse(args); errors.Is(err, pflag.ErrHelp) {
		return nil, exitOK // pflag has printed the flags
	} else if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", fl.Name(), err)
		fl.PrintDefaults()
		return nil, exitUsage
	}
	if fl.NArg() != nargs {
		fmt.Fprintf(stderr, "%s: want %s, got %q\n", fl.Name(), want, fl.Args())
		return nil, exitUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "%s: --format %q: want text or json\n", fl.Name(), *format)
		return nil, exitUsage
	}
	if *dir == "" {
		return schema.Released(), exitOK
	}
	if st, err := os.Stat(*dir); err != nil || !st.IsDir() {
		fmt.Fprintf(stderr, "%s: --dir %s: not a readable folder\n", fl.Name(), *dir)
		return nil, exitUsage
	}
	return schema.NewRegistry(schema.FS(), os.DirFS(*dir)), exitOK
}

func schemaList(args []string, stdout, stderr io.Writer) int {
	fl, dir, format := schemaFlags("list", stderr)
	reg, code := parseSchemaFlags(fl, args, dir, format, 0, "no arguments", stderr)
	if reg == nil {
		return code
	}
	released := schema.Released().Versions()
	type entry struct {
		Version  string `json:"version"`
		Latest   bool   `json:"latest"`
		Released bool   `json:"released"`
	}
	var out []entry
	for _, v := range slices.Backward(reg.Versions()) {
		out = append(out, entry{v, v == schema.Released().Latest(), slices.Contains(released, v)})
	}
	if *format == "json" {
		return writeJSON(stdout, stderr, struct {
			Latest   string  `json:"latest"`
			Versions []entry `json:"versions"`
		}{schema.Released().Latest(), out})
	}
	for _, e := range out {
		mark := ""
		switch {
		case e.Latest:
			mark = "  (latest)"
		case !e.Released:
			mark = "  (not released: from " + *dir + ")"
		}
		fmt.Fprintf(stdout, "%s%s\n", e.Version, mark)
	}
	return exitOK
}

func schemaShow(args []string, stdout, stderr io.Writer, kinds []string) int {
	fl, dir, format := schemaFlags("show", stderr)
	fl.MarkHidden("format") // show prints the schema file itself, in no other format
	version := fl.String("version", schema.Released().Latest(), "schema `version` (MAJOR.MINOR.PATCH)")
	want := "one KIND of " + strings.Join(kinds, ", ")
	reg, code := parseSchemaFlags(fl, args, dir, format, 1, want, stderr)
	if reg == nil {
		return code
	}
	if !slices.Contains(kinds, fl.Arg(0)) {
		fmt.Fprintf(stderr, "apmd schema show: want %s, got %q\n", want, fl.Arg(0))
		return exitUsage
	}
	b, err := reg.Raw(*version, schema.Kind(fl.Arg(0)))
	if err != nil {
		fmt.Fprintf(stderr, "apmd schema show: %v\n", err)
		return exitUsage
	}
	if _, err := stdout.Write(b); err != nil {
		fmt.Fprintf(stderr, "apmd schema show: %v\n", err)
		return exitUsage
	}
	return exitOK
}

func schemaDiff(args []string, stdout, stderr io.Writer) int {
	fl, dir, format := schemaFlags("diff", stderr)
	reg, code := parseSchemaFlags(fl, args, dir, format, 2, "two versions, FROM and TO (e.g. apmd schema diff 1.0.0 "+schema.Released().Latest()+")", stderr)
	if reg == nil {
		return code
	}
	var snaps [2]*schema.Snapshot
	for i, v := range fl.Args() {
		if !slices.Contains(reg.Versions(), v) {
			fmt.Fprintf(stderr, "apmd schema diff: unknown schema version %q (known: %s)\n", v, strings.Join(reg.Versions(), ", "))
			return exitUsage
		}
		s, err := schema.ReadSnapshot(reg.FS(), v)
		if err != nil {
			fmt.Fprintf(stderr, "apmd schema diff: %v\n", err)
			return exitUsage
		}
		snaps[i] = s
	}
	report := schema.Diff(snaps[0], snaps[1])
	if *format == "json" {
		return writeJSON(stdout, stderr, report)
	}
	if err := report.WriteText(stdout); err != nil {
		fmt.Fprintf(stderr, "apmd schema diff: %v\n", err)
		return exitUsage
	}
	return exitOK
}

func writeJSON(stdout, stderr io.Writer, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(stderr, "apmd schema: %v\n", err)
		return exitUsage
	}
	return exitOK
}
