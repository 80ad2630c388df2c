package export

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
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
	Files []string // relative to the output folder
	// Removed names the files of an earlier export that this one did not write (the formats
	// left out): they were removed, so that none claims to belong with the new files.
	Removed []string
	// Cleaned names what an interrupted export had left in the folder, and this one removed.
	Cleaned []string
	Tables  int
	Rows    int
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
		if err := s.writeFile(WorkbookFile, func(sf *stagedFile) error { return writeWorkbook(sf, s.stager().tmp, s.book, sheets) }); err != nil {
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
	out.Files, out.Removed, err = s.stager().commit(s.book.tables)
	out.Cleaned = s.stager().cleaned
	return out, err
}

// writeFile stages one whole file, written by write.
func (s *Stream) writeFile(name string, write func(*stagedFile) error) error {
	sf, err := s.stager().create(name)
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
	cw     *csvWriter
	spill  *os.File
	sw     *bufio.Writer
}

func (o *tableOut) startCSV() (err error) {
	o.cw, err = startCSV(o.csv, o.t, o.opts)
	return err
}

// finishCSV flushes the table's CSV file and completes it.
func (o *tableOut) finishCSV() (FileInfo, error) {
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
		if err := o.cw.write(row); err != nil {
			return o.csv.fail(err)
		}
	}
	if o.sw != nil {
		if err := writeSpillRow(o.sw, row); err != nil {
			return o.spillFail(WorkbookFile, err)
		}
	}
	return nil
}

// stager writes the files of an export into a staging folder inside the output folder, and
// commits them all at the end (see commit.go). It holds the folder's lock from its creation
// to commit or removeAll.
type stager struct {
	dir    string // the output folder
	stage  string // the staging folder: the new files, under their own names
	tmp    string // the folder of the temporary files (spill files, the workbook's parts)
	staged []*stagedFile
	// cleaned names what an interrupted export had left, and this one removed.
	cleaned []string
	unlock  func()
	// mu orders the commit and an interruption (Stream.Interrupt): once one has begun, the
	// other waits for it and then does nothing.
	mu        sync.Mutex
	done      bool
	committed bool
}

// newStager locks the output folder dir, finishes what an interrupted export left there, and
// creates the staging folder.
func newStager(dir string) (*stager, error) {
	unlock, err := lockFolder(dir)
	if err != nil {
		return nil, &OutError{Path: dir, Err: err, Fix: "choose a folder you can read and write with --out"}
	}
	s := &stager{dir: dir, unlock: unlock}
	if s.cleaned, err = recoverFolder(dir); err != nil {
		unlock()
		return nil, err
	}
	if s.stage, err = os.MkdirTemp(dir, stagePrefix+"*"); err != nil {
		unlock()
		return nil, &OutError{Path: dir, Err: err, Fix: "make the folder writable or choose another with --out"}
	}
	s.tmp = filepath.Join(s.stage, tmpDir)
	if err := os.Mkdir(s.tmp, 0o700); err != nil {
		s.removeAll()
		return nil, &OutError{Path: dir, Err: err, Fix: "make the folder writable or choose another with --out"}
	}
	return s, nil
}

// stagedFile is one output file being written: buffered, counted and hashed on the way.
type stagedFile struct {
	name, path string // its name in the output folder; its path in the staging folder
	f          *os.File
	bw         *bufio.Writer
	h          hash.Hash
	n          int64
}

func (s *stager) create(name string) (*stagedFile, error) {
	// 0666 less the umask, as any file a program creates.
	f, err := os.OpenFile(filepath.Join(s.stage, name), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return nil, &OutError{Path: filepath.Join(s.dir, name), Err: err, Fix: "make the folder writable or choose another with --out"}
	}
	sf := &stagedFile{name: name, path: f.Name(), f: f, h: sha256.New()}
	sf.bw = bufio.NewWriterSize(io.MultiWriter(f, sf.h), 1<<16)
	s.staged = append(s.staged, sf)
	return sf, nil
}

func (sf *stagedFile) Write(p []byte) (int, error) {
	n, err := sf.bw.Write(p)
	sf.n += int64(n)
	return n, err
}

// fail names the output file of a write error (not the staging folder's copy).
func (sf *stagedFile) fail(err error) error {
	var oe *OutError
	if errors.As(err, &oe) {
		return oe
	}
	return &OutError{Path: filepath.Join(filepath.Dir(filepath.Dir(sf.path)), sf.name), Err: err, Fix: fixSpace}
}

// finish completes the file, synced to the disk, and returns its size and hash.
func (sf *stagedFile) finish() (FileInfo, error) {
	err := sf.bw.Flush()
	if serr := sf.f.Sync(); err == nil {
		err = serr
	}
	if cerr := sf.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return FileInfo{}, sf.fail(err)
	}
	return FileInfo{Bytes: sf.n, SHA256: hex.EncodeToString(sf.h.Sum(nil))}, nil
}

// removeAll removes the staging folder and everything in it, and releases the folder's lock;
// it reports false when the files were committed already.
func (s *stager) removeAll() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.abandon()
}

// abandon is removeAll with mu held.
func (s *stager) abandon() bool {
	if s.done {
		return !s.committed
	}
	s.done = true
	for _, sf := range s.staged {
		sf.f.Close()
	}
	os.RemoveAll(s.stage)
	s.unlock()
	return true
}

// commit gives every staged file its name in the output folder, and removes the files of an
// earlier export that this one does not write (stale); it returns the names of both.
func (s *stager) commit(tables []*Table) (written, removed []string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return nil, nil, errors.New("export interrupted")
	}
	for _, sf := range s.staged {
		written = append(written, sf.name)
	}
	removed = stale(s.dir, tables, written)
	if err := os.RemoveAll(s.tmp); err != nil {
		s.abandon()
		return nil, nil, &OutError{Path: s.tmp, Err: err, Fix: fixSpace}
	}
	err = commitStage(s.dir, s.stage, journal{Write: written, Remove: removed})
	s.done, s.committed = true, err == nil
	os.RemoveAll(s.stage) // present only if the commit failed before its commit point
	s.unlock()
	if err != nil {
		return nil, nil, &OutError{Path: s.dir, Err: err, Fix: "remove what is in the way (the previous export is as it was) or choose another folder with --out"}
	}
	return written, removed, nil
}

// outDir makes sure dir is a folder, creating it when missing (then created is true).
func outDir(dir string) (created bool, err error) {
	fi, err := os.Stat(dir)
	switch {
	case err == nil && !fi.IsDir():
		return false, &OutError{Path: dir, Err: errors.New("is a file, not a folder"), Fix: "choose a folder with --out (it is created if missing)"}
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o777); err != nil { // less the umask
			return false, &OutError{Path: dir, Err: err, Fix: "choose a folder you can create with --out"}
		}
		return true, nil
	case err != nil:
		return false, &OutError{Path: dir, Err: err, Fix: "choose a folder you can read and write with --out"}
	}
	return false, nil
}
