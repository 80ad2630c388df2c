package export

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"unicode/utf8"
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

const fixSpace = "check the free space of the output folder"

// Written is what an export wrote.
type Written struct {
	Files  []string // relative to the output folder
	Tables int
	Rows   int
}

// emitFunc takes one row of a table as it is produced.
type emitFunc func(t *Table, row []Cell) error

// finish completes every file after the last row, then gives them all their names.
func (s *Stream) finish() (out Written, err error) {
	infos := map[string]FileInfo{}
	var sheets []*sheetTable
	for _, t := range s.book.tables {
		o := s.outs[t]
		out.Tables++
		out.Rows += o.rows
		if o.csv != nil {
			if infos[t.Name], err = o.finishCSV(); err != nil {
				return out, err
			}
		}
		if o.spill != nil {
			sh, err := o.sheet()
			if err != nil {
				return out, err
			}
			sheets = append(sheets, sh)
		}
	}
	if s.formats[FormatXLSX] {
		if err := s.writeFile(WorkbookFile, func(sf *stagedFile) error { return writeWorkbook(sf, s.dir, s.book, sheets) }); err != nil {
			return out, err
		}
	}
	if s.formats[FormatDataPackage] {
		b, err := dataPackage(s.book, infos, s.sources, s.opts)
		if err != nil {
			return out, err
		}
		if err := s.writeFile(PackageFile, func(sf *stagedFile) error { _, err := sf.Write(b); return err }); err != nil {
			return out, err
		}
	}
	out.Files, err = s.st.commit()
	return out, err
}

// writeFile stages one whole file, written by write.
func (s *Stream) writeFile(name string, write func(*stagedFile) error) error {
	sf, err := s.st.create(name)
	if err != nil {
		return err
	}
	if err := write(sf); err != nil {
		return fmt.Errorf("%s: %w", name, sf.fail(err))
	}
	_, err = sf.finish()
	return err
}

// tableOut is where the rows of one table go while they are produced.
type tableOut struct {
	t      *Table
	opts   Options
	rows   int
	widths []int // the longest value of each column, in characters, for the sheet's widths
	csv    *stagedFile
	cw     *csv.Writer
	rec    []string
	spill  *os.File
	sw     *bufio.Writer
}

func (o *tableOut) startCSV() (err error) {
	o.cw, err = startCSV(o.csv, o.t, o.opts)
	return err
}

// finishCSV flushes the table's CSV file and completes it.
func (o *tableOut) finishCSV() (FileInfo, error) {
	o.cw.Flush()
	if err := o.cw.Error(); err != nil {
		return FileInfo{}, o.csv.fail(err)
	}
	return o.csv.finish()
}

func (o *tableOut) write(row []Cell) error {
	o.rows++
	for i, c := range row {
		if n := utf8.RuneCountInString(c.Value); n > o.widths[i] {
			o.widths[i] = n
		}
	}
	if o.cw != nil {
		csvRecord(o.t, row, o.rec, o.opts)
		if err := o.cw.Write(o.rec); err != nil {
			return o.csv.fail(err)
		}
	}
	if o.sw != nil {
		if err := writeSpillRow(o.sw, row); err != nil {
			return &OutError{Path: o.spill.Name(), Err: err, Fix: fixSpace}
		}
	}
	return nil
}

// stager writes files under temporary names in dir and renames them all at the end.
type stager struct {
	dir    string
	staged []*stagedFile
}

// stagedFile is one output file being written: buffered, counted and hashed on the way.
type stagedFile struct {
	name, tmp string
	f         *os.File
	bw        *bufio.Writer
	h         hash.Hash
	n         int64
}

func (s *stager) create(name string) (*stagedFile, error) {
	f, err := os.CreateTemp(s.dir, "."+name+".*.tmp")
	if err != nil {
		return nil, &OutError{Path: s.dir, Err: err, Fix: "make the folder writable or choose another with --out"}
	}
	sf := &stagedFile{name: name, tmp: f.Name(), f: f, h: sha256.New()}
	sf.bw = bufio.NewWriterSize(io.MultiWriter(f, sf.h), 1<<16)
	s.staged = append(s.staged, sf)
	return sf, nil
}

func (sf *stagedFile) Write(p []byte) (int, error) {
	n, err := sf.bw.Write(p)
	sf.n += int64(n)
	return n, err
}

// fail names the file of a write error.
func (sf *stagedFile) fail(err error) error {
	var oe *OutError
	if errors.As(err, &oe) {
		return err
	}
	return &OutError{Path: filepath.Join(filepath.Dir(sf.tmp), sf.name), Err: err, Fix: fixSpace}
}

// finish completes the file and returns its size and hash.
func (sf *stagedFile) finish() (FileInfo, error) {
	err := sf.bw.Flush()
	if cerr := sf.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return FileInfo{}, sf.fail(err)
	}
	return FileInfo{Bytes: sf.n, SHA256: hex.EncodeToString(sf.h.Sum(nil))}, nil
}

func (s *stager) removeAll() {
	for _, sf := range s.staged {
		sf.f.Close()
		os.Remove(sf.tmp)
	}
}

// commit gives every staged file its final name.
func (s *stager) commit() ([]string, error) {
	var files []string
	for _, sf := range s.staged {
		final := filepath.Join(s.dir, sf.name)
		if err := os.Chmod(sf.tmp, 0o644); err != nil {
			return nil, &OutError{Path: final, Err: err, Fix: "check the output folder's permissions"}
		}
		if err := os.Rename(sf.tmp, final); err != nil {
			return nil, &OutError{Path: final, Err: err, Fix: "remove what is in the way or choose another folder with --out"}
		}
		files = append(files, sf.name)
	}
	return files, nil
}

// outDir makes sure dir is a folder, creating it when missing (then created is true).
func outDir(dir string) (created bool, err error) {
	fi, err := os.Stat(dir)
	switch {
	case err == nil && !fi.IsDir():
		return false, &OutError{Path: dir, Err: errors.New("is a file, not a folder"), Fix: "choose a folder with --out (it is created if missing)"}
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return false, &OutError{Path: dir, Err: err, Fix: "choose a folder you can create with --out"}
		}
		return true, nil
	case err != nil:
		return false, &OutError{Path: dir, Err: err, Fix: "choose a folder you can read and write with --out"}
	}
	return false, nil
}
