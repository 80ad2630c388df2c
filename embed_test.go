package apmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadFileNameCompiles is the review's D7: a data file whose name Go modules reject (here a
// ') must not break the compilation of go run, go test or CI, where apmd validate reports it
// (file-name-invalid). Go 1.26 refuses such a file inside a directory that go:embed names
// ("cannot embed file …: invalid name …", golang.org/issue/54003), so the default build embeds
// no data file; only -tags bundle does, and this test shows it fails there, as it must.
func TestBadFileNameCompiles(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	mod := t.TempDir()
	write := func(name, data string) {
		p := filepath.Join(mod, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example.com/apmdcopy\n\ngo 1.26.0\n")
	for _, f := range []string{"apmd.go", "bundle.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		write(f, string(b))
	}
	write("dataset/dataset.json", "{}\n")
	write("dataset/sources/src-a.txt", "A text.\n")
	write("dataset/groups/grp-a.json", "{}\n")
	write("dataset/claims/clm-a.json", "{}\n")
	write("dataset/incidents/inc-x'y.json", "{}\n")
	build := func(args ...string) (string, error) {
		cmd := exec.Command(goBin, append([]string{"build"}, append(args, ".")...)...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off", "GOTOOLCHAIN=local", "GOPROXY=off")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := build(); err != nil {
		t.Errorf("with a data file named inc-x'y.json, the default build fails: %v\n%s", err, out)
	}
	if out, err := build("-tags", "bundle"); err == nil || !strings.Contains(out, "invalid name") {
		t.Errorf("the -tags bundle build was expected to refuse inc-x'y.json (go:embed's rule), got %v\n%s", err, out)
	}
}
