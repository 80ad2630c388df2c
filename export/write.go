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

// Write writes the chosen formats of a built export into dir (created if missing) and returns
// the files written, relative to dir. Every file is written under a temporary name in dir and
// renamed only when all of them are complete: on an error nothing half-written is left and an
// earlier export in dir stays as it was.
func Write(dir string, e *Export, formats []string, opts Options) (files []string, err error) {
	w, err := write(dir, e, formats, opts, func(emit emitFunc) error {
		for _, t := range e.Tables {
			for _, row := range t.Rows {
				if err := emit(t, row); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return w.Files, err
}

// Written is what an export wrote.
type Written struct {
	Files  []string // relative to the output folder
	Tables int
	Rows   int
}

// emitFunc takes one row of a table as it is produced.
type emitFunc func(t *Table, row []Cell) error

// write is Write and Stream: feed produces the rows, table by table or record by record (the
// rows of each table in their order either way), and each row goes straight to its CSV file
// and, for the workbook, to a spill file in dir that is read back sheet by sheet. Memory holds
// one row at a time and a few counters per table, whatever the number of records.
func write(dir string, e *Export, formats []string, opts Options, feed func(emitFunc) error) (out Written, err error) {
	want := map[string]bool{}
	for _, f := range formats {
		want[f] = true
	}
	if err := outDir(dir); err != nil {
		return out, err
	}
	if want[FormatXLSX] {
		// Before any work: a clash of sheet names is a fault of the layout, not of the data.
		if err := sheetNames(e.Tables, nil); err != nil {
			return out, err
		}
	}
	st := &stager{dir: dir}
	outs := map[*Table]*tableOut{}
	defer func() {
		for _, o := range outs {
			o.removeSpill()
		}
		if err != nil {
			st.removeAll()
		}
	}()
	csvs := want[FormatCSV] || want[FormatDataPackage]
	for _, t := range e.Tables {
		o := &tableOut{t: t, widths: make([]int, len(t.Columns)), rec: make([]string, len(t.Columns)), opts: opts}
		outs[t] = o
		for i, c := range t.Columns {
			o.widths[i] = utf8.RuneCountInString(c.Name) + 2 // room for the filter button (+1 below)
		}
		if csvs {
			if o.csv, err = st.create(t.Name + ".csv"); err != nil {
				return out, err
			}
			if err := o.startCSV(); err != nil {
				return out, o.csv.fail(err)
			}
		}
		if want[FormatXLSX] {
			if err := o.startSpill(dir); err != nil {
				return out, err
			}
		}
	}
	var sources []pkgSource
	emit := func(t *Table, row []Cell) error {
		o := outs[t]
		if o == nil {
			return fmt.Errorf("table %s is not part of the export", t.Name)
		}
		if want[FormatDataPackage] && t.Name == sourcesTable {
			sources = append(sources, sourceOf(t, row))
		}
		return o.write(row)
	}
	if err := feed(emit); err != nil {
		return out, err
	}
	infos := map[string]FileInfo{}
	var sheets []*sheetTable
	for _, t := range e.Tables {
		o := outs[t]
		out.Tables++
		out.Rows += o.rows
		if o.csv != nil {
			o.cw.Flush()
			if err := o.cw.Error(); err != nil {
				return out, o.csv.fail(err)
			}
			if infos[t.Name], err = o.csv.finish(); err != nil {
				return out, err
			}
		}
		if o.spill != nil {
			s, err := o.sheet()
			if err != nil {
				return out, err
			}
			sheets = append(sheets, s)
		}
	}
	if want[FormatXLSX] {
		sf, err := st.create(WorkbookFile)
		if err != nil {
			return out, err
		}
		if err := writeWorkbook(sf, dir, e, sheets); err != nil {
			return out, fmt.Errorf("%s: %w", WorkbookFile, err)
		}
		if _, err := sf.finish(); err != nil {
			return out, err
		}
	}
	if want[FormatDataPackage] {
		b, err := dataPackage(e, infos, sources, opts)
		if err != nil {
			return out, err
		}
		sf, err := st.create(PackageFile)
		if err != nil {
			return out, err
		}
		if _, err := sf.Write(b); err != nil {
			return out, sf.fail(err)
		}
		if _, err := sf.finish(); err != nil {
			return out, err
		}
	}
	out.Files, err = st.commit()
	return out, err
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
