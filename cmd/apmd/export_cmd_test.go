package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const exportFixture = "../../testdata/export/fixture"

func runExportArgs(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(append([]string{"export"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestExportCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "dist")
	code, stdout, stderr := runExportArgs(t, "--out", out, "--quiet", exportFixture)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, f := range []string{"incidents.csv", "evidence.csv", "apmd.xlsx", "datapackage.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	if !strings.Contains(stdout, out) {
		t.Errorf("stdout does not say where: %q", stdout)
	}
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || strings.HasPrefix(e.Name(), "excelize-") {
			t.Errorf("temporary or spill file left: %s", e.Name())
		}
	}
}

func TestExportFormats(t *testing.T) {
	out := t.TempDir()
	if code, _, stderr := runExportArgs(t, "--out", out, "--format", "xlsx", "--bom", exportFixture); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 1 || entries[0].Name() != "apmd.xlsx" {
		t.Errorf("--format xlsx wrote %v", entries)
	}
	code, stdout, stderr := runExportArgs(t, "--out", out, "--format", "csv", "--bom", "--no-neutralize", exportFixture)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// The workbook of the earlier export would claim to belong with the new CSV files (review D11).
	if _, err := os.Stat(filepath.Join(out, "apmd.xlsx")); err == nil || !strings.Contains(stdout, "removed 1 file of an earlier export") {
		t.Errorf("--format csv left the earlier apmd.xlsx, or did not say it removed it: %s", stdout)
	}
	b, err := os.ReadFile(filepath.Join(out, "casualties.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) || !bytes.Contains(b, []byte(`,"=SUM(A1:A2)`)) {
		t.Errorf("--bom --no-neutralize not applied:\n%s", b)
	}
	if _, err := os.Stat(filepath.Join(out, "datapackage.json")); err == nil {
		t.Error("--format csv wrote datapackage.json")
	}
}

func TestExportRefusesInvalidData(t *testing.T) {
	ds := t.TempDir()
	if err := os.CopyFS(ds, os.DirFS(exportFixture)); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(ds, "incidents", "inc-2023-checkpoint-attack.json")
	b, _ := os.ReadFile(bad)
	os.WriteFile(bad, bytes.Replace(b, []byte(`"event_type": "unknown"`), []byte(`"event_type": "bogus"`), 1), 0o644)
	out := filepath.Join(t.TempDir(), "dist")
	code, _, stderr := runExportArgs(t, "--out", out, ds)
	if code != exitInvalid {
		t.Errorf("exit %d, want %d", code, exitInvalid)
	}
	if !strings.Contains(stderr, "inc-2023-checkpoint-attack.json") {
		t.Errorf("stderr does not name the file: %s", stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an invalid dataset was exported")
	}
}

func TestExportUsageErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, []byte("x"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--out", file, exportFixture}, file},
		{[]string{"--format", "pdf", exportFixture}, `unknown format "pdf"`},
		{[]string{exportFixture, exportFixture}, "at most one"},
		{[]string{filepath.Join(exportFixture, "dataset.json")}, "is a file"},
		{[]string{"--nope"}, "unknown flag"},
	} {
		code, _, stderr := runExportArgs(t, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, exitUsage, tc.want)
		}
	}
	code, _, stderr := runExportArgs(t, "--out", file, exportFixture)
	if code != exitUsage || !strings.Contains(stderr, "--out") {
		t.Errorf("a file as --out: exit %d, %q: want the fix (--out)", code, stderr)
	}
}

// TestExportDefaults runs 'apmd export' with no arguments where there is no ./dataset: it
// exports the bundled dataset to ./dist.
func TestExportDefaults(t *testing.T) {
	t.Chdir(t.TempDir())
	code, stdout, stderr := runExportArgs(t)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "the embedded dataset") && !strings.Contains(stdout, "the dataset apmd was built from") {
		t.Errorf("stdout: %q", stdout)
	}
	if _, err := os.Stat(filepath.Join("dist", "apmd.xlsx")); err != nil {
		t.Error(err)
	}
}
