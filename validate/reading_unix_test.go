//go:build unix

package validate

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLinksAndSpecialFiles: links (to records, texts and folders, inside or outside the
// dataset) and named pipes are findings, and are never read: the run neither hangs on a pipe
// nor prints anything of a file outside the dataset.
func TestLinksAndSpecialFiles(t *testing.T) {
	dir := writeCase(t, "valid")
	secret := filepath.Join(t.TempDir(), "secret.txt")
	os.WriteFile(secret, []byte(`{"id": "inc-secret", "token": "ghp_SECRET_TOKEN"}`), 0o644)
	text := filepath.Join(dir, "sources", "src-quetta.txt")
	os.Remove(text)
	for link, target := range map[string]string{
		text: secret, // the source's text
		filepath.Join(dir, "incidents", "inc-secret.json"): secret,
		filepath.Join(dir, "incidents", "inc-zero.json"):   "/dev/zero",
		filepath.Join(dir, "incidents", "inc-inside.json"): "inc-quetta-market.json",
		filepath.Join(dir, "claims2"):                      "claims",
	} {
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "incidents", "inc-fifo.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan string)
	go func() { done <- findings(t, dir) }()
	var got string
	select {
	case got = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the validation hangs")
	}
	for _, file := range []string{"claims2", "incidents/inc-fifo.json", "incidents/inc-inside.json", "incidents/inc-secret.json",
		"incidents/inc-zero.json", "sources/src-quetta.txt"} {
		if !strings.Contains(got, file+":1:1: error file-not-regular: ") {
			t.Errorf("no file-not-regular finding for %s:\n%s", file, got)
		}
	}
	if strings.Contains(got, "SECRET") || strings.Contains(got, "inc-secret\"") {
		t.Errorf("a file outside the dataset was read:\n%s", got)
	}
	if n := strings.Count(got, "\n"); n != 6 {
		t.Errorf("want the 6 findings and nothing else (the quotes of a source whose text is a link are not checked):\n%s", got)
	}
}
