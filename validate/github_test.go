package validate

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// manyFindings is a report with more errors than GitHub shows as annotations: 12 in a.json, 3
// in b.json (a warning first), 1 warning in c.json.
func manyFindings() *Report {
	r := &Report{}
	add := func(file string, line int, sev Severity) {
		r.Findings = append(r.Findings, Finding{File: file, Line: line, Column: 1, Rule: "schema", Severity: sev,
			Message: fmt.Sprintf("problem at line %d | with a pipe", line)})
	}
	for i := 1; i <= 12; i++ {
		add("dataset/a.json", i, Error)
	}
	add("dataset/b.json", 1, Warning)
	add("dataset/b.json", 2, Error)
	add("dataset/b.json", 3, Error)
	add("dataset/c.json", 1, Warning)
	r.finish()
	return r
}

// TestGitHubStepPastTheLimit: past GitHub's 10 annotations, each file gets one, at its first
// error, saying how many more it has, and the log keeps every finding.
func TestGitHubStepPastTheLimit(t *testing.T) {
	var b bytes.Buffer
	if err := WriteGitHubStep(&b, manyFindings()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	var annotations []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "::error ") || strings.HasPrefix(line, "::warning ") {
			annotations = append(annotations, line)
		}
	}
	want := []string{
		"::error file=dataset/a.json,line=1,col=1,title=schema::problem at line 1 | with a pipe [this file has 11 more findings; the job summary lists every finding]",
		"::error file=dataset/b.json,line=2,col=1,title=schema::problem at line 2 | with a pipe [this file has 2 more findings; the job summary lists every finding]",
		"::warning file=dataset/c.json,line=1,col=1,title=schema::problem at line 1 | with a pipe",
	}
	if strings.Join(annotations, "\n") != strings.Join(want, "\n") {
		t.Errorf("annotations:\n%s\nwant:\n%s", strings.Join(annotations, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(out, "::group::All 16 findings") || strings.Count(out, "dataset/a.json:") != 12 || !strings.HasSuffix(out, "::endgroup::\n") {
		t.Errorf("the log does not keep every finding in a group:\n%s", out)
	}
	// Within the limits, every finding is an annotation, as WriteGitHub writes it.
	small := &Report{Findings: manyFindings().Findings[12:]}
	small.finish()
	var got, plain bytes.Buffer
	WriteGitHubStep(&got, small)
	WriteGitHub(&plain, small)
	if got.String() != plain.String() {
		t.Errorf("within the limits:\n%s\nwant WriteGitHub's:\n%s", got.String(), plain.String())
	}
}

func TestMarkdownSummary(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMarkdown(&b, manyFindings(), "apmd validate dataset"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"### apmd validate dataset\n\ninvalid: 14 errors, 2 warnings",
		"| file | line | severity | rule | message |",
		"| `dataset/a.json` | 12:1 | error | `schema` | problem at line 12 \\| with a pipe |",
		"| `dataset/c.json` | 1:1 | warning | `schema` | problem at line 1 \\| with a pipe |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the summary lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n| `"); n != 16 {
		t.Errorf("%d rows, want 16", n)
	}
}
