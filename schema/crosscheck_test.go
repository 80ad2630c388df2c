package schema

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pythonJSONSchema returns a python interpreter that has the jsonschema package, or "".
func pythonJSONSchema() string {
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import jsonschema").Run() == nil {
			return py
		}
	}
	return ""
}

// TestSecondValidator checks the schemas and the bundled dataset with an independent
// implementation, python-jsonschema (Debian's python3-jsonschema), so that the schemas do not
// depend on jsonschema/v5's reading of the specification. Skipped when it is not installed.
func TestSecondValidator(t *testing.T) {
	py := pythonJSONSchema()
	if py == "" {
		t.Skip("python3 with jsonschema is not installed (apt-get install python3-jsonschema)")
	}
	out, err := exec.Command(py, "testdata/crosscheck.py", ".", "../dataset").CombinedOutput()
	if err != nil {
		t.Fatalf("python-jsonschema rejects the schemas or the dataset:\n%s", out)
	}
	if !strings.Contains(string(out), "validated ") {
		t.Fatalf("crosscheck validated nothing:\n%s", out)
	}

	// The check must be able to fail: a record with a wrong enum value is reported.
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "groups"), 0o755)
	bad := `{"id":"grp-x","schema_version":"1.0.0","name":"X","names":[{"name":"X","kind":"full","sources":["src-a"]}],
	"type":"jihadist","evidence":[{"source":"src-a","quote":"abc","supports":["/name"]}]}`
	os.WriteFile(filepath.Join(dir, "groups", "grp-x.json"), []byte(bad), 0o644)
	out, err = exec.Command(py, "testdata/crosscheck.py", ".", dir).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "jihadist") {
		t.Fatalf("crosscheck accepted a group of type 'jihadist':\n%s", out)
	}
}
