//go:build unix

package datadir

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"
)

// TestLinksAndSpecialFiles: links (inside or outside the folder, to files or folders), named
// pipes and sockets are listed as what they are, and never read; a link to a folder is not
// entered.
func TestLinksAndSpecialFiles(t *testing.T) { bothReaders(t, linksAndSpecialFiles) }

func linksAndSpecialFiles(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.json")
	os.WriteFile(outside, []byte(`{"secret": 1}`), 0o644)
	d, dir := folder(t, map[string][]byte{"incidents/inc-a.json": []byte("{}")})
	links := map[string]string{"incidents/inc-in.json": "inc-a.json", "incidents/inc-out.json": outside,
		"incidents/inc-dir.json": ".", "groups": "incidents", "sources/src-zero.txt": "/dev/zero"}
	os.Mkdir(filepath.Join(dir, "sources"), 0o755)
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "incidents", "inc-fifo.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	entries, err := d.List()
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]fs.FileMode{}
	for _, e := range entries {
		types[e.Path] = e.Type
		if !e.Regular() && e.Kind != "" {
			t.Errorf("%s: a kind for an entry that is not a regular file", e.Path)
		}
	}
	for name := range links {
		if types[name] != fs.ModeSymlink {
			t.Errorf("%s: listed as %v, want a link", name, types[name])
		}
	}
	if types["incidents/inc-fifo.json"] != fs.ModeNamedPipe || types["incidents/inc-a.json"] != 0 || len(types) != 7 {
		t.Errorf("listing: %v", types)
	}
	done := make(chan bool)
	go func() {
		for name := range types {
			if _, err := d.Read(name, MaxRecordSize, nil); name != "incidents/inc-a.json" && !errors.Is(err, ErrNotRegular) {
				t.Errorf("Read(%s) = %v, want ErrNotRegular", name, err)
			}
		}
		done <- true
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("reading a named pipe blocked")
	}
}

// TestListAgrees: the system's own listing of a folder is List's over the folder as an fs.FS:
// nested and hidden folders, hidden files, links and named pipes.
func TestListAgrees(t *testing.T) {
	d, dir := folder(t, map[string][]byte{"dataset.json": nil, "incidents/inc-a.json": nil, "incidents/2024/inc-b.json": nil,
		"incidents/.hidden/inc-c.json": nil, "sources/.x.txt": nil, "sources/src-a.txt": nil, "a/b/c/d.md": nil})
	os.Symlink("incidents", filepath.Join(dir, "groups"))
	syscall.Mkfifo(filepath.Join(dir, "claims.json"), 0o644)
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	want, err := List(root.FS())
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.List()
	if err != nil || !slices.Equal(got, want) || len(got) != 7 {
		t.Errorf("List() = %v, %v\nwant %v", got, err, want)
	}
}
