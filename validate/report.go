package validate

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/apmd-data/apmd/internal/english"
)

// Finding is one problem, at the place a contributor has to edit.
type Finding struct {
	// File is slash-separated and relative to the dataset folder.
	File string
	// Line and Column are 1-based; Column counts characters, as editors do.
	Line, Column int
	// Pointer is the JSON pointer of the offending value ("" for a whole file).
	Pointer  string
	Rule     string
	Severity Severity
	Message  string
}

// Stats counts what was checked.
type Stats struct {
	// Files counts every file of the dataset folder; Records the record files that decoded.
	Files, Records int
	// ByKind counts the decoded records of each kind ("source", "group", "incident", "claim").
	ByKind           map[string]int
	Errors, Warnings int
	// Ignored counts the findings a RuleFilter left out (not in Findings, Errors or Warnings).
	Ignored int
	// Skipped names the checks that did not run because a RuleFilter left out all their rules.
	Skipped []string
}

// Report is the outcome of a validation: findings de-duplicated and sorted by file, line,
// column and rule.
type Report struct {
	Findings []Finding
	Stats    Stats
}

// Valid reports whether no finding is an error (warnings are allowed).
func (r *Report) Valid() bool {
	for _, f := range r.Findings {
		if f.Severity == Error {
			return false
		}
	}
	return true
}

// WithPathPrefix returns a copy of the report whose file paths start with prefix, so that
// annotations name files relative to a repository root rather than to the dataset folder.
func (r *Report) WithPathPrefix(prefix string) *Report {
	out := *r
	out.Findings = slices.Clone(r.Findings)
	if prefix == "" || prefix == "." {
		return &out
	}
	for i := range out.Findings {
		out.Findings[i].File = path.Join(prefix, out.Findings[i].File)
	}
	return &out
}

func compareFindings(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Pointer, b.Pointer),
		cmp.Compare(a.Message, b.Message),
	)
}

// RuleFilter chooses findings by rule id, as `apmd validate --select/--ignore` does: when
// Select is not empty only its rules are kept, then the rules in Ignore are left out. Given to
// Dataset (Options.Rules), it also spares the checks whose rules are all left out.
type RuleFilter struct {
	Select, Ignore []string
}

// Check reports the first id of the filter that names no rule, with the closest rule id.
func (rf RuleFilter) Check() error {
	ids := make([]string, len(rules))
	for i, r := range rules {
		ids[i] = r.ID
	}
	for _, id := range slices.Concat(rf.Select, rf.Ignore) {
		if !slices.Contains(ids, id) {
			return fmt.Errorf("no rule has the id %q.%s The ids are listed by --list-rules", id, didYouMean(id, ids))
		}
	}
	return nil
}

// keeps reports whether the filter keeps the findings of a rule.
func (rf RuleFilter) keeps(id string) bool {
	return (len(rf.Select) == 0 || slices.Contains(rf.Select, id)) && !slices.Contains(rf.Ignore, id)
}

// leavesOut reports whether the filter leaves out every rule of a check.
func (rf RuleFilter) leavesOut(c *Check) bool {
	for _, r := range c.Rules {
		if rf.keeps(r.ID) {
			return false
		}
	}
	return true
}

// Apply returns a copy of r holding only the findings the filter keeps, counted again; the
// findings left out are counted in Stats.Ignored.
func (rf RuleFilter) Apply(r *Report) *Report {
	out := *r
	out.Findings = nil
	for _, f := range r.Findings {
		if rf.keeps(f.Rule) {
			out.Findings = append(out.Findings, f)
		} else {
			out.Stats.Ignored++
		}
	}
	out.count()
	return &out
}

// finish sorts and de-duplicates the findings and counts them.
func (r *Report) finish() {
	slices.SortFunc(r.Findings, compareFindings)
	r.Findings = slices.Compact(r.Findings)
	r.count()
}

// count sets Stats.Errors and Stats.Warnings from the findings.
func (r *Report) count() {
	r.Stats.Errors, r.Stats.Warnings = 0, 0
	for _, f := range r.Findings {
		if f.Severity == Error {
			r.Stats.Errors++
		} else {
			r.Stats.Warnings++
		}
	}
}

