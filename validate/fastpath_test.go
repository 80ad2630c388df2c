package validate

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/internal/synth"
	"github.com/apmd-data/apmd/schema"
)

// TestFastPathChangesNothing validates every txtar case, and a synthetic dataset with half its
// records broken in every way the generator knows, with the schema's fast path on and off
// (schema.Registry.WithoutFastPath): the reports must be the same, byte for byte.
func TestFastPathChangesNothing(t *testing.T) {
	on := schema.Released()
	off := on.WithoutFastPath()
	report := func(fsys fs.FS, reg *schema.Registry) string {
		r, err := validateDir(datadir.FromFS(fsys), Options{Schemas: reg})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		WriteText(&b, r)
		return b.String()
	}
	compare := func(name string, fsys fs.FS) {
		if a, b := report(fsys, on), report(fsys, off); a != b {
			t.Errorf("%s: the fast path changes the findings\n--- with it\n%s--- without it\n%s", name, a, b)
		}
	}
	for _, file := range caseFiles(t) {
		_, fsys, _ := loadCase(t, file)
		compare(strings.TrimSuffix(filepath.Base(file), ".txtar"), fsys)
	}
	dir := t.TempDir()
	if err := synth.Generate(dir, synth.Options{Incidents: 300, Seed: 11, Break: 0.5}); err != nil {
		t.Fatal(err)
	}
	compare("synthetic", os.DirFS(dir))
}
