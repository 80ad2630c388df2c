package export

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestSplitSheets lowers the sheet row limit so that the fixture's tables overflow it: each
// must be split over numbered sheets that hold every row in order, and the README must say so.
func TestSplitSheets(t *testing.T) {
	defer func(n int) { sheetRowLimit = n }(sheetRowLimit)
	sheetRowLimit = 2
	e := exportTo(t, os.DirFS(fixtureDir), Options{})
	f, err := excelize.OpenFile(filepath.Join(e.dir, WorkbookFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	readme, err := f.GetRows(readmeSheet)
	if err != nil {
		t.Fatal(err)
	}
	split := 0
	for _, tb := range e.book.tables {
		rows := e.rows[tb.Name]
		names := splitSheetNames(tb.Name, len(rows))
		if want := max(1, (len(rows)+1)/2); len(names) != want {
			t.Errorf("%s: %d rows over %d sheets %v, want %d", tb.Name, len(rows), len(names), names, want)
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
		if len(got) != len(rows) {
			t.Errorf("%s: %d rows in its sheets, want %d", tb.Name, len(got), len(rows))
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
