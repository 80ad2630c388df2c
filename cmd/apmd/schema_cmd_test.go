package main

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/apmd-data/apmd/schema"
)

// fixtures holds the fixture schema versions (1.99.0) beside the released ones.
const fixtures = "../../testdata/schema"

func runArgs(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestSchemaList(t *testing.T) {
	code, out, errs := runArgs(t, "schema", "list")
	if code != exitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	// Newest first: the newest version SHA256SUMS lists is the latest; one it does not list yet
	// (while a new version is made, see schema/VERSIONING.md) is a draft.
	var want []string
	latest := ""
	for _, v := range slices.Backward(schema.Released().Versions()) {
		switch {
		case !schema.Listed(v):
			want = append(want, v+"  (draft: not listed in schema/SHA256SUMS yet)")
		case latest == "":
			latest = v
			want = append(want, v+"  (latest)")
		default:
			want = append(want, v)
		}
	}
	if strings.TrimSpace(out) != strings.Join(want, "\n") {
		t.Errorf("schema list:\n%s\nwant:\n%s", out, strings.Join(want, "\n"))
	}
	code, out, _ = runArgs(t, "schema", "list", "--dir", fixtures, "--format", "json")
	var doc struct {
		Latest   string
		Versions []struct {
			Version          string
			Latest, Released bool
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != exitOK {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	if doc.Latest != latest || len(doc.Versions) != len(schema.Released().Versions())+1 ||
		doc.Versions[0].Version != "1.99.0" || doc.Versions[0].Released || doc.Versions[0].Latest {
		t.Errorf("schema list --dir --format json:\n%s", out)
	}
}

func TestSchemaShow(t *testing.T) {
	for _, kind := range schemaKinds() {
		code, out, errs := runArgs(t, "schema", "show", kind)
		want, err := schema.Released().Raw(schema.Released().Latest(), schema.Kind(kind))
		if err != nil {
			t.Fatal(err)
		}
		if code != exitOK || out != string(want) {
			t.Errorf("schema show %s: exit %d, stderr %q, output differs from the released file", kind, code, errs)
		}
	}
	code, out, _ := runArgs(t, "schema", "show", "--dir", fixtures, "--version", "1.99.0", "defs")
	want, _ := os.ReadFile(fixtures + "/1.99.0/defs.schema.json")
	if code != exitOK || out != string(want) {
		t.Errorf("schema show --version 1.99.0 defs: exit %d", code)
	}
}

func TestSchemaDiff(t *testing.T) {
	golden := fixtures + "/diff-1.0.0-1.99.0.golden"
	code, out, errs := runArgs(t, "schema", "diff", "--dir", fixtures, "1.0.0", "1.99.0")
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if code != exitOK || out != string(want) {
		t.Errorf("exit %d, stderr %q, output:\n%s\nwant (%s; regenerate with go run ./cmd/apmd schema diff --dir testdata/schema 1.0.0 1.99.0 > testdata/schema/diff-1.0.0-1.99.0.golden):\n%s", code, errs, out, golden, want)
	}
	code, out, _ = runArgs(t, "schema", "diff", "--format", "json", "--dir", fixtures, "1.0.0", "1.99.0")
	var doc struct {
		Changes []struct{ Change, Pointer string }
		Summary struct {
			Required string `json:"required_bump"`
			Enough   bool
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != exitOK {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	if doc.Summary.Required != "minor" || !doc.Summary.Enough || len(doc.Changes) == 0 {
		t.Errorf("diff --format json:\n%s", out)
	}
}

// TestSchemaDiffNotEnough: a step between two versions smaller than their changes need is exit
// 1, so that a script or a maintainer can gate on the command itself.
func TestSchemaDiffNotEnough(t *testing.T) {
	code, out, _ := runArgs(t, "schema", "diff", "--dir", fixtures, "1.99.0", "1.0.0")
	if code != exitInvalid || !strings.Contains(out, "requires at least a major bump") {
		t.Errorf("schema diff 1.99.0 1.0.0 (a property removed, no version step): exit %d, want 1:\n%s", code, out)
	}
	if code, _, _ := runArgs(t, "schema", "diff", "--format", "json", "--dir", fixtures, "1.99.0", "1.0.0"); code != exitInvalid {
		t.Errorf("schema diff --format json 1.99.0 1.0.0: exit %d, want 1", code)
	}
	if code, _, _ := runArgs(t, "schema", "list", "--dir", fixtures); code != exitOK {
		t.Errorf("schema list --dir: exit %d", code)
	}
	_, out, _ = runArgs(t, "schema", "list", "--dir", fixtures)
	if !strings.HasPrefix(out, "1.99.0  (draft, from "+fixtures+")\n") {
		t.Errorf("schema list --dir: the fixture version is not marked a draft:\n%s", out)
	}
}

func TestSchemaUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"schema"}, "Usage:"},
		{[]string{"schema", "frobnicate"}, `unknown subcommand "frobnicate"`},
		{[]string{"schema", "show", "casualty"}, "want one KIND of manifest, source"},
		{[]string{"schema", "show", "incident", "claim"}, "want one KIND of manifest, source"},
		{[]string{"schema", "show", "--version", "v1.0.0", "incident"}, `unknown schema version "v1.0.0"`},
		{[]string{"schema", "diff", "1.0.0"}, "want two versions"},
		{[]string{"schema", "diff", "1.0.0", "9.9.9"}, `unknown schema version "9.9.9" (known: `},
		{[]string{"schema", "diff", "--format", "yaml", "1.0.0", "1.0.0"}, `--format "yaml"`},
		{[]string{"schema", "list", "--dir", "no/such/folder"}, "not a readable folder"},
		{[]string{"schema", "list", "extra"}, `want no arguments, got ["extra"]`},
		{[]string{"schema", "list", "--bogus"}, "unknown flag --bogus"},
	} {
		code, _, errs := runArgs(t, c.args...)
		if code != exitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("apmd %s: exit %d, stderr %q; want exit %d and %q", strings.Join(c.args, " "), code, errs, exitUsage, c.want)
		}
	}
}
