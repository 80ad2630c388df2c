package main

import (
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"

	"github.com/apmd-data/apmd/validate"
	"github.com/spf13/pflag"
)

// runValidate checks a dataset folder (DIR, else ./dataset when present, else the embedded
// dataset) and prints its findings as text, JSON or GitHub annotations.
func runValidate(args []string, stdout, stderr io.Writer) int {
	fl := pflag.NewFlagSet("validate", pflag.ContinueOnError)
	fl.SetOutput(stderr)
	format := fl.String("format", "text", "output format: text, json or github")
	listRules := fl.Bool("list-rules", false, "list the rules (id, severity, description) and exit")
	quiet := fl.Bool("quiet", false, "print errors only: no warnings and no summary (text and github formats)")
	var rf validate.RuleFilter
	fl.StringSliceVar(&rf.Select, "select", nil, "report only the findings of these rules (comma-separated ids, see --list-rules)")
	fl.StringSliceVar(&rf.Ignore, "ignore", nil, "leave out the findings of these rules (comma-separated ids); the summary counts them, and names the checks left out whole")
	prefix := fl.String("path-prefix", "", "prefix of the file paths in github annotations (default: DIR as given), so that they are relative to the repository root")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "Usage: apmd validate [--format text|json|github] [--select RULES] [--ignore RULES] [--list-rules] [--quiet] [--path-prefix P] [DIR]")
		fmt.Fprintln(stderr, "\nChecks a dataset folder: DIR, else ./dataset when present, else the dataset built into apmd.")
		fmt.Fprintln(stderr, "Exit codes: 0 valid (warnings allowed), 1 invalid data, 2 usage, I/O or internal error.\n\nFlags:")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if err == pflag.ErrHelp {
			return exitOK
		}
		return exitUsage
	}
	if *listRules {
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		for _, r := range validate.Rules() {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Category, r.Doc)
		}
		if err := tw.Flush(); err != nil {
			return exitUsage
		}
		return exitOK
	}
	write := map[string]func(io.Writer, *validate.Report) error{
		"text": validate.WriteText, "json": validate.WriteJSON, "github": validate.WriteGitHub,
	}[*format]
	if write == nil {
		fmt.Fprintf(stderr, "apmd validate: unknown --format %q: use text, json or github\n", *format)
		return exitUsage
	}
	if err := rf.Check(); err != nil {
		fmt.Fprintf(stderr, "apmd validate: --select/--ignore: %v\n", err)
		return exitUsage
	}
	if fl.NArg() > 1 {
		fmt.Fprintf(stderr, "apmd validate: one dataset folder at most, got %d arguments\n", fl.NArg())
		return exitUsage
	}

	dir, err := datasetFolder(fl.Args())
	if err != nil {
		fmt.Fprintf(stderr, "apmd validate: %v\n", err)
		return exitUsage
	}
	defer tuneGC()()
	report, err := checkDataset(dir, stderr, *quiet, validate.Options{Rules: rf})
	if err != nil {
		fmt.Fprintf(stderr, "apmd validate: %v\n", err)
		return exitUsage
	}
	report = rf.Apply(report)
	shown := report
	if *quiet && *format != "json" {
		shown = errorsOnly(report)
	}
	if *format == "github" {
		p := dir
		if fl.Changed("path-prefix") {
			p = *prefix
		}
		shown = shown.WithPathPrefix(filepath.ToSlash(p))
	}
	if err := write(stdout, shown); err != nil {
		fmt.Fprintf(stderr, "apmd validate: write: %v\n", err)
		return exitUsage
	}
	if !*quiet && *format != "json" {
		where := describe(dir)
		fmt.Fprintf(stderr, "apmd validate: %s: %s\n", where, validate.Summary(report))
	}
	if !report.Valid() {
		return exitInvalid
	}
	return exitOK
}

func errorsOnly(r *validate.Report) *validate.Report {
	out := *r
	out.Findings = nil
	for _, f := range r.Findings {
		if f.Severity == validate.Error {
			out.Findings = append(out.Findings, f)
		}
	}
	return &out
}
