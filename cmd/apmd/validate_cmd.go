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
	staged    *bool
	schemaDir *string
}

// validateHelp is apmd validate's --help.
var validateHelp = help{
	usage: "apmd validate [--format text|json|github] [--select RULES] [--ignore RULES] [--quiet] [--path-prefix P] [--schema-dir DIR] [--staged] [DIR | --embedded]",
	about: `Checks a dataset folder: DIR, else the one found from the current folder upward (a folder
dataset/ holding dataset.json, or a folder that holds dataset.json itself, as git finds .git),
else the dataset built into apmd, which it then says on standard error (--embedded asks for it).
Exit codes: 0 valid (warnings allowed), 1 invalid data, 2 usage, I/O or internal error
(go run turns 2 into 1: build apmd with go build -o apmd ./cmd/apmd for the exact code).`,
	examples: []string{
		"apmd validate                     # the dataset of this repository, wherever you are in it",
		"apmd validate --format json DIR   # one JSON document, for scripts",
		"apmd validate --staged            # what the next commit will hold (the pre-commit hook)",
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
	f.staged = fl.Bool("staged", false, "check what git's index holds of the dataset folder (what the next commit will hold), not the files as they are: the pre-commit hook")
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
	t, err := f.target(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "apmd validate: %v\n", err)
		return exitUsage
	}
	defer t.cleanup()
	defer tuneGC(validateLimit)()
	report, err := t.check(stderr, *f.quiet, opts)
	if err != nil {
		fmt.Fprintf(stderr, "apmd validate: %v\n", err)
		return exitUsage
	}
	return f.print(report, t, write, stdout, stderr)
}

// target is the dataset apmd validate checks: a folder, the embedded data, or what git's index
// holds of a folder (--staged).
type target struct {
	dir      string // the folder to check; "" for the embedded data
	name     string // how messages name it
	prefix   string // the path of its files from the repository root
	embedded bool
	staged   bool
	cleanup  func()
}

// target picks the dataset the flags and arguments name.
func (f *validateFlags) target(stderr io.Writer) (target, error) {
	t := target{cleanup: func() {}}
	if *f.embedded {
		switch {
		case f.fl.NArg() > 0 || *f.staged:
			return t, fmt.Errorf("--embedded checks the dataset apmd carries: give neither a folder nor --staged")
		case apmd.Origin() == "":
			return t, fmt.Errorf("--embedded: %w", apmd.ErrNoData)
		}
		if !*f.quiet {
			fmt.Fprintf(stderr, "apmd validate: checking %s\n", embeddedNote())
		}
		return target{name: describe(""), embedded: true, cleanup: t.cleanup}, nil
	}
	dir, err := datasetFolder(f.fl.Args())
	if err != nil || !*f.staged {
		return target{dir: dir, name: describe(dir), prefix: dir, cleanup: t.cleanup}, err
	}
	if dir == "" {
		return t, fmt.Errorf("--staged: no dataset folder here or above (a folder dataset/ holding dataset.json): run it in the repository, or name the folder")
	}
	copyDir, repoPath, cleanup, err := stagedDataset(dir)
	if err != nil {
		return t, err
	}
	return target{dir: copyDir, name: repoPath + " as staged", prefix: repoPath, staged: true, cleanup: cleanup}, nil
}

// check validates the target: the embedded data, a staged copy, or a folder (the embedded data
// when none was found, said on stderr).
func (t target) check(stderr io.Writer, quiet bool, opts validate.Options) (*validate.Report, error) {
	if t.embedded || t.staged {
		return check(t.dir, stderr, quiet, opts)
	}
	return checkDataset(t.dir, stderr, quiet, opts)
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
func (f *validateFlags) print(report *validate.Report, t target, write func(io.Writer, *validate.Report) error, stdout, stderr io.Writer) int {
	report = f.rules.Apply(report)
	shown := report
	if *f.quiet && *f.format != "json" {
		shown = errorsOnly(report)
	}
	// Paths from the repository root: always for the staged copy, for annotations by default.
	switch {
	case f.fl.Changed("path-prefix"):
		shown = shown.WithPathPrefix(filepath.ToSlash(*f.prefix))
	case t.staged || *f.format == "github":
		shown = shown.WithPathPrefix(filepath.ToSlash(t.prefix))
	}
	if err := write(stdout, shown); err != nil {
		fmt.Fprintf(stderr, "apmd validate: write: %v\n", err)
		return exitUsage
	}
	if err := f.jobSummary(shown, t.name); err != nil {
		fmt.Fprintf(stderr, "apmd validate: the job summary: %v\n", err)
		return exitUsage
	}
	if !*f.quiet && *f.format != "json" {
		fmt.Fprintf(stderr, "apmd validate: %s: %s\n", t.name, validate.Summary(report))
	}
	if !report.Valid() {
		return exitInvalid
	}
	return exitOK
}

// jobSummary adds the report to the job summary of a GitHub Actions step, as a Markdown table,
// with --format github when the runner names the file ($GITHUB_STEP_SUMMARY).
func (f *validateFlags) jobSummary(r *validate.Report, name string) error {
	file := os.Getenv("GITHUB_STEP_SUMMARY")
	if *f.format != "github" || file == "" {
		return nil
	}
	out, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if err := validate.WriteMarkdown(out, r, "apmd validate "+name); err != nil {
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
