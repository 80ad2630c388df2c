//go:build unix

package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apmd-data/apmd/export"
	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/internal/synth"
	"github.com/apmd-data/apmd/validate"
)

// checkFolder fails unless dir holds one complete export (export.Verify) and nothing hidden;
// it returns datapackage.json.
func checkFolder(t *testing.T, dir string) string {
	t.Helper()
	if err := export.Verify(dir); err != nil {
		t.Error(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || strings.HasPrefix(e.Name(), "excelize-") {
			t.Errorf("left in %s: %s", dir, e.Name())
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "datapackage.json"))
	return string(b)
}

// TestExportOutInsideDataset: --out may be neither the dataset folder nor a folder inside it,
// through a link or not (review D12, cases 117 and 118): exit 2 with the fix, nothing written.
func TestExportOutInsideDataset(t *testing.T) {
	ds := filepath.Join(t.TempDir(), "ds")
	if err := os.CopyFS(ds, os.DirFS(exportFixture)); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "link")
	os.Symlink(ds, link)
	for _, out := range []string{ds, filepath.Join(ds, "dist"), filepath.Join(ds, "incidents"), filepath.Join(link, "dist"), ds + "/./sub/.."} {
		code, _, stderr := runExportArgs(t, "--quiet", "--out", out, ds)
		if code != exitUsage || !strings.Contains(stderr, "inside the dataset folder") || !strings.Contains(stderr, "choose a folder outside it") {
			t.Errorf("--out %s: exit %d, %s", out, code, stderr)
		}
	}
	if code, _, stderr := runExportArgs(t, "--quiet", "--out", filepath.Join(t.TempDir(), "dist"), ds); code != exitOK {
		t.Errorf("--out outside: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(ds, "dist")); err == nil {
		t.Error("a folder was created in the dataset")
	}
}

// TestExportEmptyFormat: --format "" is a usage error, and creates nothing (review D17, case 119).
func TestExportEmptyFormat(t *testing.T) {
	out := filepath.Join(t.TempDir(), "dist")
	code, _, stderr := runExportArgs(t, "--quiet", "--format", "", "--out", out, exportFixture)
	if code != exitUsage || !strings.Contains(stderr, "--format names no format") {
		t.Errorf("exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("the output folder was created")
	}
}

// TestExportUmask: the files and the folder an export creates follow the umask (review D17).
func TestExportUmask(t *testing.T) {
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	out := filepath.Join(t.TempDir(), "dist")
	if code, _, stderr := runExportArgs(t, "--quiet", "--out", out, exportFixture); code != exitOK {
		t.Fatalf("exit %d, %s", code, stderr)
	}
	for _, f := range []string{"", "incidents.csv", "apmd.xlsx", "datapackage.json"} {
		fi, err := os.Stat(filepath.Join(out, f))
		want := os.FileMode(0o640)
		if f == "" {
			want = 0o750 | os.ModeDir
		}
		if err != nil || fi.Mode() != want {
			t.Errorf("%s: mode %v (%v), want %v", f, fi.Mode(), err, want)
		}
	}
}

// TestExportSignals runs the command on a dataset large enough to be stopped while it writes:
// SIGINT and SIGTERM remove what it was writing (exit 130 and 143) and leave the previous
// export whole; after kill -9 the next export cleans up (review D5, cases 122–126).
func TestExportSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("builds apmd and a 20,000-incident dataset")
	}
	bin := filepath.Join(t.TempDir(), "apmd")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ds, err := synth.Cached(20000, 1)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "dist")
	if b, err := exec.Command(bin, "export", "--quiet", "--out", out, exportFixture).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	previous := checkFolder(t, out)
	for _, c := range []struct {
		sig  os.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}, {syscall.SIGKILL, -1}} {
		cmd := exec.Command(bin, "export", "--quiet", "--out", out, ds)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitStaged(t, out)
		cmd.Process.Signal(c.sig)
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != c.code {
			t.Errorf("%v: %v, want exit %d", c.sig, err, c.code)
		}
		if c.sig == syscall.SIGKILL {
			break
		}
		if got := checkFolder(t, out); got != previous {
			t.Errorf("%v: the previous export changed", c.sig)
		}
	}
	b, err := exec.Command(bin, "export", "--quiet", "--out", out, exportFixture).Output()
	if err != nil || !strings.Contains(string(b), "cleaned up what an interrupted export had left") {
		t.Errorf("the export after kill -9: %v, %s", err, b)
	}
	if got := checkFolder(t, out); got != previous {
		t.Error("the export after kill -9 differs from the first")
	}
}

