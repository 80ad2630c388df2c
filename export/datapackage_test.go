package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/apmd-data/apmd"
	"github.com/apmd-data/apmd/schema"
)

const profileFile = "../testdata/export/profiles/datapackage-2.0.json"

// profile compiles the vendored Data Package v2 profile. Its look-ahead path patterns are
// removed (RE2 cannot run them) and counted, so that a changed profile is noticed.
func profile(t *testing.T) *jsonschema.Schema {
	t.Helper()
	b, err := os.ReadFile(profileFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if n := dropLookaheads(doc); n != 7 {
		t.Fatalf("the profile has %d look-ahead patterns, want the 7 path patterns", n)
	}
	b, _ = json.Marshal(doc)
	c := jsonschema.NewCompiler()
	c.AssertFormat = true
	// No network: the profile's own URL resolves to the vendored file, any other URL fails.
	c.LoadURL = func(url string) (io.ReadCloser, error) {
		if url == profilePackage {
			return io.NopCloser(bytes.NewReader(b)), nil
		}
		return nil, fmt.Errorf("%s is not vendored", url)
	}
	s, err := c.Compile(profilePackage)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func dropLookaheads(v any) int {
	n := 0
	switch x := v.(type) {
	case map[string]any:
		if p, ok := x["pattern"].(string); ok && (strings.Contains(p, "(?=") || strings.Contains(p, "(?!")) {
			delete(x, "pattern")
			n++
		}
		for _, c := range x {
			n += dropLookaheads(c)
		}
	case []any:
		for _, c := range x {
			n += dropLookaheads(c)
		}
	}
	return n
}

// safePath is the profile's path rule in Go: a relative POSIX path that does not start with
// '.', '/' or '~', has no '..' segment, no backslash and no scheme, or an http(s)/ftp(s) URL.
func safePath(p string) bool {
	if regexp.MustCompile(`^(http|ftp)s?://`).MatchString(p) {
		return true
	}
	return p != "" && !strings.ContainsAny(p[:1], "./~") && !strings.HasPrefix(p, "file:") &&
		!strings.Contains(p, "/../") && !strings.Contains(p, `\`) && !strings.Contains(p, "://")
}

type descriptor struct {
	Resources []struct {
		Name   string
		Path   string
		Bytes  int64
		Hash   string
		Schema struct {
			Fields []struct {
				Name        string
				Type        string
				Constraints struct {
					Required bool
					Enum     []string
					Pattern  string
				}
			}
			PrimaryKey  []string
			ForeignKeys []struct {
				Fields    []string
				Reference struct {
					Resource string
					Fields   []string
				}
			}
		}
	}
}

// TestDataPackage validates datapackage.json against the official profile, and checks it
// against the CSV files: sizes, hashes, fields, constraints, primary and foreign keys.
func TestDataPackage(t *testing.T) {
	sch := profile(t)
	for _, tc := range []struct {
		name string
		fsys fs.FS
	}{{"fixture", os.DirFS(fixtureDir)}, {"embedded", apmd.Data()}} {
		t.Run(tc.name, func(t *testing.T) {
			validatePackage(t, sch, exportTo(t, tc.fsys, Options{}).dir)
		})
	}
}

// validatePackage reads the datapackage.json of dir, validates it against the Data Package v2
// profile sch and checks it against the files (checkPackage); it returns its bytes.
func validatePackage(t *testing.T, sch *jsonschema.Schema, dir string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, PackageFile))
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Fatalf("datapackage.json does not validate against the Data Package v2 profile: %#v", err)
	}
	var d descriptor
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	checkPackage(t, dir, d)
	return b
}

func checkPackage(t reporter, dir string, d descriptor) {
	type table struct {
		header []string
		rows   [][]string
	}
	tables := map[string]table{}
	for _, r := range d.Resources {
		if !safePath(r.Path) {
			t.Errorf("%s: path %q breaks the profile's path rule", r.Name, r.Path)
		}
		b, err := os.ReadFile(filepath.Join(dir, r.Path))
		if err != nil {
			t.Fatalf("%v", err)
		}
		sum := sha256.Sum256(b)
		if r.Bytes != int64(len(b)) || r.Hash != "sha256:"+hex.EncodeToString(sum[:]) {
			t.Errorf("%s: bytes %d hash %s, file has %d bytes", r.Name, r.Bytes, r.Hash, len(b))
		}
		h, rows := readCSV(t, filepath.Join(dir, r.Path))
		tables[r.Name] = table{h, rows}
		if len(h) != len(r.Schema.Fields) {
			t.Fatalf("%s: %d columns, %d fields", r.Name, len(h), len(r.Schema.Fields))
		}
		for i, f := range r.Schema.Fields {
			if f.Name != h[i] {
				t.Errorf("%s: field %d is %s, column %s", r.Name, i, f.Name, h[i])
			}
			var re *regexp.Regexp
			if p := f.Constraints.Pattern; p != "" {
				re = regexp.MustCompile("^(?:" + p + ")$")
			}
			for _, row := range rows {
				v := unneutralize(row[i])
				switch {
				case v == "":
					if f.Constraints.Required {
						t.Errorf("%s.%s: empty but required", r.Name, f.Name)
					}
				case len(f.Constraints.Enum) > 0 && !contains(f.Constraints.Enum, v):
					t.Errorf("%s.%s: %q not among %v", r.Name, f.Name, v, f.Constraints.Enum)
				case re != nil && !re.MatchString(v):
					t.Errorf("%s.%s: %q does not match %s", r.Name, f.Name, v, f.Constraints.Pattern)
				}
			}
		}
	}
	key := func(tb table, fields []string, row []string) (string, bool) {
		var parts []string
		for _, f := range fields {
			i := indexOf(tb.header, f)
			if i < 0 {
				t.Fatalf("no column %s in %v", f, tb.header)
			}
			if row[i] == "" {
				return "", false
			}
			parts = append(parts, row[i])
		}
		return strings.Join(parts, "\x00"), true
	}
	for _, r := range d.Resources {
		tb := tables[r.Name]
		seen := map[string]bool{}
		for _, row := range tb.rows {
			k, _ := key(tb, r.Schema.PrimaryKey, row)
			if seen[k] {
				t.Errorf("%s: primary key %q repeats", r.Name, k)
			}
			seen[k] = true
		}
		for _, fk := range r.Schema.ForeignKeys {
			ref, ok := tables[fk.Reference.Resource]
			if !ok {
				t.Fatalf("%s: foreign key to unknown resource %s", r.Name, fk.Reference.Resource)
			}
			targets := map[string]bool{}
			for _, row := range ref.rows {
				if k, ok := key(ref, fk.Reference.Fields, row); ok {
					targets[k] = true
				}
			}
			for _, row := range tb.rows {
				if k, ok := key(tb, fk.Fields, row); ok && !targets[k] {
					t.Errorf("%s %v = %q has no row in %s %v", r.Name, fk.Fields, k, fk.Reference.Resource, fk.Reference.Fields)
				}
			}
		}
	}
}

func contains(list []string, v string) bool { return indexOf(list, v) >= 0 }

func indexOf(list []string, v string) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}

// TestForeignKeyCheckFails makes sure the foreign key check can fail: a claim about an
// incident that is not in the dataset.
func TestForeignKeyCheckFails(t *testing.T) {
	recs := records(t, os.DirFS(fixtureDir))
	clm := recordOf(t, recs, schema.Claim)
	clm.Value = withMember(clm.Value, "incidents", []any{"inc-missing"})
	dir := exportRecords(t, recs, Options{}).dir
	b, _ := os.ReadFile(filepath.Join(dir, PackageFile))
	var d descriptor
	json.Unmarshal(b, &d)
	ft := &fakeT{}
	checkPackage(ft, dir, d)
	if !strings.Contains(ft.msg, "inc-missing") {
		t.Errorf("the broken foreign key went unnoticed: %q", ft.msg)
	}
}

// reporter is what the checks need of a *testing.T, so that a test can check a check.
type reporter interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

type fakeT struct{ msg string }

func (f *fakeT) Helper()                        {}
func (f *fakeT) Errorf(format string, a ...any) { f.msg += fmt.Sprintf(format, a...) + "\n" }
func (f *fakeT) Fatalf(format string, a ...any) { panic(fmt.Sprintf(format, a...)) }

// TestProfileRejects makes sure the vendored profile is not a pushover.
func TestProfileRejects(t *testing.T) {
	sch := profile(t)
	for _, bad := range []string{
		`{"resources": []}`,
		`{"resources": [{"path": "a.csv"}]}`,
		`{"resources": [{"name": "a", "path": "a.csv", "hash": "sha256:xyz"}]}`,
		`{"resources": [{"name": "a", "path": "a.csv", "schema": {"fields": [{"name": "n", "type": "integer", "constraints": {"minimum": true}}]}}]}`,
		`{"resources": [{"name": "a", "path": "a.csv", "schema": {"fields": [{"name": "n", "type": "text"}]}}]}`,
		`{"licenses": [{"title": "no name, no path"}], "resources": [{"name": "a", "path": "a.csv"}]}`,
	} {
		var doc any
		if err := json.Unmarshal([]byte(bad), &doc); err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(doc); err == nil {
			t.Errorf("the profile accepts %s", bad)
		}
	}
}
