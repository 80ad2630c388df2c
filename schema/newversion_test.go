package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// TestMakingANewVersion follows schema/VERSIONING.md's "Making a new schema version", step by
// step, in a temporary copy of schema/, for a minor change: the latest version copied to the
// next minor one, its version bumped in $id, const and title, an optional property added. Each
// step must leave what the next one needs: the copy compiles, apmd's diff calls the step
// enough, SHA256SUMS takes the new files without complaint, records can declare the version,
// and the editor schemas pick it up. (The rest of the repository's tests were run by hand
// with such a version in schema/: they hard-code no version any more; see the test changes.)
func TestMakingANewVersion(t *testing.T) {
	dir := t.TempDir()
	sums, err := os.ReadFile(sumsFile)
	if err != nil {
		t.Fatal(err)
	}
	copyTo(t, FS(), dir)
	latest := ""
	for _, v := range Released().Versions() {
		if Listed(v) {
			latest = v
		}
	}
	n, _ := ParseVersion(latest)
	next := fmt.Sprintf("%d.%d.0", n[0], n[1]+1)

	files := copyVersion(t, dir, latest, next) // steps 1 and 2
	// 3. Make the change: a new optional property, with a title, a description and x-evidence.
	editFile(t, filepath.Join(dir, next, "incident.schema.json"), func(s string) string {
		var doc map[string]any
		if err := json.Unmarshal([]byte(s), &doc); err != nil {
			t.Fatal(err)
		}
		doc["properties"].(map[string]any)["test_weapon"] = map[string]any{"title": "Weapon",
			"description": "The weapon as the source names it.", "type": "string", "minLength": 1, "x-evidence": true}
		b, _ := json.MarshalIndent(doc, "", "  ")
		return string(b)
	})
	reg := NewRegistry(os.DirFS(dir))
	checkStepEnough(t, reg, latest, next) // step 4
	// 5. go test ./schema -run TestReleasedSchemasUnchanged -update lists the new files.
	errs, unlisted := checkReleased(os.DirFS(dir), sums)
	if len(errs) != 0 || len(unlisted) != len(files) {
		t.Fatalf("before step 5: errors %v, unlisted %v; want the %d new files unlisted", errs, unlisted, len(files))
	}
	if errs, unlisted = checkReleased(os.DirFS(dir), appendListed(sums, unlisted)); len(errs) != 0 || len(unlisted) != 0 {
		t.Errorf("after step 5: errors %v, unlisted %v", errs, unlisted)
	}
	checkRecordsOn(t, reg, latest, next)
	// 6. go test ./schema -run TestEditorSchemas -update: the editor schemas dispatch to it.
	ed, err := editorSchemas(reg)
	if err != nil || !bytes.Contains(ed["incident.schema.json"], []byte(`"../../schema/`+next+`/incident.schema.json"`)) {
		t.Errorf("the editor schemas do not name %s: %v\n%s", next, err, ed["incident.schema.json"])
	}
	// The guide names the commands this test stands for.
	guide, err := os.ReadFile("VERSIONING.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"apmd schema diff", "go test ./schema -run TestReleasedSchemasUnchanged -update",
		"go test ./schema -run TestEditorSchemas -update", "go test ./schema -run TestColumnContract -update", "--schema-dir"} {
		if !bytes.Contains(guide, []byte(cmd)) {
			t.Errorf("schema/VERSIONING.md does not say %q", cmd)
		}
	}
}

// copyVersion takes steps 1 and 2 in the copy of schema/ at dir: it copies the version latest
// to next, then changes the version in every file's $id, schema_version const and title. It
// returns the new files.
func copyVersion(t *testing.T, dir, latest, next string) []string {
	t.Helper()
	copyTo(t, sub(t, FS(), latest), filepath.Join(dir, next))
	files, _ := filepath.Glob(filepath.Join(dir, next, "*.schema.json"))
	for _, f := range files {
		editFile(t, f, strings.NewReplacer("/schema/"+latest+"/", "/schema/"+next+"/",
			`"const": "`+latest+`"`, `"const": "`+next+`"`, "definitions "+latest, "definitions "+next).Replace)
		if b, _ := os.ReadFile(f); bytes.Contains(b, []byte(latest)) {
			t.Errorf("step 2 leaves %s in %s: the steps do not name every place the version is written", latest, f)
		}
	}
	return files
}

// checkStepEnough is step 4, apmd schema diff LATEST NEXT: the new version compiles, and the
// step is enough for its changes (exit 0).
func checkStepEnough(t *testing.T, reg *Registry, latest, next string) {
	t.Helper()
	if _, err := reg.Get(next); err != nil {
		t.Fatalf("the new version does not compile: %v", err)
	}
	from, err := ReadSnapshot(reg.FS(), latest)
	if err != nil {
		t.Fatal(err)
	}
	to, err := ReadSnapshot(reg.FS(), next)
	if err != nil {
		t.Fatal(err)
	}
	if d := Diff(from, to); d.Required() != BumpMinor || !d.Enough() {
		var b strings.Builder
		d.WriteText(&b)
		t.Errorf("schema diff %s %s: requires %s, enough %v:\n%s", latest, next, d.Required(), d.Enough(), b.String())
	}
}

// checkRecordsOn checks that a record can declare the new version and use its property, and
// that one declaring the latest cannot.
func checkRecordsOn(t *testing.T, reg *Registry, latest, next string) {
	t.Helper()
	rec := map[string]any{}
	b, err := os.ReadFile("../dataset/incidents/inc-2024-12-11-kabul-refugee-ministry-bombing.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	set, _ := reg.Get(next)
	rec["schema_version"], rec["test_weapon"] = next, "a suicide vest"
	if err := set.Validate(Incident, rec); err != nil {
		t.Errorf("a record of %s with the new property: %v", next, err)
	}
	old, _ := reg.Get(latest)
	rec["schema_version"] = latest
	if err := old.Validate(Incident, rec); err == nil {
		t.Errorf("a record declaring %s validated with %s's property", latest, next)
	}
}

// editFile rewrites a file with f.
func editFile(t *testing.T, p string, f func(string) string) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(f(string(b))), 0o644); err != nil {
		t.Fatal(err)
	}
}

// copyTo writes the files of fsys under dir.
func copyTo(t *testing.T, fsys fs.FS, dir string) {
	t.Helper()
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		out := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func sub(t *testing.T, fsys fs.FS, dir string) fs.FS {
	t.Helper()
	s, err := fs.Sub(fsys, path.Clean(dir))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestVersionIDs: every schema file's $id names its own version folder, and the shared
// definitions' title its version, so that a forgotten step 2 of "Making a new schema version"
// is said plainly rather than as records failing against the wrong version.
func TestVersionIDs(t *testing.T) {
	for _, v := range Released().Versions() {
		for _, k := range append(allKinds, "defs") {
			b, err := Released().Raw(v, k)
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				ID    string `json:"$id"`
				Title string `json:"title"`
			}
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatal(err)
			}
			if want := URL(v, k); doc.ID != want {
				t.Errorf("schema/%s/%s.schema.json: $id is %s, want %s (step 2 of Making a new schema version, schema/VERSIONING.md)", v, k, doc.ID, want)
			}
			if k == "defs" && !strings.HasSuffix(doc.Title, " "+v) {
				t.Errorf("schema/%s/defs.schema.json: title %q does not end with the version (step 2 of Making a new schema version)", v, doc.Title)
			}
		}
	}
}
