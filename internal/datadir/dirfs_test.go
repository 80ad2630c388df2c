package datadir

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

func TestDirFS(t *testing.T) {
	dir := t.TempDir()
	big := bytes.Repeat([]byte("0123456789abcdef"), 10000) // longer than any first buffer
	files := map[string][]byte{"a.json": []byte(`{"id": "a"}`), "sub/big.txt": big, "sub/empty.json": nil}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d := DirFS(dir)
	if err := fstest.TestFS(d, "a.json", "sub/big.txt", "sub/empty.json"); err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		for _, buf := range [][]byte{nil, make([]byte, 0, 7), []byte("prefix")} {
			prefix := bytes.Clone(buf)
			got, err := d.ReadFileInto(name, buf)
			if err != nil || !bytes.Equal(got, append(prefix, want...)) {
				t.Errorf("ReadFileInto(%q, %q): %d bytes, %v; want the prefix then %d bytes", name, prefix, len(got), err, len(want))
			}
		}
	}
	for _, c := range []struct {
		name string
		op   string
		err  error
	}{
		{"missing.json", "open", fs.ErrNotExist},
		{"../a.json", "open", fs.ErrInvalid},
		{"/a.json", "open", fs.ErrInvalid},
		{"sub", "read", nil}, // a folder opens, then cannot be read
	} {
		_, err := d.ReadFileInto(c.name, nil)
		var pe *fs.PathError
		if !errors.As(err, &pe) || pe.Op != c.op || pe.Path != c.name || (c.err != nil && !errors.Is(err, c.err)) {
			t.Errorf("ReadFileInto(%q) = %v; want a *fs.PathError of %s on %q wrapping %v", c.name, err, c.op, c.name, c.err)
		}
	}
}

// TestReadFileIntoFS: file systems other than DirFS are read through Open.
func TestReadFileIntoFS(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 3*minRead+1)
	fsys := fstest.MapFS{"a.json": {Data: big}}
	got, err := ReadFileInto(fsys, "a.json", []byte("p"))
	if err != nil || !bytes.Equal(got, append([]byte("p"), big...)) {
		t.Errorf("ReadFileInto(MapFS): %d bytes, %v; want the prefix then %d bytes", len(got), err, len(big))
	}
	if _, err := ReadFileInto(fsys, "missing.json", nil); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFileInto(MapFS, missing) = %v, want fs.ErrNotExist", err)
	}
}
