package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apmd-data/apmd"
	"github.com/apmd-data/apmd/validate"
	"golang.org/x/tools/txtar"
)

// writeCase writes the dataset files of a txtar case of testdata/validate into a folder.
func writeCase(t *testing.T, name string) string {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("..", "..", "testdata", "validate", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range a.Files {
		if f.Name == "want" {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runCmd(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(append([]string{"validate"}, args...), &o, &e)
	return code, o.String(), e.String()
}

func TestValidateEmbedded(t *testing.T) {
	t.Chdir(t.TempDir()) // no dataset here or above: the embedded dataset is checked, and said to be
	code, out, errOut := runCmd("--quiet")
	if code != exitOK {
		t.Fatalf("the bundled dataset is invalid (exit %d):\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "no dataset folder in ") || !strings.Contains(errOut, "checking the dataset apmd was built from, ") {
		t.Errorf("checking the embedded dataset for want of a folder is not said on stderr: %q", errOut)
	}
}

// TestValidateFindsDataset: run from a folder inside a dataset, or beside dataset/, apmd validate
// checks that dataset, never the embedded one (the review's D6: a false pass beside a broken
// record); --embedded asks for the embedded one.
func TestValidateFindsDataset(t *testing.T) {
	repo := t.TempDir()
	broken := writeCase(t, "ref-unresolved")
	if err := os.Rename(broken, filepath.Join(repo, "dataset")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(repo, "docs", "notes"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ from, shown string }{
		{".", "dataset"},
		{"dataset", "."},
		{"dataset/incidents", ".."},
		{"docs/notes", "../../dataset"},
	} {
		t.Run(c.from, func(t *testing.T) {
			t.Chdir(filepath.Join(repo, filepath.FromSlash(c.from)))
			code, out, errOut := runCmd()
			if code != exitInvalid || !strings.Contains(out, "ref-unresolved") || !strings.HasPrefix(errOut, "apmd validate: "+c.shown+": invalid") {
				t.Errorf("from %s: exit %d, stdout %q, stderr %q; want the broken dataset %s checked", c.from, code, out, errOut, c.shown)
			}
		})
	}
	t.Chdir(filepath.Join(repo, "dataset", "incidents"))
	code, _, errOut := runCmd("--embedded")
	if code != exitOK || !strings.Contains(errOut, "checking the dataset apmd was built from") {
		t.Errorf("--embedded: exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := runCmd("--embedded", "."); code != exitUsage {
		t.Errorf("--embedded with a folder: exit %d, want 2", code)
	}
}

func TestValidateExitCodes(t *testing.T) {
	valid := writeCase(t, "valid")
	invalid := writeCase(t, "ref-unresolved")
	warn := writeCase(t, "source-text-orphan")
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{valid}, exitOK},
		{[]string{warn}, exitOK},
		{[]string{invalid}, exitInvalid},
		{[]string{"--format", "json", invalid}, exitInvalid},
		{[]string{"--format", "xml", valid}, exitUsage},
		{[]string{valid, invalid}, exitUsage},
		{[]string{filepath.Join(valid, "missing")}, exitUsage},
		{[]string{filepath.Join(valid, "dataset.json")}, exitUsage},
		{[]string{"--no-such-flag"}, exitUsage},
	} {
		if code, _, errOut := runCmd(c.args...); code != c.code {
			t.Errorf("apmd validate %s: exit %d, want %d\n%s", strings.Join(c.args, " "), code, c.code, errOut)
		}
	}
}

func TestValidateText(t *testing.T) {
	dir := writeCase(t, "source-text-orphan")
	code, out, errOut := runCmd(dir)
	if code != exitOK || !strings.HasPrefix(out, "sources/src-other.txt:1:1: warning source-text-orphan: ") {
		t.Errorf("exit %d, output %q", code, out)
	}
	if !strings.Contains(errOut, "valid: 0 errors, 1 warning") {
		t.Errorf("summary: %q", errOut)
	}
	if code, out, errOut = runCmd("--quiet", dir); out != "" || errOut != "" || code != exitOK {
		t.Errorf("--quiet printed %q %q", out, errOut)
	}
	// --path-prefix names files from the repository root, so that an editor's terminal opens them.
	if _, out, _ = runCmd("--path-prefix", "dataset", dir); !strings.HasPrefix(out, "dataset/sources/src-other.txt:1:1: ") {
		t.Errorf("--path-prefix dataset: %q", out)
	}
}

func TestValidateJSON(t *testing.T) {
	code, out, _ := runCmd("--format", "json", writeCase(t, "ref-unresolved"))
	var doc struct {
		Valid    bool
		Stats    struct{ Files, Records, Errors int }
		Findings []struct {
			File, Rule string
			Line       int
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if code != exitInvalid || doc.Valid || doc.Stats.Errors != len(doc.Findings) || doc.Stats.Records != 5 ||
		doc.Findings[0].Rule != "ref-unresolved" || doc.Findings[0].Line == 0 {
		t.Errorf("exit %d, document %+v", code, doc)
	}
}

func TestValidateGitHubPaths(t *testing.T) {
	dir := writeCase(t, "ref-unresolved")
	t.Chdir(filepath.Dir(dir))
	rel := filepath.Base(dir)
	_, out, _ := runCmd("--format", "github", rel)
	if !strings.HasPrefix(out, "::error file="+rel+"/incidents/inc-quetta-market.json,line=12,col=15,title=ref-unresolved::") {
		t.Errorf("annotations do not name files from the current folder:\n%s", out)
	}
	_, out, _ = runCmd("--format", "github", "--path-prefix", "data/set", rel)
	if !strings.HasPrefix(out, "::error file=data/set/incidents/") {
		t.Errorf("--path-prefix ignored:\n%s", out)
	}
}

func TestValidateListRules(t *testing.T) {
	code, out, _ := runCmd("--list-rules")
	for _, r := range validate.Rules() {
		if !strings.Contains(out, r.ID) {
			t.Errorf("--list-rules lacks %s", r.ID)
		}
	}
	if code != exitOK {
		t.Errorf("exit %d", code)
	}
}

func TestValidateSelectIgnore(t *testing.T) {
	// contributor-refs has one date-precision, one schema and one ref-unresolved error.
	dir := writeCase(t, "contributor-refs")
	for _, c := range []struct {
		args    []string
		code    int
		rules   []string // the rules of the findings printed, in order
		summary string   // the end of the summary line
	}{
		{[]string{"--ignore", "date-precision", dir}, exitInvalid, []string{"schema", "ref-unresolved"},
			"; 1 finding of rules left out by --select/--ignore not shown"},
		// The checks whose rules are all left out do not run: their findings are not counted.
		{[]string{"--select", "ref-unresolved", dir}, exitInvalid, []string{"ref-unresolved"},
			"(6 records); checks not run, all their rules being left out: text, place, schema, evidence, dates, counts, coding, attribution, names, sources, agreement, layout"},
		{[]string{"--select", "schema,ref-unresolved", "--ignore", "schema", dir}, exitInvalid, []string{"ref-unresolved"},
			"(6 records); checks not run, all their rules being left out: text, place, schema, evidence, dates, counts, coding, attribution, names, sources, agreement, layout"},
		{[]string{"--ignore", "date-precision,schema", "--ignore", "ref-unresolved", dir}, exitOK, nil,
			"valid: 0 errors, 0 warnings in 8 files (6 records); 3 findings of rules left out by --select/--ignore not shown"},
	} {
		code, out, errOut := runCmd(c.args...)
		var rules []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if f := strings.Fields(line); len(f) > 2 {
				rules = append(rules, strings.TrimSuffix(f[2], ":"))
			}
		}
		if code != c.code || strings.Join(rules, " ") != strings.Join(c.rules, " ") || !strings.HasSuffix(strings.TrimSpace(errOut), c.summary) {
			t.Errorf("apmd validate %s: exit %d (want %d), rules %v (want %v), stderr %q (want it to end with %q)",
				strings.Join(c.args, " "), code, c.code, rules, c.rules, errOut, c.summary)
		}
	}
	code, out, _ := runCmd("--format", "json", "--ignore", "schema", dir)
	var doc struct {
		Valid bool
		Stats struct{ Errors, Ignored int }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != exitInvalid || doc.Valid || doc.Stats.Errors != 2 || doc.Stats.Ignored != 1 {
		t.Errorf("--format json --ignore schema: exit %d, %+v, %v\n%s", code, doc, err, out)
	}
}

func TestValidateUnknownRule(t *testing.T) {
	valid := writeCase(t, "valid")
	for _, flag := range []string{"--select", "--ignore"} {
		code, out, errOut := runCmd(flag, "ref-unresolve", valid)
		want := `apmd validate: --select/--ignore: no rule has the id "ref-unresolve". Did you mean "ref-unresolved"? The ids are listed by --list-rules`
		if code != exitUsage || out != "" || strings.TrimSpace(errOut) != want {
			t.Errorf("%s ref-unresolve: exit %d, stdout %q, stderr %q; want exit 2 and %q", flag, code, out, errOut, want)
		}
	}
}

func TestVersion(t *testing.T) {
	var o, e bytes.Buffer
	if code := run([]string{"version"}, &o, &e); code != exitOK {
		t.Fatalf("apmd version: exit %d: %s", code, e.String())
	}
	data, err := os.ReadFile(filepath.Join("..", "..", "dataset", "dataset.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Version, Schema_version string }
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(o.String()), "\n")
	want := "data: " + m.Version + " (schema " + m.Schema_version + "), " + apmd.Origin()
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "apmd ") || lines[1] != want || !strings.HasPrefix(lines[2], "schema versions: 1.0.0") {
		t.Errorf("apmd version printed:\n%s\nwant apmd <version>, %q, schema versions: …", o.String(), want)
	}
	if code := run([]string{"version", "extra"}, &o, &e); code != exitUsage {
		t.Errorf("apmd version extra: exit %d, want %d", code, exitUsage)
	}
}

// TestValidateSchemaDir: a draft schema version (here the fixture 1.99.0) can be tried on
// records with --schema-dir.
func TestValidateSchemaDir(t *testing.T) {
	mixed := filepath.Join("..", "..", "testdata", "mixed-versions")
	if code, out, _ := runCmd(mixed); code != exitInvalid || !strings.Contains(out, "schema-version-unknown") {
		t.Errorf("without --schema-dir: exit %d, %q; want the 1.99.0 record unknown", code, out)
	}
	if code, out, errOut := runCmd("--schema-dir", fixtures, mixed); code != exitOK {
		t.Errorf("--schema-dir %s: exit %d\n%s%s", fixtures, code, out, errOut)
	}
	if code, _, errOut := runCmd("--schema-dir", "no/such/folder", mixed); code != exitUsage || !strings.Contains(errOut, "not a readable folder") {
		t.Errorf("--schema-dir of no folder: exit %d, %q", code, errOut)
	}
}

// TestValidateJobSummary: with --format github on a runner, every finding also goes to the job
// summary, as a Markdown table (GitHub shows only 10 annotations of a kind per step).
func TestValidateJobSummary(t *testing.T) {
	summary := filepath.Join(t.TempDir(), "summary.md")
	if err := os.WriteFile(summary, []byte("# earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	dir := writeCase(t, "contributor-messages")
	code, out, _ := runCmd("--format", "github", "--path-prefix", "dataset", dir)
	b, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	if code != exitInvalid || !strings.HasPrefix(md, "# earlier step\n### apmd validate ") || strings.Count(md, "\n| `dataset/") != strings.Count(out, "::error ") {
		t.Errorf("exit %d; the summary does not list the %d annotated findings:\n%s", code, strings.Count(out, "::error "), md)
	}
	if _, _, _ = runCmd("--format", "text", dir); len(md) != len(mustRead(t, summary)) {
		t.Error("--format text wrote to the job summary")
	}
}

func mustRead(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
