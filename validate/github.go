package validate

import (
	"fmt"
	"io"
	"strings"

	"github.com/apmd-data/apmd/internal/english"
)

// GitHubLimit is how many annotations of one severity GitHub shows for a step; it drops the
// rest (they stay in the log only).
const GitHubLimit = 10

// WriteGitHubStep writes the report for a step of GitHub Actions. Within GitHub's limits
// (GitHubLimit errors and GitHubLimit warnings) it is WriteGitHub. Past them, so that every file
// with findings still gets an annotation, it writes one annotation per file, at the file's first
// error (else its first finding), saying how many more the file has; then every finding in a
// collapsed group of the log.
// The job summary (WriteMarkdown) lists them all.
func WriteGitHubStep(w io.Writer, r *Report) error {
	if r.Stats.Errors <= GitHubLimit && r.Stats.Warnings <= GitHubLimit {
		return WriteGitHub(w, r)
	}
	// One annotation per file: at its first error, else its first finding.
	var firsts []Finding
	count := map[string]int{}
	for _, f := range r.Findings {
		count[f.File]++
		switch n := len(firsts); {
		case n == 0 || firsts[n-1].File != f.File:
			firsts = append(firsts, f)
		case firsts[n-1].Severity != Error && f.Severity == Error:
			firsts[n-1] = f
		}
	}
	for i := range firsts {
		if n := count[firsts[i].File] - 1; n > 0 {
			firsts[i].Message += fmt.Sprintf(" [this file has %d more %s; the job summary lists every finding]", n, english.Noun(n, "finding"))
		}
	}
	if err := WriteGitHub(w, &Report{Findings: firsts}); err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "::group::All %s (more than GitHub shows as annotations)\n", english.Plural(len(r.Findings), "finding"))
	if err := WriteText(&b, r); err != nil {
		return err
	}
	b.WriteString("::endgroup::\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// maxSummaryRows bounds the job summary's table: GitHub keeps at most 1 MiB of a step's summary.
const maxSummaryRows = 1000

// WriteMarkdown writes the report as Markdown for a job summary ($GITHUB_STEP_SUMMARY): its
// verdict, then a table of every finding (up to maxSummaryRows) with its file and line.
func WriteMarkdown(w io.Writer, r *Report, title string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s\n\n%s\n", escapeCell(title), escapeCell(Summary(r)))
	if len(r.Findings) > 0 {
		b.WriteString("\n| file | line | severity | rule | message |\n|---|---:|---|---|---|\n")
		for i, f := range r.Findings {
			if i == maxSummaryRows {
				fmt.Fprintf(&b, "\n%s more not listed here: run apmd validate to see them.\n", english.Plural(len(r.Findings)-i, "finding"))
				break
			}
			msg := f.Message
			if f.Pointer != "" {
				msg += " (at " + f.Pointer + ")"
			}
			fmt.Fprintf(&b, "| `%s` | %d:%d | %s | `%s` | %s |\n", escapeCodeCell(f.File), f.Line, f.Column,
				f.Severity, f.Rule, escapeCell(msg))
		}
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// escapeCodeCell makes a file name safe in a code span of a table cell: no backtick, an escaped
// | (GitHub's tables split on it even in code), and control characters as Go escapes.
func escapeCodeCell(s string) string {
	return EscapeControls(strings.NewReplacer("`", "'", "|", `\|`).Replace(s))
}

// escapeCell makes text safe in a Markdown table cell: no line break, no unescaped |, no HTML,
// and no other control character (written as a Go escape, as in every other format).
func escapeCell(s string) string {
	return EscapeControls(strings.NewReplacer("|", `\|`, "\r", " ", "\n", " ", "<", "&lt;", ">", "&gt;").Replace(s))
}
