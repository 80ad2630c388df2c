package schema_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/apmd-data/apmd"
	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/schema"
	"github.com/apmd-data/apmd/validate"
)

// example holds the worked example of CONTRIBUTING.md: an invented article and its records,
// laid out like a dataset folder.
const example = "../testdata/contributing"

// TestContributingExample does what CONTRIBUTING.md tells a newcomer to do: it adds the worked
// example's files to a copy of the bundled dataset and runs the validator over the result, as
// `apmd validate` does: the example must pass every rule, without a warning.
func TestContributingExample(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, apmd.Data(), dir, false)
	added := copyTree(t, os.DirFS(example), dir, true)

	rep, err := validate.Dir(dir, validate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		t.Errorf("%s:%d:%d: %s %s: %s", f.File, f.Line, f.Column, f.Severity, f.Rule, f.Message)
	}
	entries, err := datadir.List(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, e := range entries {
		if added[e.Path] && e.Kind != "" && e.Kind != schema.Manifest {
			checked++
		}
	}
	if checked != 4 {
		t.Errorf("the validator saw %d new records, want the example's 4 (source, group, incident, claim)", checked)
	}
}

// copyTree copies every file of src into dir and returns the copied paths; with fresh set, a
// file that already exists is an error (the example must add records, not replace them).
func copyTree(t *testing.T, src fs.FS, dir string, fresh bool) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := fs.WalkDir(src, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || strings.HasSuffix(p, ".go") {
			return err
		}
		b, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if _, err := os.Stat(dst); err == nil && fresh {
			t.Errorf("%s already exists in the bundled dataset", p)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		out[p] = true
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestContributingDocMatchesExample keeps CONTRIBUTING.md honest: each file it shows (after a
// "<!-- file: PATH -->" line) is byte for byte the tested file of the example.
func TestContributingDocMatchesExample(t *testing.T) {
	doc, err := os.ReadFile("../CONTRIBUTING.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)<!-- file: (\\S+) -->\n```[a-z]*\n(.*?)```\n").FindAllStringSubmatch(string(doc), -1)
	shown := map[string]bool{}
	for _, b := range blocks {
		want, err := os.ReadFile(filepath.Join(example, b[1]))
		if err != nil {
			t.Errorf("CONTRIBUTING.md shows %s: %v", b[1], err)
			continue
		}
		if b[2] != string(want) {
			t.Errorf("CONTRIBUTING.md shows %s differently from testdata/contributing/%s: change both", b[1], b[1])
		}
		shown[b[1]] = true
	}
	fs.WalkDir(os.DirFS(example), ".", func(p string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && !shown[p] {
			t.Errorf("CONTRIBUTING.md does not show the example's %s", p)
		}
		return err
	})
}
