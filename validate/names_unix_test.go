//go:build unix

package validate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTextFormatEscapesFileNames: a file whose name holds a line break and an escape sequence
// (review D14, case 32) is printed quoted, on one line, without the raw ESC: it can neither
// forge a finding line nor clear the terminal.
func TestTextFormatEscapesFileNames(t *testing.T) {
	dir := writeCase(t, "valid")
	name := "evil\nFAKE.json:1:1: error fake-rule: injected line\x1b[2J.txt"
	if err := os.WriteFile(filepath.Join(dir, "incidents", name), []byte("x"), 0o644); err != nil {
		t.Skipf("this file system refuses the name: %v", err)
	}
	got := findings(t, dir)
	// Two findings (the name is one Go modules cannot hold, and the file is unexpected), each
	// on one line that starts with the quoted name.
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if strings.ContainsRune(got, '\x1b') || len(lines) != 2 {
		t.Fatalf("want two finding lines, without ESC:\n%s", got)
	}
	want := `"incidents/evil\nFAKE.json:1:1: error fake-rule: injected line\x1b[2J.txt":1:1: error `
	for _, l := range lines {
		if !strings.HasPrefix(l, want) {
			t.Errorf("got  %s\nwant %s…", l, want)
		}
	}
}

// TestGitHubFormatEscapesFileNames: in --format github, the same name's line break is the
// runner's %0A and its ESC a Go escape, so no annotation carries a raw control character.
func TestGitHubFormatEscapesFileNames(t *testing.T) {
	dir := writeCase(t, "valid")
	name := "evil\nFAKE.json:1:1: error fake-rule: injected line\x1b[2J.txt"
	if err := os.WriteFile(filepath.Join(dir, "incidents", name), []byte("x"), 0o644); err != nil {
		t.Skipf("this file system refuses the name: %v", err)
	}
	rep, err := Dir(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := WriteGitHub(&b, rep); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		if strings.ContainsRune(l, '\x1b') || !strings.HasPrefix(l, "::") {
			t.Errorf("annotation with a raw control character or forged line: %q", l)
		}
	}
	b.Reset()
	if err := WriteMarkdown(&b, rep, "apmd validate"); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsRune(b.String(), '\x1b') || strings.Contains(b.String(), "\nFAKE.json") {
		t.Errorf("the job summary carries the name's control characters raw:\n%q", b.String())
	}
}
