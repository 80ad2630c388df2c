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
	if strings.ContainsRune(got, '\x1b') || strings.Count(got, "\n") != 1 {
		t.Fatalf("want one finding line, without ESC:\n%s", got)
	}
	want := `"incidents/evil\nFAKE.json:1:1: error fake-rule: injected line\x1b[2J.txt":1:1: error file-unexpected: `
	if !strings.HasPrefix(got, want) {
		t.Errorf("got  %s\nwant %s…", got, want)
	}
}
