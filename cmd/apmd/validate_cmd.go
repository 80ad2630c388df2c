package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/apmd-data/apmd"
	"github.com/apmd-data/apmd/validate"
	"github.com/spf13/pflag"
)

// validateFlags are the flags of apmd validate.
type validateFlags struct {
	fl        *pflag.FlagSet
	format    *string
	listRules *bool
	quiet     *bool
	rules     validate.RuleFilter
	prefix    *string
	embedded  *bool
	schemaDir *string
}

// validateHelp is apmd validate's --help.
var validateHelp = help{
	usage: "apmd validate [--format text|json|github] [--select RULES] [--ignore RULES] [--quiet] [--path-prefix P] [--schema-dir DIR] [DIR | --embedded]",
	about: `Checks a dataset folder: DIR, else the one found from the current folder upward (a folder
dataset/ holding dataset.json, or a folder that holds dataset.json itself, as git finds .git),
else the dataset built into apmd, which it then says on standard error (--embedded asks for it).
Exit codes: 0 valid (warnings allowed), 1 invalid data, 2 usage, I/O or internal error
(go run turns 2 into 1: build apmd with go build -o apmd ./cmd/apmd for the exact code).`,
	examples: []string{
		"apmd validate                     # the dataset of this repository, wherever you are in it",
		"apmd validate --format json DIR   # one JSON document, for scripts",
		"apmd validate --list-rules        # every rule, with what it reports",
	},
}

func newValidateFlags() *validateFlags {
	fl := pflag.NewFlagSet("validate", pflag.ContinueOnError)
	f := &validateFlags{fl: fl}
	f.format = fl.String("format", "text", "output `format`: text, json or github")
	f.listRules = fl.Bool("list-rules", false, "list the rules (id, severity, description) and exit")
	f.quiet = fl.Bool("quiet", false, "print errors only: no warnings and no summary (text and github formats)")
	fl.StringSliceVar(&f.rules.Select, "select", nil, "report only the findings of these `rules` (comma-separated ids, see --list-rules)")
	fl.StringSliceVar(&f.rules.Ignore, "ignore", nil, "leave out the findings of these `rules` (comma-separated ids); the summary counts them, and names the checks left out whole")
	f.prefix = fl.String("path-prefix", "", "prefix of the file paths printed (default: none, but DIR as given for github), so that they are relative to the repository root")
	f.embedded = fl.Bool("embedded", false, "check the dataset apmd carries (built in with -tags bundle, else the one it was built from), not the one found from the current folder upward")
	f.schemaDir = fl.String("schema-dir", "", "also read schema versions from `DIR`/<version>/*.schema.json: try a draft version on records (see schema/VERSIONING.md)")
	return f
}

// runValidate checks a dataset folder (DIR, else the one found upward, else the embedded
// dataset) and prints its findings as text, JSON or GitHub annotations.
func runValidate(args []string, stdout, stderr io.Writer) int {
	f := newValidateFlags()
	if ok, code := parseFlags(f.fl, args, "apmd validate", validateHelp, stdout, stderr); !ok {
		return code
	}
	if *f.listRules {
		return listRules(stdout)
	}
	write := map[string]func(io.Writer, *validate.Report) error{
		"text": validate.WriteText, "json": validate.WriteJSON, "github": validate.WriteGitHubStep,
	}[*f.format]
	if write == nil {
		fmt.Fprintf(stderr, "apmd validate: unknown --format %q: use text, json or github\n", *f.format)
		return exitUsage
	}
	if err := f.rules.Check(); err != nil {
		fmt.Fprintf(stderr, "apmd validate: --select/--ignore: %v\n", err)
		return exitUsage
	}
	if f.fl.NArg() > 1 {
		fmt.Fprintf(stderr, "apmd validate: one dataset folder at most, got %d arguments\n", f.fl.NArg())
		return exitUsage
	}
	opts := validate.Options{Rules: f.rules}
	var err error
	if opts.Schemas, err = schemaRegistry(*f.schemaDir); err != nil {
		fmt.Fprintf(stderr, "apmd validate: --schema-dir: %v\n", err)
		return exitUsage
	}
	defer tuneGC()()
	var report *validate.Report
	dir := ""
	if *f.embedded {
		if f.fl.NArg() > 0 {
			fmt.Fprintf(stderr, "apmd validate: --embedded checks the dataset built into apmd: give no folder too\n")
			return exitUsage
		}
		if apmd.Origin() == "" {
			fmt.Fprintf(stderr, "apmd validate: --embedded: %v\n", apmd.ErrNoData)
			return exitUsage
		}
		if !*f.quiet {
			fmt.Fprintf(stderr, "apmd validate: checking %s\n", embeddedNote())
		}
		report, err = check("", stderr, *f.quiet, opts)
	} else if dir, err = datasetFolder(f.fl.Args()); err != nil {
		fmt.Fprintf(stderr, "apmd validate: %v\n", err)
		return exitUsage
	} else {
		report, err = checkDataset(dir, stderr, *f.quiet, opts)
	}
	if err != nil {
		fmt.Fprintf(stderr, "apmd validate: %v\n", err)
		return exitUsage
	}
	return f.print(report, dir, write, stdout, stderr)
}

// listRules prints the rules, one a line.
func listRules(stdout io.Writer) int {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, r := range validate.Rules() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Category, r.Doc)
	}
	if err := tw.Flush(); err != nil {
		return exitUsage
	}
	return exitOK
}

// print writes the findings the flags keep, then the summary, and returns the exit code.
func (f *validateFlags) print(report *validate.Report, dir string, write func(io.Writer, *validate.Report) error, stdout, stderr io.Writer) int {
	report = f.rules.Apply(report)
	shown := report
	if *f.quiet && *f.format != "json" {
		shown = errorsOnly(report)
	}
	if p := *f.prefix; f.fl.Changed("path-prefix") || *f.format == "github" {
		if !f.fl.Changed("path-prefix") {
			p = dir
		}
		shown = shown.WithPathPrefix(filepath.ToSlash(p))
	}
	if err := write(stdout, shown); err != nil {
		fmt.Fprintf(stderr, "apmd validate: write: %v\n", err)
		return exitUsage
	}
	if err := f.jobSummary(shown, dir); err != nil {
		fmt.Fprintf(stderr, "apmd validate: the job summary: %v\n", err)
		return exitUsage
	}
	if !*f.quiet && *f.format != "json" {
		fmt.Fprintf(stderr, "apmd validate: %s: %s\n", describe(dir), validate.Summary(report))
	}
	if !report.Valid() {
		return exitInvalid
	}
	return exitOK
}

// jobSummary adds the report to the job summary of a GitHub Actions step, as a Markdown table,
// with --format github when the runner names the file ($GITHUB_STEP_SUMMARY).
func (f *validateFlags) jobSummary(r *validate.Report, dir string) error {
	file := os.Getenv("GITHUB_STEP_SUMMARY")
	if *f.format != "github" || file == "" {
		return nil
	}
	out, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if err := validate.WriteMarkdown(out, r, "apmd validate "+describe(dir)); err != nil {
		out.Close()
		return err
	}
	return out.Close()
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
