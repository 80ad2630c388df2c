package main

import (
	"bytes"
	"encoding/json"
	"os"
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
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(schema.Released().Versions()) || lines[0] != schema.Released().Latest()+"  (latest)" {
		t.Errorf("schema list:\n%s", out)
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
	if doc.Latest != schema.Released().Latest() || len(doc.Versions) != len(schema.Released().Versions())+1 ||
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
		{[]string{"schema", "list", "--bogus"}, "unknown flag: --bogus"},
	} {
		code, _, errs := runArgs(t, c.args...)
		if code != exitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("apmd %s: exit %d, stderr %q; want exit %d and %q", strings.Join(c.args, " "), code, errs, exitUsage, c.want)
		}
	}
}
