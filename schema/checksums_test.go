package schema

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
)

// sumsFile lists the SHA-256 of every released schema file, in sha256sum's format, so that
// `cd schema && sha256sum -c SHA256SUMS` checks it too.
const sumsFile = "SHA256SUMS"

// checkReleased compares the schema files of fsys (laid out <version>/<file>) with a
// sha256sum list. It returns the violations of immutability, and the files of versions the
// list does not know yet (a release in the making).
func checkReleased(fsys fs.FS, list []byte) (errs []error, unlisted []string) {
	released := map[string]string{} // file → sha256
	versions := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(list))
	for n := 1; sc.Scan(); n++ {
		sum, file, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 {
			errs = append(errs, fmt.Errorf("schema/%s:%d: want '<sha256>  <version>/<file>', as sha256sum prints", sumsFile, n))
			continue
		}
		released[file] = sum
		versions[path.Dir(file)] = true
	}
	present := map[string]bool{}
	walkErr := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".schema.json") {
			return err
		}
		present[p] = true
		dir := path.Dir(p)
		if _, err := ParseVersion(dir); err != nil || strings.Contains(dir, "/") {
			errs = append(errs, fmt.Errorf("schema/%s: a schema file must sit in a folder named by a canonical version (MAJOR.MINOR.PATCH, no 'v', no leading zeros): %v", p, err))
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		h := sha256.Sum256(b)
		got := hex.EncodeToString(h[:])
		want, listed := released[p]
		switch {
		case listed && got != want:
			errs = append(errs, fmt.Errorf("schema/%s was changed after its release (sha256 %s, released as %s). Released schema versions are immutable: restore it (git checkout -- schema/%s) and make the change in a new version folder instead (a copy of the latest with its $id and schema_version bumped: patch for wording, minor for additions, major for anything that breaks records or columns; `apmd schema diff` tells which; see schema/VERSIONING.md)", p, got[:12], want[:12], p))
		case !listed && versions[dir]:
			errs = append(errs, fmt.Errorf("schema/%s was added to the released version %s: released versions are immutable; add it in a new version instead (see schema/VERSIONING.md)", p, dir))
		case !listed:
			unlisted = append(unlisted, fmt.Sprintf("%s  %s", got, p))
		}
		return nil
	})
	if walkErr != nil {
		errs = append(errs, walkErr)
	}
	var missing []string
	for f := range released {
		if !present[f] {
			missing = append(missing, f)
		}
	}
	sort.Strings(missing)
	for _, f := range missing {
		errs = append(errs, fmt.Errorf("schema/%s is released (listed in schema/%s) but missing: released versions are never deleted or renamed; restore it", f, sumsFile))
	}
	sort.Strings(unlisted)
	return errs, unlisted
}

// TestReleasedSchemasUnchanged fails when a released schema file was edited, added to or
// removed, and when a new version folder is not yet listed. With -update it appends the new
// version's files to SHA256SUMS (it never rewrites a listed line, so it cannot launder an edit).
func TestReleasedSchemasUnchanged(t *testing.T) {
	list, err := os.ReadFile(sumsFile)
	if err != nil {
		t.Fatal(err)
	}
	errs, unlisted := checkReleased(FS(), list)
	for _, err := range errs {
		t.Error(err)
	}
	if len(unlisted) == 0 {
		return
	}
	if !*update {
		t.Errorf("schema files not in schema/%s (a new version?):\n  %s\nIf this version is ready to release, record it: go test ./schema -run TestReleasedSchemasUnchanged -update", sumsFile, strings.Join(unlisted, "\n  "))
		return
	}
	if len(errs) == 0 {
		if err := os.WriteFile(sumsFile, appendListed(list, unlisted), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// appendListed appends the lines of a new version's files to SHA256SUMS (step 5 of "Making a
// new schema version": the version is released once merged).
func appendListed(list []byte, unlisted []string) []byte {
	return append(list, []byte(strings.Join(unlisted, "\n")+"\n")...)
}

// copyFS returns an in-memory copy of the embedded schema files.
func copyFS(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(FS(), p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestEditedReleaseFails proves the check above can fail: an edited, an added and a deleted
// file in a released version, and a non-canonical version folder, are each reported by name.
func TestEditedReleaseFails(t *testing.T) {
	list, err := os.ReadFile(sumsFile)
	if err != nil {
		t.Fatal(err)
	}
	v := Released().Versions()[0]
	for _, c := range []struct {
		name   string
		change func(fstest.MapFS)
		want   []string
	}{
		{"edited", func(m fstest.MapFS) {
			f := m[v+"/incident.schema.json"]
			f.Data = bytes.Replace(f.Data, []byte(`"maxLength": 200`), []byte(`"maxLength": 250`), 1)
		}, []string{v + "/incident.schema.json was changed after its release", "new version folder"}},
		{"added", func(m fstest.MapFS) {
			m[v+"/event.schema.json"] = &fstest.MapFile{Data: []byte(`{}`)}
		}, []string{v + "/event.schema.json was added to the released version"}},
		{"deleted", func(m fstest.MapFS) { delete(m, v+"/claim.schema.json") },
			[]string{v + "/claim.schema.json is released", "missing"}},
		{"non-canonical", func(m fstest.MapFS) { m["v1.2.0/claim.schema.json"] = &fstest.MapFile{Data: []byte(`{}`)} },
			[]string{"schema/v1.2.0/claim.schema.json: a schema file must sit in a folder named by a canonical version"}},
	} {
		m := copyFS(t)
		if errs, _ := checkReleased(m, list); len(errs) != 0 {
			t.Fatalf("the unchanged copy fails: %v", errs)
		}
		c.change(m)
		errs, _ := checkReleased(m, list)
		if len(errs) != 1 {
			t.Errorf("%s: %d errors, want 1: %v", c.name, len(errs), errs)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(errs[0].Error(), w) {
				t.Errorf("%s: error %q does not say %q", c.name, errs[0], w)
			}
		}
	}
	// A new version folder is not an error but must be listed before it ships.
	m := copyFS(t)
	m["9.0.0/claim.schema.json"] = &fstest.MapFile{Data: []byte(`{}`)}
	if errs, unlisted := checkReleased(m, list); len(errs) != 0 || len(unlisted) != 1 || !strings.HasSuffix(unlisted[0], "  9.0.0/claim.schema.json") {
		t.Errorf("new version: errs %v, unlisted %v", errs, unlisted)
	}
}

// TestVersionConsts checks that every kind of every version pins schema_version to the
// version's own folder, so that a record is checked against the version it declares.
func TestVersionConsts(t *testing.T) {
	for _, v := range Released().Versions() {
		s, err := Released().Get(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range append([]Kind{Manifest}, Kinds...) {
			p := s.Node(k).Prop("schema_version")
			if p == nil || p.Const != v || !p.Required {
				t.Errorf("schema %s/%s: schema_version must be required with const %q", v, k, v)
			}
		}
	}
}
