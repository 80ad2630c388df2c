package schema

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite golden files and append new releases to SHA256SUMS")

// diffCases are the txtar archives of synthetic schema versions, each with the exact text
// report expected in its "want" file.
const diffCases = "../testdata/schema/diff"

// readCase turns an archive into a file system of versions and returns the two versions,
// oldest first.
func readCase(t *testing.T, file string) (*txtar.Archive, fstest.MapFS, string, string) {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	var versions []string
	for _, f := range ar.Files {
		dir, _, ok := strings.Cut(f.Name, "/")
		if !ok {
			continue
		}
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
		if !slices.Contains(versions, dir) {
			versions = append(versions, dir)
		}
	}
	slices.SortFunc(versions, CompareVersions)
	if len(versions) != 2 {
		t.Fatalf("%s: want two version folders, have %v", file, versions)
	}
	return ar, fsys, versions[0], versions[1]
}

func diffCase(t *testing.T, fsys fstest.MapFS, from, to string) *Report {
	t.Helper()
	a, err := ReadSnapshot(fsys, from)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadSnapshot(fsys, to)
	if err != nil {
		t.Fatal(err)
	}
	return Diff(a, b)
}

func TestDiffGolden(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(diffCases, "*.txtar"))
	if len(files) == 0 {
		t.Fatal("no diff cases")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ar, fsys, from, to := readCase(t, file)
			var got bytes.Buffer
			if err := diffCase(t, fsys, from, to).WriteText(&got); err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(ar.Files, func(f txtar.File) bool { return f.Name == "want" })
			if i < 0 {
				t.Fatalf("%s has no want file", file)
			}
			if *update {
				ar.Files[i].Data = got.Bytes()
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want := string(ar.Files[i].Data); got.String() != want {
				t.Errorf("diff %s %s:\n got:\n%s\nwant:\n%s(run go test ./schema -run TestDiffGolden -update to accept)", from, to, got.String(), want)
			}
		})
	}
}

// TestDiffClassifies pins, independently of the golden text, that each case yields the change
// types it is about and the bump they require, so that an -update cannot silently accept a
// misclassification.
func TestDiffClassifies(t *testing.T) {
	seen := map[*ChangeType]bool{}
	for _, c := range []struct {
		file string
		want []*ChangeType
		bump Bump
	}{
		{"property-added", []*ChangeType{PropertyAdded}, BumpMinor},
		{"required-added", []*ChangeType{RequiredAdded}, BumpMajor},
		{"property-removed", []*ChangeType{PropertyRemoved, PropertyAdded}, BumpMajor},
		{"vocabulary", []*ChangeType{VocabularyNarrowed, VocabularyWidened, DocumentationChanged}, BumpMajor},
		{"type-changed", []*ChangeType{TypeChanged}, BumpMajor},
		{"constraints", []*ChangeType{ConstraintTightened, ConstraintLoosened, KeywordChanged}, BumpMajor},
		{"required-changes", []*ChangeType{NowRequired, NowOptional, EvidenceRequired, EvidenceDropped}, BumpMajor},
		{"documentation", []*ChangeType{DocumentationChanged, VersionConstFollowing, PropertiesReordered}, BumpPatch},
		{"shared-defs", []*ChangeType{PropertyAdded, ConstraintLoosened, KindAdded}, BumpMinor},
		{"manifest", []*ChangeType{PropertyRemoved}, BumpMajor},
		{"kind-removed", []*ChangeType{KindRemoved}, BumpMajor},
		{"format-const", []*ChangeType{FormatChanged, ConstChanged}, BumpMajor},
	} {
		_, fsys, from, to := readCase(t, filepath.Join(diffCases, c.file+".txtar"))
		r := diffCase(t, fsys, from, to)
		for _, w := range c.want {
			if !slices.ContainsFunc(r.Changes, func(ch Change) bool { return ch.Type == w }) {
				t.Errorf("%s: no %s change among %v", c.file, w.Name, r.Changes)
			}
		}
		if got := r.Required(); got != c.bump {
			t.Errorf("%s: required bump %s, want %s", c.file, got, c.bump)
		}
		for _, w := range c.want {
			seen[w] = true
		}
	}
	for _, ct := range ChangeTypes {
		if !seen[ct] {
			t.Errorf("no case exercises the change type %s", ct.Name)
		}
	}
}

