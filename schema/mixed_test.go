package schema_test

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/schema"
	"github.com/apmd-data/apmd/validate"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// fixtureRegistry serves the released versions plus the fixture versions of testdata/schema
// (1.99.0: 1.0.0 with a district in locations; see schema/VERSIONING.md for why it is not
// released). Released versions come first, so a fixture can never shadow one.
func fixtureRegistry() *schema.Registry {
	return schema.NewRegistry(schema.FS(), os.DirFS("../testdata/schema"))
}

// TestMixedVersions loads a dataset whose records declare different schema versions and
// checks each record against the version it declares.
func TestMixedVersions(t *testing.T) {
	reg := fixtureRegistry()
	if got := reg.Versions(); !slices.Contains(got, "1.0.0") || !slices.Contains(got, "1.99.0") {
		t.Fatalf("registry versions %v, want 1.0.0 and 1.99.0", got)
	}
	fsys := os.DirFS("../testdata/mixed-versions")
	entries, err := datadir.List(fsys)
	if err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	for _, e := range entries {
		if e.Kind == "" {
			continue
		}
		r, err := datadir.ReadRecord(fsys, e.Kind, e.Path)
		if err != nil {
			t.Fatal(err)
		}
		declared[r.Version] = true
		set, err := reg.Get(r.Version)
		if err != nil {
			t.Errorf("%s: %v", r.File, err)
			continue
		}
		if err := set.Validate(r.Kind, r.Value); err != nil {
			t.Errorf("%s (schema %s): %v", r.File, r.Version, err)
		}
	}
	if !declared["1.0.0"] || !declared["1.99.0"] {
		t.Errorf("the fixture does not mix versions: %v", declared)
	}
	// Every other rule (evidence, references, consistency) holds too, with each record's own version.
	rep, err := validate.Dir("../testdata/mixed-versions", validate.Options{Schemas: reg})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		t.Errorf("%s:%d:%d: %s: %s", f.File, f.Line, f.Column, f.Rule, f.Message)
	}
}

// TestVersionOnlyField proves the mechanism can fail: the 1.99.0 record declaring 1.0.0 is
// rejected at the 1.99.0-only values (a location's district and precision "district"), while
// declaring 1.99.0 it passes.
func TestVersionOnlyField(t *testing.T) {
	reg := fixtureRegistry()
	file := "incidents/inc-2030-03-05-samplegarh-checkpoint-attack.json"
	r, err := datadir.ReadRecord(os.DirFS("../testdata/mixed-versions"), schema.Incident, file)
	if err != nil {
		t.Fatal(err)
	}
	if r.Version != "1.99.0" {
		t.Fatalf("%s declares %s, want 1.99.0", file, r.Version)
	}
	v11, err := reg.Get("1.99.0")
	if err != nil {
		t.Fatal(err)
	}
	if err := v11.Validate(schema.Incident, r.Value); err != nil {
		t.Errorf("declaring 1.99.0: %v", err)
	}

	// The same record, declaring 1.0.0 (decode a fresh copy: the loader's value is shared).
	var rec map[string]any
	if err := json.Unmarshal(r.Data, &rec); err != nil {
		t.Fatal(err)
	}
	rec["schema_version"] = "1.0.0"
	v10, err := reg.Get("1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	err = v10.Validate(schema.Incident, rec)
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("declaring 1.0.0 with a 1.99.0-only field: %v, want a validation error", err)
	}
	var at []string
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			at = append(at, e.InstanceLocation)
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	if !slices.ContainsFunc(at, func(p string) bool { return strings.HasPrefix(p, "/locations/0") }) {
		t.Errorf("the 1.0.0 errors are at %v, want one at /locations/0", at)
	}
	// And the fixture version is a minor step: the diff agrees with the version numbers.
	a, _ := schema.ReadSnapshot(reg.FS(), "1.0.0")
	b, _ := schema.ReadSnapshot(reg.FS(), "1.99.0")
	if rep := schema.Diff(a, b); rep.Required() != schema.BumpMinor || !rep.Enough() {
		t.Errorf("diff 1.0.0 1.99.0 requires %s, want minor", rep.Required())
	}
}
