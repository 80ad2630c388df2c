package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/apmd-data/apmd/schema"
	"github.com/spf13/pflag"
)

const schemaUsage = `Usage:
  apmd schema list [--format text|json]          list the schema versions, newest first; a version
                                                 SHA256SUMS does not list is marked a draft
  apmd schema show [--version V] KIND            print one kind's schema exactly as released
                                                 (KIND: %s)
  apmd schema diff [--format text|json] FROM TO  what changed between two versions, whom each
                                                 change breaks, and the least version bump;
                                                 exit 1 when the step FROM → TO is too small

Every subcommand takes --dir DIR: also read versions from DIR/<version>/ (a draft version, or
test fixtures); a version of schema/ is never taken from DIR.

Examples:
  apmd schema list
  apmd schema show incident
  apmd schema diff 1.0.0 1.1.0
`

// The help of each schema subcommand.
var (
	schemaListHelp = help{usage: "apmd schema list [--format text|json] [--dir DIR]",
		about:    "Lists the schema versions, newest first: the latest marked, a draft (a version SHA256SUMS does not\nlist yet, in schema/ or in --dir) marked as such.",
		examples: []string{"apmd schema list", "apmd schema list --dir drafts   # with the versions in drafts/<version>/"}}
	schemaShowHelp = help{usage: "apmd schema show [--version V] [--dir DIR] KIND",
		about:    "Prints one kind's schema (manifest, source, group, incident, claim, or defs) exactly as released.",
		examples: []string{"apmd schema show incident", "apmd schema show --version 1.0.0 defs"}}
	schemaDiffHelp = help{usage: "apmd schema diff [--format text|json] [--dir DIR] FROM TO",
		about: `Lists what changed between two schema versions, whom each change breaks (records, export
columns) and the least version bump the changes need (see schema/VERSIONING.md).
Exit codes: 0 when the step FROM → TO is enough, 1 when it is not, 2 on a usage error.`,
		examples: []string{"apmd schema diff 1.0.0 1.1.0", "apmd schema diff --dir drafts 1.1.0 1.2.0   # a draft against the latest"}}
)

func runSchema(args []string, stdout, stderr io.Writer) int {
	kinds := schemaKinds()
	if len(args) == 0 {
		fmt.Fprintf(stderr, schemaUsage, strings.Join(kinds, ", "))
		return exitUsage
	}
	switch args[0] {
	case "-h", "--help":
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
func schemaFlags(name string) (*pflag.FlagSet, *string, *string) {
	fl := pflag.NewFlagSet("apmd schema "+name, pflag.ContinueOnError)
	dir := fl.String("dir", "", "also read versions from `DIR`/<version>/*.schema.json")
	format := fl.String("format", "text", "output `format`: text or json")
	return fl, dir, format
}

// parseSchemaFlags parses and checks the shared options and the number of arguments (nargs,
// described by want). When it returns a nil registry, the command is over (after --help or a
// usage error, which it has reported) with the exit code.
func parseSchemaFlags(fl *pflag.FlagSet, args []string, dir, format *string, nargs int, want string, h help, stdout, stderr io.Writer) (*schema.Registry, int) {
	if ok, code := parseFlags(fl, args, fl.Name(), h, stdout, stderr); !ok {
		return nil, code
	}
	if fl.NArg() != nargs {
		fmt.Fprintf(stderr, "%s: want %s, got %q\n", fl.Name(), want, fl.Args())
		return nil, exitUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "%s: --format %q: want text or json\n", fl.Name(), *format)
		return nil, exitUsage
	}
	reg, err := schemaRegistry(*dir)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", fl.Name(), err)
		return nil, exitUsage
	}
	return reg, exitOK
}

// schemaRegistry returns the embedded schema versions, with those of dir (laid out
// <version>/*.schema.json) when dir is not "": a draft, or test fixtures.
func schemaRegistry(dir string) (*schema.Registry, error) {
	if dir == "" {
		return schema.Released(), nil
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("--dir %s: not a readable folder", dir)
	}
	return schema.NewRegistry(schema.FS(), os.DirFS(dir)), nil
}

func schemaList(args []string, stdout, stderr io.Writer) int {
	fl, dir, format := schemaFlags("list")
	reg, code := parseSchemaFlags(fl, args, dir, format, 0, "no arguments", schemaListHelp, stdout, stderr)
	if reg == nil {
		return code
	}
	type entry struct {
		Version  string `json:"version"`
		Latest   bool   `json:"latest"`
		Released bool   `json:"released"`
		From     string `json:"from,omitempty"` // the --dir a version comes from
	}
	embedded := schema.Released().Versions()
	latest := ""
	var out []entry
	for _, v := range slices.Backward(reg.Versions()) {
		e := entry{Version: v, Released: schema.Listed(v) && slices.Contains(embedded, v)}
		if !slices.Contains(embedded, v) {
			e.From = *dir
		}
		if e.Released && latest == "" {
			latest, e.Latest = v, true
		}
		out = append(out, e)
	}
	if *format == "json" {
		return writeJSON(stdout, stderr, struct {
			Latest   string  `json:"latest"`
			Versions []entry `json:"versions"`
		}{latest, out})
	}
	for _, e := range out {
		mark := ""
		switch {
		case e.Latest:
			mark = "  (latest)"
		case e.From != "":
			mark = "  (draft, from " + e.From + ")"
		case !e.Released:
			mark = "  (draft: not listed in schema/SHA256SUMS yet)"
		}
		fmt.Fprintf(stdout, "%s%s\n", e.Version, mark)
	}
	return exitOK
}

func schemaShow(args []string, stdout, stderr io.Writer, kinds []string) int {
	fl, dir, format := schemaFlags("show")
	fl.MarkHidden("format") // show prints the schema file itself, in no other format
	version := fl.String("version", schema.Released().Latest(), "schema `version` (MAJOR.MINOR.PATCH)")
	want := "one KIND of " + strings.Join(kinds, ", ")
	reg, code := parseSchemaFlags(fl, args, dir, format, 1, want, schemaShowHelp, stdout, stderr)
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
	fl, dir, format := schemaFlags("diff")
	reg, code := parseSchemaFlags(fl, args, dir, format, 2, "two versions, FROM and TO (e.g. apmd schema diff 1.0.0 "+schema.Released().Latest()+")", schemaDiffHelp, stdout, stderr)
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
		code = writeJSON(stdout, stderr, report)
	} else if err := report.WriteText(stdout); err != nil {
		fmt.Fprintf(stderr, "apmd schema diff: %v\n", err)
		return exitUsage
	}
	if code == exitOK && !report.Enough() {
		return exitInvalid // the step between the versions is smaller than the changes need
	}
	return code
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
