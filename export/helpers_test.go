package export

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/export/golden")

const (
	fixtureDir = "../testdata/export/fixture"
	goldenDir  = "../testdata/export/golden"
)

// records reads every record of a dataset folder in the order the export takes them (the
// manifest, then each kind in id order) and checks it against its schema, so that a broken
// fixture fails here rather than as a puzzling export difference.
func records(t testing.TB, fsys fs.FS) []*datadir.Record {
	t.Helper()
	entries, err := datadir.List(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var out []*datadir.Record
	for _, e := range entries {
		if e.Kind == "" {
			continue
		}
		r, err := datadir.ReadRecord(fsys, e.Kind, e.Path)
		if err != nil {
			t.Fatal(err)
		}
		set, err := schema.Released().Get(r.Version)
		if err != nil {
			t.Fatal(err)
		}
		if err := set.Validate(r.Kind, r.Value); err != nil {
			t.Fatalf("%s: %v", r.File, err)
		}
		out = append(out, r)
	}
	order := func(k schema.Kind) int {
		return slices.Index(append([]schema.Kind{schema.Manifest}, schema.Kinds...), k)
	}
	slices.SortFunc(out, func(a, b *datadir.Record) int {
		return cmp.Or(cmp.Compare(order(a.Kind), order(b.Kind)), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// exported is an export written for a test, with its tables read back from the CSV files.
type exported struct {
	dir  string
	w    Written
	book *book
	// rows holds the rows of each table as the CSV file has them (an empty cell is Null),
	// neutralised text cells restored.
	rows map[string][][]Cell
}

// exportTo exports a dataset folder into a new folder, every format.
func exportTo(t testing.TB, fsys fs.FS, opts Options) *exported {
	t.Helper()
	return exportRecords(t, records(t, fsys), opts)
}

// exportRecords streams records (the manifest first) into a new folder, every format.
func exportRecords(t testing.TB, recs []*datadir.Record, opts Options) *exported {
	t.Helper()
	dir := t.TempDir()
	s := NewStream(dir, Formats, opts)
	for _, r := range recs {
		if err := s.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	w, err := s.Close()
	if err != nil {
		t.Fatal(err)
	}
	e := &exported{dir: dir, w: w, book: s.book, rows: map[string][][]Cell{}}
	for _, tb := range s.book.tables {
		_, rows := readCSV(t, filepath.Join(dir, tb.Name+".csv"))
		for _, r := range rows {
			row := make([]Cell, len(r))
			for i, v := range r {
				if v == "" {
					row[i] = Cell{Null: true}
					continue
				}
				if !opts.NoNeutralize && tb.Columns[i].Type == TypeString {
					v = unneutralize(v)
				}
				row[i] = Cell{Value: v}
			}
			e.rows[tb.Name] = append(e.rows[tb.Name], row)
		}
	}
	return e
}

// table returns the named table of the export's layout.
func (e *exported) table(t testing.TB, name string) *Table {
	for _, tb := range e.book.tables {
		if tb.Name == name {
			return tb
		}
	}
	t.Fatalf("no table %s", name)
	return nil
}

func readDir(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, en := range entries {
		b, err := os.ReadFile(filepath.Join(dir, en.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[en.Name()] = b
	}
	return out
}

// readCSV reads one exported table back with encoding/csv.
func readCSV(t reporter, path string) (header []string, rows [][]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v", err)
	}
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(recs) == 0 {
		t.Fatalf("%s: no header row", path)
	}
	return recs[0], recs[1:]
}

// unneutralize undoes Neutralize as the README tells researchers to: drop each ' that starts
// the text or follows a comma, semicolon, tab, CR or LF.
func unneutralize(s string) string {
	return unneutralizeRE.ReplaceAllString(s, "$1")
}

var unneutralizeRE = regexp.MustCompile("(^|[,;\t\r\n])'")

// recordOf returns the first record of a kind, for a test to change.
func recordOf(t testing.TB, recs []*datadir.Record, k schema.Kind) *datadir.Record {
	for _, r := range recs {
		if r.Kind == k {
			return r
		}
	}
	t.Fatalf("no %s record", k)
	return nil
}
