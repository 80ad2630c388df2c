package validate

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/apmd-data/apmd/schema"
)

// TestMixedVersions runs the whole validator over a dataset whose records declare two schema
// versions (1.0.0, released, and the 1.99.0 test fixture) and checks each record against its own.
func TestMixedVersions(t *testing.T) {
	reg := schema.NewRegistry(schema.FS(), os.DirFS("../testdata/schema"))
	rep, err := Dir("../testdata/mixed-versions", Options{Schemas: reg})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Valid() || len(rep.Findings) != 0 {
		t.Fatalf("mixed-version dataset: want no findings, got %+v", rep.Findings)
	}

	// The same 1.99.0 record, declaring 1.0.0, fails on the 1.99.0-only field.
	mem := fstest.MapFS{}
	err = fsWalk(os.DirFS("../testdata/mixed-versions"), func(p string, b []byte) {
		if strings.Contains(string(b), `"schema_version": "1.99.0"`) {
			b = []byte(strings.Replace(string(b), `"schema_version": "1.99.0"`, `"schema_version": "1.0.0"`, 1))
		}
		mem[p] = &fstest.MapFile{Data: b}
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err = Dataset(mem, Options{Schemas: reg})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Valid() {
		t.Fatal("a record using a 1.99.0 field while declaring 1.0.0 validated")
	}
	for _, f := range rep.Findings {
		if f.Rule != "schema" {
			t.Errorf("unexpected finding %+v", f)
		}
	}

	// Without the fixture registry, 1.99.0 is not a released version.
	rep, err = Dir("../testdata/mixed-versions", Options{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range rep.Findings {
		found = found || f.Rule == "schema-version-unknown"
	}
	if !found {
		t.Errorf("1.99.0 accepted without the fixture registry: %+v", rep.Findings)
	}
}

// fsWalk calls fn with the path and bytes of every file of fsys.
func fsWalk(fsys fs.FS, fn func(string, []byte)) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		fn(p, b)
		return nil
	})
}

// TestMessagesOfAFixtureVersion: messages that quote the schema (an enum's values, a "did you
// mean") read the version the record declares, also when the registry holds it outside the
// embedded files.
func TestMessagesOfAFixtureVersion(t *testing.T) {
	reg := schema.NewRegistry(schema.FS(), os.DirFS("../testdata/schema"))
	mem := fstest.MapFS{}
	const file = "incidents/inc-2030-03-05-samplegarh-checkpoint-attack.json"
	err := fsWalk(os.DirFS("../testdata/mixed-versions"), func(p string, b []byte) {
		if p == file {
			b = []byte(strings.Replace(string(b), `"event_type": "armed_assault"`, `"event_type": "armed_assaultx"`, 1))
		}
		mem[p] = &fstest.MapFile{Data: b}
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Dataset(mem, Options{Schemas: reg})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 1 {
		t.Fatalf("want one finding, got %+v", rep.Findings)
	}
	msg := rep.Findings[0].Message
	for _, want := range []string{`"armed_assaultx" is not a valid event type`, `expected one of "`, `"armed_assault"`, `Did you mean "armed_assault"?`} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %s: %s", want, msg)
		}
	}
}
