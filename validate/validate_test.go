package validate

import (
	"bytes"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/schema"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the expected findings of the txtar cases and the golden files")

const casesDir = "../testdata/validate"

// loadCase reads a txtar case: the files of a small dataset, then "want", the exact text
// findings.
func loadCase(t testing.TB, file string) (*txtar.Archive, fstest.MapFS, string) {
	t.Helper()
	a, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	want, hasWant := "", false
	for _, f := range a.Files {
		if f.Name == "want" {
			want, hasWant = string(f.Data), true
			continue
		}
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	if !hasWant {
		t.Fatalf("%s: no -- want -- section", file)
	}
	return a, fsys, want
}

func caseFiles(t *testing.T) []string {
	files, err := filepath.Glob(filepath.Join(casesDir, "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases in %s: %v", casesDir, err)
	}
	return files
}

// TestCases runs every txtar case and compares the text findings exactly.
func TestCases(t *testing.T) {
	for _, file := range caseFiles(t) {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			a, fsys, want := loadCase(t, file)
			r, err := Dataset(fsys, Options{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := WriteText(&got, r); err != nil {
				t.Fatal(err)
			}
			if got.String() == expandVersions(want) {
				return
			}
			if *update {
				for i := range a.Files {
					if a.Files[i].Name == "want" {
						a.Files[i].Data = []byte(versionPlaceholders(got.String()))
					}
				}
				if err := os.WriteFile(file, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			t.Errorf("findings differ (run with -update to accept)\n--- got\n%s--- want\n%s", got.String(), want)
		})
	}
}

// A case's expected findings name the schema versions apmd knows as {versions} and the latest
// as {latest}, so that a new schema version (schema/VERSIONING.md) changes no case.
func expandVersions(want string) string {
	reg := schema.Released()
	return strings.NewReplacer("{versions}", strings.Join(reg.Versions(), ", "), "{latest}", reg.Latest()).Replace(want)
}

func versionPlaceholders(got string) string {
	reg := schema.Released()
	return strings.NewReplacer(strings.Join(reg.Versions(), ", "), "{versions}",
		"against "+reg.Latest()+" meanwhile", "against {latest} meanwhile").Replace(got)
}

var ruleInLine = regexp.MustCompile(`^[^:]+:\d+:\d+: (?:error|warning) ([a-z0-9-]+): `)

// goTested are the rules a txtar case cannot trigger (a txtar archive holds neither links,
// named pipes nor files of megabytes), with the Go test that does.
var goTested = map[string]string{
	"file-not-regular": "TestLinksAndSpecialFiles",
	"file-too-large":   "TestTooLarge",
}

// TestEveryRuleHasFixture checks that each rule is triggered by at least one case.
func TestEveryRuleHasFixture(t *testing.T) {
	seen := map[string]bool{}
	for _, file := range caseFiles(t) {
		_, _, want := loadCase(t, file)
		for _, line := range strings.Split(want, "\n") {
			if m := ruleInLine.FindStringSubmatch(line); m != nil {
				seen[m[1]] = true
			}
		}
	}
	for _, r := range Rules() {
		if !seen[r.ID] && goTested[r.ID] == "" {
			t.Errorf("rule %s has no case in %s that triggers it", r.ID, casesDir)
		}
	}
}

func TestRulesTable(t *testing.T) {
	ids := map[string]bool{}
	idRE := regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	for _, r := range Rules() {
		if ids[r.ID] {
			t.Errorf("rule id %s twice", r.ID)
		}
		ids[r.ID] = true
		if !idRE.MatchString(r.ID) || r.Doc == "" || (r.Severity != Error && r.Severity != Warning) || r.Category == "" {
			t.Errorf("rule %+v: want a kebab-case id, a doc, a severity and a category", r)
		}
	}
	if !slices.IsSortedFunc(rules, func(a, b *Rule) int { return categoryOrder(a.Category) - categoryOrder(b.Category) }) {
		t.Error("rules are not grouped by category")
	}
}

func categoryOrder(c string) int {
	return slices.Index([]string{"files", "schema", "integrity", "evidence", "consistency", "coding"}, c)
}

func TestProgressAndWorkers(t *testing.T) {
	_, fsys, want := loadCase(t, casesDir+"/ref-unresolved.txtar")
	for _, workers := range []int{1, 3, 0} {
		calls, last := 0, 0
		r, err := Dataset(fsys, Options{Workers: workers, Progress: func(done, total int) {
			calls++
			if done != last+1 || total != 6 {
				t.Errorf("progress %d/%d after %d", done, total, last)
			}
			last = done
		}})
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		WriteText(&got, r)
		if calls != 6 || got.String() != want {
			t.Errorf("workers %d: %d progress calls; findings differ:\n%s", workers, calls, got.String())
		}
	}
}

// failingFS fails to read one file, as a disk or permission error would.
type failingFS struct{ fstest.MapFS }

func (f failingFS) Open(name string) (fs.File, error) {
	if name == "groups/grp-front.json" {
		return nil, fs.ErrPermission
	}
	return f.MapFS.Open(name)
}

func (f failingFS) ReadFile(name string) ([]byte, error) { return fs.ReadFile(fsOnly{f}, name) }

// fsOnly hides every method but Open.
type fsOnly struct{ fs.FS }

func TestIOErrorIsAnError(t *testing.T) {
	_, fsys, _ := loadCase(t, casesDir+"/valid.txtar")
	if _, err := Dataset(failingFS{fsys}, Options{}); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("an unreadable file must fail the validation (exit 2), got %v", err)
	}
}

// The tests hold the checks to their declarations: a rule or a fact a check did not declare
// panics.
func init() { strict = true }

// TestChecksDeclareEveryRule: each rule belongs to a check that may report it, and each check
// declares rules that exist.
func TestChecksDeclareEveryRule(t *testing.T) {
	declared := map[*Rule]bool{}
	for _, c := range checks {
		if c.Name == "" || c.Doc == "" || len(c.Rules) == 0 || c.Run == nil && c.Cross == nil {
			t.Errorf("check %q: want a name, a doc, rules and a Run or a Cross", c.Name)
		}
		if (c.Facts != nil) != (c.Cross != nil && c.Run != nil) {
			t.Errorf("check %s: Facts must be declared exactly when Run keeps something for Cross", c.Name)
		}
		for _, r := range c.Rules {
			if !slices.Contains(rules, r) {
				t.Errorf("check %s declares rule %s, which Rules does not list", c.Name, r.ID)
			}
			declared[r] = true
		}
	}
	for _, r := range rules {
		if !declared[r] {
			t.Errorf("rule %s belongs to no check", r.ID)
		}
	}
}

// TestUndeclaredRulePanics: in the tests, a check reporting a rule it does not declare fails.
func TestUndeclaredRulePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("reporting an undeclared rule did not panic")
		}
	}()
	p := &Pass{Record: &datadir.Record{File: "x.json"}, check: placeCheck, rec: &record{}}
	p.Reportf(ruleSchema, "", "not the place check's rule")
}

// TestSelectSkipsChecks: with --select, the checks whose rules are all left out do not run.
func TestSelectSkipsChecks(t *testing.T) {
	_, fsys, _ := loadCase(t, casesDir+"/quote-not-found.txtar")
	ran := map[string]bool{}
	v, err := newValidation(datadir.FromFS(fsys), Options{Rules: RuleFilter{Select: []string{"schema"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range v.checks {
		ran[c.Name] = true
	}
	if !ran["schema"] || !ran["json"] || ran["sources"] || ran["evidence"] || len(ran) != 2 {
		t.Errorf("with --select schema, the checks %v run; want schema and json (which decodes)", ran)
	}
	r, err := Dataset(fsys, Options{Rules: RuleFilter{Select: []string{"schema"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range r.Findings {
		if f.Rule != "schema" && f.Rule != "json-syntax" {
			t.Errorf("a left-out check reported %+v", f)
		}
	}
}
