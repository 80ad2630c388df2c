package schema_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/apmd-data/apmd/dataset"
	"github.com/apmd-data/apmd/schema"
)

// example holds the worked example of CONTRIBUTING.md: an invented article and its records,
// laid out like a dataset folder.
const example = "../testdata/contributing"

// TestContributingExample does what CONTRIBUTING.md tells a newcomer to do: it adds the worked
// example's files to a copy of the bundled dataset, then checks the new records against the
// schema version they declare, their quotes against the stored text, the text against its
// SHA-256, and that every fact-bearing value is supported or inferred.
func TestContributingExample(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, dataset.Embedded(), dir, false)
	added := copyTree(t, os.DirFS(example), dir, true)

	d, errs := dataset.Load(os.DirFS(dir))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	texts := map[string]string{} // source id → stored text
	for _, r := range d.OfKind(schema.Source) {
		if b, err := fs.ReadFile(d.FS, dataset.TextPath(r)); err == nil {
			texts[r.ID] = string(b)
		}
	}
	var checked int
	for _, r := range d.Records {
		if !added[r.File] {
			continue
		}
		checked++
		set, err := schema.Get(r.Version)
		if err != nil {
			t.Errorf("%s: %v", r.File, err)
			continue
		}
		if err := set.Schema(r.Kind).Validate(r.Value); err != nil {
			t.Errorf("%s: %v", r.File, err)
		}
		if r.ID+".json" != path.Base(r.File) {
			t.Errorf("%s: file name is not its id %q", r.File, r.ID)
		}
		checkEvidence(t, set, r, texts)
		if r.Kind == schema.Source {
			m := r.Value.(map[string]any)
			b, _ := fs.ReadFile(d.FS, dataset.TextPath(r))
			h := sha256.Sum256(b)
			if got := hex.EncodeToString(h[:]); got != m["sha256"] {
				t.Errorf("%s: sha256 %v, the text's is %s", r.File, m["sha256"], got)
			}
		}
	}
	if checked != 4 {
		t.Errorf("checked %d new records, want the example's 4 (source, group, incident, claim)", checked)
	}
}

// checkEvidence is a stand-in for the validator's evidence rules until the lead runs the full
// validator here: quotes occur in their source's text (white space aside), and every
// fact-bearing value is covered by a supports pointer or an inference.
func checkEvidence(t *testing.T, set *schema.Set, r *dataset.Record, texts map[string]string) {
	t.Helper()
	m := r.Value.(map[string]any)
	var covered []string
	evidence, _ := m["evidence"].([]any)
	for _, e := range evidence {
		ev := e.(map[string]any)
		src, _ := ev["source"].(string)
		quote, _ := ev["quote"].(string)
		text, ok := texts[src]
		if !ok {
			t.Errorf("%s: evidence source %q has no stored text", r.File, src)
		} else if !strings.Contains(squeeze(text), squeeze(quote)) {
			t.Errorf("%s: quote %q is not in %s", r.File, quote, src)
		}
		for _, p := range ev["supports"].([]any) {
			covered = append(covered, p.(string))
		}
	}
	inferences, _ := m["inferences"].([]any)
	for _, in := range inferences {
		covered = append(covered, in.(map[string]any)["field"].(string))
	}
	for _, fact := range schema.FactPointers(set.Node(r.Kind), r.Value) {
		if !slices.ContainsFunc(covered, func(c string) bool { return fact == c || strings.HasPrefix(fact, c+"/") }) {
			t.Errorf("%s: fact %s is neither supported by a quote nor inferred", r.File, fact)
		}
	}
}

var space = regexp.MustCompile(`\s+`)

func squeeze(s string) string { return space.ReplaceAllString(strings.TrimSpace(s), " ") }

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
