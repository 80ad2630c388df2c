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

// folder writes files into a new folder and opens it.
func folder(t *testing.T, files map[string][]byte) (*Dir, string) {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d, dir
}

// bothReaders runs a test with the system's own reader and with os.Root's.
func bothReaders(t *testing.T, test func(t *testing.T)) {
	for _, generic := range []bool{false, true} {
		t.Run(map[bool]string{false: "native", true: "os.Root"}[generic], func(t *testing.T) {
			defer func(was bool) { genericReader = was }(genericReader)
			genericReader = generic
			test(t)
		})
	}
}

func TestRead(t *testing.T) { bothReaders(t, testRead) }

func testRead(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 10000) // longer than any first buffer
	files := map[string][]byte{"a.json": []byte(`{"id": "a"}`), "sub/big.txt": big, "sub/empty.json": nil}
	d, _ := folder(t, files)
	for _, f := range []*Dir{d, FromFS(fstest.MapFS{"a.json": {Data: files["a.json"]}, "sub/big.txt": {Data: big}, "sub/empty.json": {}})} {
		for name, want := range files {
			for _, buf := range [][]byte{nil, make([]byte, 0, 7), []byte("prefix")} {
				prefix := bytes.Clone(buf)
				got, err := f.Read(name, MaxTextSize, buf)
				if err != nil || !bytes.Equal(got, append(prefix, want...)) {
					t.Errorf("Read(%q, %q): %d bytes, %v; want the prefix then %d bytes", name, prefix, len(got), err, len(want))
				}
			}
		}
	}
	for _, c := range []struct {
		name string
		err  error
	}{
		{"missing.json", fs.ErrNotExist},
		{"../a.json", fs.ErrInvalid},
		{"/a.json", fs.ErrInvalid},
		{".", fs.ErrInvalid},
		{"sub", ErrNotRegular}, // a folder is not a file
	} {
		_, err := d.Read(c.name, MaxRecordSize, nil)
		var pe *fs.PathError
		if !errors.As(err, &pe) || pe.Path != c.name || !errors.Is(err, c.err) {
			t.Errorf("Read(%q) = %v; want a *fs.PathError on %q wrapping %v", c.name, err, c.name, c.err)
		}
	}
}

// TestReadLimit: a file larger than the limit is refused, before or while it is read.
func TestReadLimit(t *testing.T) { bothReaders(t, testReadLimit) }

func testReadLimit(t *testing.T) {
	d, _ := folder(t, map[string][]byte{"ten.json": []byte("0123456789")})
	if got, err := d.Read("ten.json", 10, nil); err != nil || len(got) != 10 {
		t.Errorf("a file of exactly the limit: %d bytes, %v", len(got), err)
	}
	if _, err := d.Read("ten.json", 9, nil); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a file over the limit: %v, want ErrTooLarge", err)
	}
	// A file whose size says nothing (as /proc files do), read through LimitReader.
	f := FromFS(fstest.MapFS{"x": {Data: []byte("0123456789")}})
	if _, err := f.Read("x", 9, nil); !errors.Is(err, ErrTooLarge) {
		t.Errorf("MapFS, over the limit: %v", err)
	}
}
