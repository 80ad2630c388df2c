package export

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestStreamGolden checks that Stream, which reads one record at a time, writes the very
// bytes of the golden files that Build and Write make.
func TestStreamGolden(t *testing.T) {
	dir := t.TempDir()
	var calls, last int
	w, err := Stream(os.DirFS(fixtureDir), dir, Formats, Options{Progress: func(done, total int) { calls++; last = done }})
	if err != nil {
		t.Fatal(err)
	}
	got, want := readDir(t, dir), readDir(t, goldenDir)
	if len(got) != len(want) || len(w.Files) != len(want) {
		t.Errorf("wrote %d files (reported %d), want %d", len(got), len(w.Files), len(want))
	}
	for name, b := range want {
		if !bytes.Equal(got[name], b) {
			t.Errorf("%s: streamed bytes differ from the golden file", name)
		}
	}
	e := build(t, os.DirFS(fixtureDir))
	rows := 0
	for _, tb := range e.Tables {
		rows += len(tb.Rows)
	}
	if w.Tables != len(e.Tables) || w.Rows != rows {
		t.Errorf("reported %d tables, %d rows; want %d, %d", w.Tables, w.Rows, len(e.Tables), rows)
	}
	if calls == 0 || last == 0 {
		t.Error("progress was not reported")
	}
}

// TestSplitSheets lowers the sheet row limit so that the fixture's tables overflow it: each
// must be split over numbered sheets that hold every row in order, and the README must say so.
func TestSplitSheets(t *testing.T) {
	defer func(n int) { sheetRowLimit = n }(sheetRowLimit)
	sheetRowLimit = 2
	e := build(t, os.DirFS(fixtureDir))
	dir := exportTo(t, e, Options{})
	f, err := excelize.OpenFile(filepath.Join(dir, WorkbookFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	readme, err := f.GetRows(readmeSheet)
	if err != nil {
		t.Fatal(err)
	}
	split := 0
	for _, tb := range e.Tables {
		names := splitSheetNames(tb.Name, len(tb.Rows))
		if want := max(1, (len(tb.Rows)+1)/2); len(names) != want {
			t.Errorf("%s: %d rows over %d sheets %v, want %d", tb.Name, len(tb.Rows), len(names), names, want)
		}
		var got [][]string
		for i, name := range names {
			rows, err := f.GetRows(name)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if len(rows) == 0 || !slices.Equal(rows[0], keyNames(tb.Columns)) {
				t.Errorf("%s: no header", name)
				continue
			}
			if i > 0 && len(rows) > 3 {
				t.Errorf("%s: %d rows, want at most 2 and a header", name, len(rows)-1)
			}
			got = append(got, rows[1:]...)
		}
		if len(got) != len(tb.Rows) {
			t.Errorf("%s: %d rows in its sheets, want %d", tb.Name, len(got), len(tb.Rows))
		}
		if len(names) > 1 {
			split++
			found := false
			for _, r := range readme {
				if len(r) > 1 && r[0] == tb.Name && strings.Contains(r[1], strings.Join(names, ", ")) {
					found = true
				}
			}
			if !found {
				t.Errorf("README sheet does not say that %s is split over %v", tb.Name, names)
			}
		}
	}
	if split == 0 {
		t.Fatal("no table was split; the fixture needs a table of 3 rows or more")
	}
}

func TestSplitSheetNamesFit(t *testing.T) {
	defer func(n int) { sheetRowLimit = n }(sheetRowLimit)
	sheetRowLimit = 1
	names := splitSheetNames(strings.Repeat("x", 40), 12)
	if len(names) != 12 || names[11] != strings.Repeat("x", 26)+" (12)" {
		t.Errorf("got %q", names)
	}
	for _, n := range names {
		if len(n) > maxSheetName {
			t.Errorf("%q is longer than %d characters", n, maxSheetName)
		}
	}
}

// TestStreamIDOrder renames a record file so that its name no longer gives its id's place:
// Stream takes records in id order from their file names, so it must refuse rather than write
// rows in another order than Build would, and leave nothing behind.
func TestStreamIDOrder(t *testing.T) {
	src := t.TempDir()
	if err := os.CopyFS(src, os.DirFS(fixtureDir)); err != nil {
		t.Fatal(err)
	}
	from := filepath.Join(src, "incidents", "inc-2023-03-03-testabad-car-bomb.json")
	if err := os.Rename(from, filepath.Join(src, "incidents", "zzz.json")); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	_, err := Stream(os.DirFS(src), out, Formats, Options{})
	if !errors.Is(err, ErrData) || !strings.Contains(err.Error(), "zzz.json") || !strings.Contains(err.Error(), "inc-2023-03-03-testabad-car-bomb.json") {
		t.Errorf("got %v, want a data error naming zzz.json and the name it should have", err)
	}
	if left := readDir(t, out); len(left) != 0 {
		t.Errorf("files left in the output folder: %d", len(left))
	}
}
