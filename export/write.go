package export

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// The output formats and their files.
const (
	FormatCSV         = "csv"         // <table>.csv
	FormatXLSX        = "xlsx"        // apmd.xlsx
	FormatDataPackage = "datapackage" // datapackage.json (needs the CSV files, so writes them too)

	WorkbookFile = "apmd.xlsx"
	PackageFile  = "datapackage.json"
)

// Formats lists every format, in the order they are written.
var Formats = []string{FormatCSV, FormatXLSX, FormatDataPackage}

// OutError is an output folder that cannot be used; Fix says what to do.
type OutError struct {
	Path string
	Err  error
	Fix  string
}

func (e *OutError) Error() string {
	return fmt.Sprintf("%s: %v; %s", e.Path, e.Err, e.Fix)
}

func (e *OutError) Unwrap() error { return e.Err }

// Write writes the chosen formats into dir (created if missing) and returns the files written,
// relative to dir. Every file is written under a temporary name in dir and renamed only when
// all of them are complete: on an error nothing half-written is left and an earlier export
// in dir stays as it was.
func Write(dir string, e *Export, formats []string, opts Options) (files []string, err error) {
	want := map[string]bool{}
	for _, f := range formats {
		want[f] = true
	}
	if err := outDir(dir); err != nil {
		return nil, err
	}
	var staged []stagedFile
	defer func() {
		if err != nil {
			for _, s := range staged {
				os.Remove(s.tmp)
			}
		}
	}()
	stage := func(name string, write func(io.Writer) error) (FileInfo, error) {
		f, err := os.CreateTemp(dir, "."+name+".*.tmp")
		if err != nil {
			return FileInfo{}, &OutError{Path: dir, Err: err, Fix: "make the folder writable or choose another with --out"}
		}
		staged = append(staged, stagedFile{tmp: f.Name(), name: name})
		h := sha256.New()
		cw := &countWriter{w: io.MultiWriter(f, h)}
		werr := write(cw)
		cerr := f.Close()
		if werr != nil {
			return FileInfo{}, fmt.Errorf("%s: %w", name, werr)
		}
		if cerr != nil {
			return FileInfo{}, &OutError{Path: filepath.Join(dir, name), Err: cerr, Fix: "check the free space of the output folder"}
		}
		return FileInfo{Bytes: cw.n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
	}
	infos := map[string]FileInfo{}
	if want[FormatCSV] || want[FormatDataPackage] {
		for _, t := range e.Tables {
			info, err := stage(t.Name+".csv", func(w io.Writer) error { return CSV(w, t, opts) })
			if err != nil {
				return nil, err
			}
			infos[t.Name] = info
		}
	}
	if want[FormatXLSX] {
		if _, err := stage(WorkbookFile, func(w io.Writer) error { return XLSX(w, e) }); err != nil {
			return nil, err
		}
	}
	if want[FormatDataPackage] {
		b, err := DataPackage(e, infos, opts)
		if err != nil {
			return nil, err
		}
		if _, err := stage(PackageFile, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
			return nil, err
		}
	}
	for _, s := range staged {
		final := filepath.Join(dir, s.name)
		if err := os.Chmod(s.tmp, 0o644); err != nil {
			return nil, &OutError{Path: final, Err: err, Fix: "check the output folder's permissions"}
		}
		if err := os.Rename(s.tmp, final); err != nil {
			return nil, &OutError{Path: final, Err: err, Fix: "remove what is in the way or choose another folder with --out"}
		}
		files = append(files, s.name)
	}
	return files, nil
}

type stagedFile struct{ tmp, name string }

// outDir makes sure dir is a folder, creating it when missing.
func outDir(dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case err == nil && !fi.IsDir():
		return &OutError{Path: dir, Err: errors.New("is a file, not a folder"), Fix: "choose a folder with --out (it is created if missing)"}
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return &OutError{Path: dir, Err: err, Fix: "choose a folder you can create with --out"}
		}
	case err != nil:
		return &OutError{Path: dir, Err: err, Fix: "choose a folder you can read and write with --out"}
	}
	return nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
