package export

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"unicode/utf8"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/schema"
)

// Stream writes the tables of a dataset into a folder, one record at a time, as CSV files, one
// XLSX workbook and a Frictionless Data Package descriptor. Each row goes straight to its CSV
// file and, for the workbook, to a spill file that Close reads back sheet by sheet: memory
// holds one record and a few counters per table, whatever the size of the dataset.
//
// Every file is written under a temporary name in the folder and renamed only when Close has
// completed them all: after an error, or Abort, nothing half-written is left and an earlier
// export in the folder stays as it was.
type Stream struct {
	dir     string
	formats map[string]bool
	opts    Options
	book    *book // nil until the manifest is added
	byName  map[string]*Table
	st      atomic.Pointer[stager] // set by open; read by Interrupt, from another goroutine
	outs    map[*Table]*tableOut
	sources []pkgSource // the package's sources, collected from the rows of the sources table
	an      *analysis   // the analysis tables' rows, completed by Close (nil without such tables)
	prev    *datadir.Record
	created bool  // the folder did not exist: Abort removes it
	err     error // the first error; every later call returns it
}

// NewStream returns a stream into the folder dir (created when the manifest is added, if
// missing) of the given formats. Nothing is written before Add.
func NewStream(dir string, formats []string, opts Options) *Stream {
	s := &Stream{dir: dir, formats: map[string]bool{}, opts: opts}
	for _, f := range formats {
		s.formats[f] = true
	}
	return s
}

// Add writes the rows of the next record: the manifest first (the schema version it declares
// lays out the tables), then the records of each kind in the order of schema.Kinds, each kind
// in id order, as validate.Options.Records hands them over. A record the tables cannot hold
// is an error wrapping ErrData; a folder that cannot be written is an *OutError.
func (s *Stream) Add(r *datadir.Record) error {
	if s.err == nil {
		s.err = s.add(r)
	}
	return s.err
}

func (s *Stream) add(r *datadir.Record) error {
	if r.Kind == schema.Manifest {
		return s.open(r)
	}
	if s.book == nil {
		return fmt.Errorf("%w: %s comes before the manifest, %s, which lays out the tables", ErrData, r.File, datadir.ManifestFile)
	}
	if p := s.prev; p != nil && (kindOrder(r.Kind) < kindOrder(p.Kind) || p.Kind == r.Kind && r.ID <= p.ID) {
		return fmt.Errorf("%w: %s (id %q) comes after %s (id %q): the export takes the records of each kind in id order, each named <id>.json (apmd validate reports this)",
			ErrData, r.File, r.ID, p.File, p.ID)
	}
	s.prev = r
	t := s.byName[datadir.Folder(r.Kind)]
	if t == nil {
		return fmt.Errorf("%w: %s: no table for kind %q", ErrData, r.File, r.Kind)
	}
	if err := fillRecord(s.byName, t, r, s.emit); err != nil {
		if oe := (*OutError)(nil); errors.As(err, &oe) {
			return oe // about the output folder, not the record being written
		}
		return fmt.Errorf("%w: %w", ErrData, err)
	}
	return s.an.add(r)
}

// open lays out the tables from the manifest and starts their files.
func (s *Stream) open(manifest *datadir.Record) error {
	if s.book != nil {
		return fmt.Errorf("%w: %s: a second manifest", ErrData, manifest.File)
	}
	reg := s.opts.Schemas
	if reg == nil {
		reg = schema.Released()
	}
	b, err := newBook(reg, manifest)
	if err != nil {
		return err
	}
	if s.formats[FormatXLSX] {
		// Before any work: a clash of sheet names is a fault of the layout, not of the data.
		if err := sheetNames(b.tables, nil); err != nil {
			return err
		}
	}
	if s.created, err = outDir(s.dir); err != nil {
		return err
	}
	st, err := newStager(s.dir)
	if err != nil {
		return err
	}
	s.st.Store(st)
	s.book, s.byName, s.outs = b, map[string]*Table{}, map[*Table]*tableOut{}
	for _, t := range b.tables {
		s.byName[t.Name] = t
		if err := s.startTable(t); err != nil {
			return err
		}
	}
	s.an = newAnalysis(b.tables, st.tmp)
	return nil
}

// startTable opens the files a table's rows go to: its CSV file and its spill file.
func (s *Stream) startTable(t *Table) (err error) {
	o := &tableOut{t: t, widths: make([]int, len(t.Columns)), opts: s.opts}
	s.outs[t] = o
	for i, c := range t.Columns {
		o.widths[i] = utf8.RuneCountInString(c.Name) + 2 // room for the filter button (+1 below)
	}
	if s.formats[FormatCSV] || s.formats[FormatDataPackage] {
		if o.csv, err = s.stager().create(t.Name + ".csv"); err != nil {
			return err
		}
		if err := o.startCSV(); err != nil {
			return o.csv.fail(err)
		}
	}
	if s.formats[FormatXLSX] {
		return o.startSpill(s.stager().tmp)
	}
	return nil
}

// emit takes one row of a table as it is produced.
func (s *Stream) emit(t *Table, row []Cell) error {
	o := s.outs[t]
	if o == nil {
		return fmt.Errorf("table %s is not part of the export", t.Name)
	}
	if s.formats[FormatDataPackage] && t.Name == sourcesTable {
		s.sources = append(s.sources, sourceOf(t, row))
	}
	return o.write(row)
}

// Close completes the files (the CSV files, then the workbook from the spill files, then the
// descriptor) and gives them their names. It returns the first error of the stream, if any,
// and then writes nothing.
func (s *Stream) Close() (Written, error) {
	if s.err == nil && s.book == nil {
		s.err = fmt.Errorf("%w: %s is missing; a dataset folder starts with its manifest", ErrData, datadir.ManifestFile)
	}
	if s.err != nil {
		s.Abort()
		return Written{}, s.err
	}
	err := s.an.finish(s.emit)
	s.book.counting = s.an.summary()
	var w Written
	if err == nil {
		w, err = s.finish()
	}
	if err != nil {
		s.err = err
		s.Abort()
		return Written{}, err
	}
	s.removeSpills()
	return w, nil
}

// Abort removes everything the stream wrote: nothing of it is left in the folder.
func (s *Stream) Abort() {
	if s.err == nil {
		s.err = errors.New("export aborted")
	}
	s.removeSpills()
	if st := s.stager(); st != nil {
		st.removeAll()
	}
	if s.created {
		os.Remove(s.dir) // only if empty: the stream created it
	}
}

// Interrupt removes what the stream has written so far, from any goroutine (a signal
// handler's), and reports whether the output folder is as it was; if the commit had begun,
// it waits for it, and the folder holds the new export (false). The stream is unusable
// afterwards. The caller exits next: a file the stream is writing may be gone under it.
func (s *Stream) Interrupt() bool {
	st := s.stager()
	return st == nil || st.removeAll()
}

func (s *Stream) stager() *stager { return s.st.Load() }

func (s *Stream) removeSpills() {
	for _, o := range s.outs {
		o.removeSpill()
	}
	s.an.close()
}