// WriteText writes one line per finding: file:line:col: severity RULE: message (at /pointer).
// A file name holding a control character (a line break, ESC) is written quoted, as a Go
// string, and such characters in the message or the pointer are escaped: a file of the dataset
// can neither forge a finding line nor send a terminal its escape sequences.
func WriteText(w io.Writer, r *Report) error {
	var b strings.Builder
	for _, f := range r.Findings {
		file := f.File
		if hasControl(file) {
			file = strconv.Quote(file)
		}
		fmt.Fprintf(&b, "%s:%d:%d: %s %s: %s", file, f.Line, f.Column, f.Severity, f.Rule, EscapeControls(f.Message))
		if f.Pointer != "" {
			fmt.Fprintf(&b, " (at %s)", EscapeControls(f.Pointer))
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// hasControl reports whether s holds a control character (C0, DEL, C1) or a line or paragraph
// separator.
func hasControl(s string) bool {
	return strings.IndexFunc(s, isControl) >= 0
}

func isControl(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' }

// EscapeControls writes each control character of s (C0, DEL, C1, U+2028, U+2029) as a Go
// escape (\n, \x1b, \u0085), for one line of a terminal or a log; the rest is kept.
func EscapeControls(s string) string {
	if !hasControl(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Summary is the one-line outcome printed after the findings, e.g.
// "invalid: 2 errors, 1 warning in 14 files (9 records)".
func Summary(r *Report) string {
	verdict := "valid"
	if !r.Valid() {
		verdict = "invalid"
	}
	s := fmt.Sprintf("%s: %s, %s in %s (%s)", verdict,
		english.Plural(r.Stats.Errors, "error"), english.Plural(r.Stats.Warnings, "warning"),
		english.Plural(r.Stats.Files, "file"), english.Plural(r.Stats.Records, "record"))
	if r.Stats.Ignored > 0 {
		s += fmt.Sprintf("; %s of rules left out by --select/--ignore not shown", english.Plural(r.Stats.Ignored, "finding"))
	}
	if len(r.Stats.Skipped) > 0 {
		s += fmt.Sprintf("; checks not run, all their rules being left out: %s", strings.Join(r.Stats.Skipped, ", "))
	}
	return s
}

// jsonReport is the documented shape of --format json (see docs/validate.md); field names are stable.
type jsonReport struct {
	Valid    bool          `json:"valid"`
	Stats    jsonStats     `json:"stats"`
	Findings []jsonFinding `json:"findings"`
}

type jsonStats struct {
	Files    int            `json:"files"`
	Records  int            `json:"records"`
	ByKind   map[string]int `json:"by_kind"`
	Errors   int            `json:"errors"`
	Warnings int            `json:"warnings"`
	Ignored  int            `json:"ignored"`
}

type jsonFinding struct {
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Pointer  string   `json:"pointer"`
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Message  string   `json:"message"`
}

// WriteJSON writes the report as one JSON document: {"valid", "stats", "findings"}.
func WriteJSON(w io.Writer, r *Report) error {
	doc := jsonReport{
		Valid: r.Valid(),
		Stats: jsonStats{Files: r.Stats.Files, Records: r.Stats.Records, ByKind: r.Stats.ByKind,
			Errors: r.Stats.Errors, Warnings: r.Stats.Warnings, Ignored: r.Stats.Ignored},
		Findings: make([]jsonFinding, len(r.Findings)),
	}
	if doc.Stats.ByKind == nil {
		doc.Stats.ByKind = map[string]int{}
	}
	for i, f := range r.Findings {
		doc.Findings[i] = jsonFinding(f)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

// WriteGitHub writes one GitHub Actions workflow command per finding
// (::error file=…,line=…,col=…,title=RULE::message), which GitHub shows as an annotation on
// the file's line. File paths must be relative to the repository root: see WithPathPrefix.
func WriteGitHub(w io.Writer, r *Report) error {
	var b strings.Builder
	for _, f := range r.Findings {
		msg := f.Message
		if f.Pointer != "" {
			msg += " (at " + f.Pointer + ")"
		}
		fmt.Fprintf(&b, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", f.Severity,
			escapeProperty(f.File), f.Line, f.Column, escapeProperty(f.Rule), escapeData(msg))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// escapeData escapes a workflow command's message as the Actions runner expects; the other
// control characters (an ESC in a file name) are written as Go escapes, never raw.
func escapeData(s string) string {
	return EscapeControls(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s))
}

// escapeProperty escapes a workflow command's property value: also ':' and ','.
func escapeProperty(s string) string {
	return EscapeControls(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s))
}