func TestDiffBreaks(t *testing.T) {
	_, fsys, from, to := readCase(t, filepath.Join(diffCases, "property-removed.txtar"))
	r := diffCase(t, fsys, from, to)
	var removed *Change
	for i := range r.Changes {
		if r.Changes[i].Type == PropertyRemoved {
			removed = &r.Changes[i]
		}
	}
	if removed == nil || removed.Pointer != "/event_type" || !removed.BreaksRecords() || !removed.BreaksColumns() {
		t.Fatalf("removed property: %+v", removed)
	}
	_, fsys, from, to = readCase(t, filepath.Join(diffCases, "manifest.txtar"))
	for _, c := range diffCase(t, fsys, from, to).Changes {
		if c.BreaksColumns() {
			t.Errorf("a manifest change breaks columns: %+v", c)
		}
	}
}

func TestDiffJSON(t *testing.T) {
	_, fsys, from, to := readCase(t, filepath.Join(diffCases, "required-added.txtar"))
	b, err := json.Marshal(diffCase(t, fsys, from, to))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		From    string
		Changes []struct {
			Kind, Pointer, Change, Bump string
			BreaksRecords               bool `json:"breaks_records"`
		}
		Summary struct {
			Required string `json:"required_bump"`
			Actual   string `json:"actual_bump"`
			Enough   bool
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.From != "1.0.0" || len(doc.Changes) != 1 || doc.Changes[0].Change != "required-property-added" ||
		doc.Changes[0].Pointer != "/kind" || !doc.Changes[0].BreaksRecords || doc.Changes[0].Bump != "major" ||
		doc.Summary.Required != "major" || doc.Summary.Actual != "minor" || doc.Summary.Enough {
		t.Errorf("json report: %s", b)
	}
}

// TestReleasedDiffs checks each step between released versions against what its changes
// require: a minor release that breaks records fails here.
func TestReleasedDiffs(t *testing.T) {
	vs := Released().Versions()
	for i := 1; i < len(vs); i++ {
		a, err := ReadSnapshot(FS(), vs[i-1])
		if err != nil {
			t.Fatal(err)
		}
		b, err := ReadSnapshot(FS(), vs[i])
		if err != nil {
			t.Fatal(err)
		}
		if r := Diff(a, b); !r.Enough() {
			var buf bytes.Buffer
			r.WriteText(&buf)
			t.Errorf("schema %s → %s:\n%s", vs[i-1], vs[i], buf.String())
		}
	}
	if s, err := ReadSnapshot(FS(), Released().Latest()); err != nil || len(Diff(s, s).Changes) != 0 {
		t.Errorf("a version differs from itself (or cannot be read: %v)", err)
	}
}

func TestBumps(t *testing.T) {
	for _, c := range []struct {
		from, to string
		want     Bump
	}{{"1.0.0", "1.0.1", BumpPatch}, {"1.0.0", "1.1.0", BumpMinor}, {"1.9.3", "2.0.0", BumpMajor}, {"1.1.0", "1.0.0", BumpNone}} {
		if got := BumpBetween(c.from, c.to); got != c.want {
			t.Errorf("BumpBetween(%s, %s) = %s, want %s", c.from, c.to, got, c.want)
		}
	}
	if got := NextVersion("1.4.2", BumpMajor); got != "2.0.0" {
		t.Errorf("NextVersion major = %s", got)
	}
	if got := NextVersion("1.4.2", BumpMinor); got != "1.5.0" {
		t.Errorf("NextVersion minor = %s", got)
	}
}

// TestVersioningDocumented keeps the table of change types in VERSIONING.md in step with
// ChangeTypes: every type is documented once, with whom it breaks and the bump it needs.
func TestVersioningDocumented(t *testing.T) {
	doc, err := os.ReadFile("VERSIONING.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{}
	for _, line := range strings.Split(string(doc), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) != 6 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(cells[1]), "`"), "`")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		rows[name] = cells[2:5]
	}
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	for _, ct := range ChangeTypes {
		row, ok := rows[ct.Name]
		if !ok {
			t.Errorf("VERSIONING.md does not document the change type %s", ct.Name)
			continue
		}
		records := strings.TrimPrefix(row[0], "assumed ")
		if records != yes(ct.BreaksRecords) || row[1] != yes(ct.BreaksColumns) || row[2] != ct.Bump.String() {
			t.Errorf("VERSIONING.md documents %s as %v; the code says records %s, columns %s, bump %s",
				ct.Name, row, yes(ct.BreaksRecords), yes(ct.BreaksColumns), ct.Bump)
		}
		delete(rows, ct.Name)
	}
	for name := range rows {
		t.Errorf("VERSIONING.md documents %s, which is not a change type", name)
	}
}