// waitStaged waits until an export has begun to write its staging folder in out.
func waitStaged(t *testing.T, out string) {
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		stages, _ := filepath.Glob(filepath.Join(out, ".apmd-stage-*", "*.csv"))
		if len(stages) > 0 {
			time.Sleep(200 * time.Millisecond)
			return
		}
	}
	t.Fatal("the export wrote no staging folder")
}

// TestExportNoSpace exports into a small tmpfs (as root only): a full disk is exit 2 with a
// message that names the output folder's file, not a record, and leaves the previous export
// whole and nothing else (review D17, cases 127 and 128).
func TestExportNoSpace(t *testing.T) {
	if testing.Short() || os.Geteuid() != 0 {
		t.Skip("needs root to mount a tmpfs")
	}
	out := t.TempDir()
	if err := syscall.Mount("tmpfs", out, "tmpfs", 0, "size=2m"); err != nil {
		t.Skipf("mount tmpfs: %v", err)
	}
	defer syscall.Unmount(out, 0)
	if code, _, stderr := runExportArgs(t, "--quiet", "--out", out, exportFixture); code != exitOK {
		t.Fatalf("exit %d, %s", code, stderr)
	}
	previous := checkFolder(t, out)
	ds, err := synth.Cached(2000, 1)
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runExportArgs(t, "--quiet", "--out", out, ds)
	if code != exitUsage || !strings.Contains(stderr, "no space left on device") || !strings.Contains(stderr, "apmd export: "+out+"/") ||
		strings.Contains(stderr, "incidents/") {
		t.Errorf("exit %d, %s", code, stderr)
	}
	if got := checkFolder(t, out); got != previous {
		t.Error("the previous export changed")
	}
}

// TestExportWhatWasValidated: a record changed on disk while the export runs (review D10,
// case 133) is either read before the change, validated and exported as it was read, or read
// after it and refused; never validated in one form and exported in another. Each record file
// is read once, and the export is fed the validated bytes.
func TestExportWhatWasValidated(t *testing.T) {
	ds := filepath.Join(t.TempDir(), "ds")
	if err := os.CopyFS(ds, os.DirFS(exportFixture)); err != nil {
		t.Fatal(err)
	}
	claim := filepath.Join(ds, "claims", "clm-example-front-testabad.json")
	orig, _ := os.ReadFile(claim)
	bad := strings.Replace(string(orig), `"type": "responsibility"`, `"type": "NOT_A_VALID_TYPE"`, 1)
	out := filepath.Join(t.TempDir(), "dist")
	st := export.NewStream(out, export.Formats, export.Options{})
	report, err := validate.Dir(ds, validate.Options{Workers: 1, Records: func(r *datadir.Record) error {
		if r.Kind == "incident" { // the claim comes later: rewrite it now
			os.WriteFile(claim, []byte(bad), 0o644)
		}
		return st.Add(r)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !report.Valid() {
		st.Abort()
		return // the changed claim was read, and refused
	}
	if _, err := st.Close(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(out, "claims.csv"))
	if strings.Contains(string(b), "NOT_A_VALID_TYPE") {
		t.Errorf("an invalid claim was exported:\n%s", b)
	}
}
