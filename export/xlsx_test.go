package export

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/apmd-data/apmd"
	"github.com/apmd-data/apmd/schema"
)

// TestRoundTripXLSX reads the workbook back with excelize and compares every cell of every
// table sheet with the table, checks that numbers are numbers and ids text, and that the
// README and Codebook sheets come first and say what they must.
func TestRoundTripXLSX(t *testing.T) {
	for _, tc := range []struct {
		name string
		fsys fs.FS
	}{{"fixture", os.DirFS(fixtureDir)}, {"embedded", apmd.Data()}} {
		t.Run(tc.name, func(t *testing.T) {
			e := exportTo(t, tc.fsys, Options{})
			f, err := excelize.OpenFile(filepath.Join(e.dir, WorkbookFile))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			want := []string{readmeSheet}
			for _, tb := range e.book.tables {
				if tb.analysis == nil && !slices.Contains(want, codebookSheet) {
					want = append(want, codebookSheet)
				}
				want = append(want, SheetName(tb.Name))
			}
			if got := f.GetSheetList(); !slices.Equal(got, want) {
				t.Fatalf("sheets %v, want %v", got, want)
			}
			for _, tb := range e.book.tables {
				checkSheet(t, f, tb, e.rows[tb.Name])
			}
			checkCodebook(t, f, e.book)
			filters := map[int]bool{}
			for _, dn := range f.GetDefinedName() {
				if dn.Name == "_xlnm._FilterDatabase" {
					i, _ := f.GetSheetIndex(dn.Scope)
					filters[i] = true
				}
			}
			for _, tb := range e.book.tables {
				if i, _ := f.GetSheetIndex(SheetName(tb.Name)); !filters[i] {
					t.Errorf("%s: no filter on the header", tb.Name)
				}
			}
			text := sheetText(t, f, readmeSheet)
			for _, fact := range e.book.manifestFacts() {
				if !strings.Contains(text, fact.Title+"\t"+fact.Value) {
					t.Errorf("README sheet lacks %s: %s", fact.Title, fact.Value)
				}
			}
			for _, tb := range e.book.tables {
				if !strings.Contains(text, tb.Name+"\t") || !strings.Contains(text, "\t"+strconv.Itoa(len(e.rows[tb.Name]))+"\n") {
					t.Errorf("README sheet lacks the row count of %s", tb.Name)
				}
			}
			props, err := f.GetDocProps()
			if err != nil || props.Created != docTimestamp || props.Modified != docTimestamp {
				t.Errorf("document properties %+v, %v: want fixed timestamps", props, err)
			}
		})
	}
}

// checkSheet compares a table's sheet with its rows (as the CSV file holds them).
func checkSheet(t *testing.T, f *excelize.File, tb *Table, want [][]Cell) {
	t.Helper()
	sheet := SheetName(tb.Name)
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(want)+1 {
		t.Fatalf("%s: %d rows, want %d and a header", sheet, len(rows), len(want))
	}
	if !slices.Equal(rows[0], keyNames(tb.Columns)) {
		t.Errorf("%s: header %v", sheet, rows[0])
	}
	dim, err := f.GetSheetDimension(sheet)
	last, _ := excelize.CoordinatesToCellName(len(tb.Columns), len(want)+1)
	if err != nil || dim != "A1:"+last {
		t.Errorf("%s: dimension %q, want A1:%s", sheet, dim, last)
	}
	for r, row := range want {
		got := rows[r+1]
		for i, c := range row {
			v := ""
			if i < len(got) {
				v = got[i]
			}
			if b, err := strconv.ParseBool(v); err == nil && tb.Columns[i].Type == TypeBoolean {
				v = strconv.FormatBool(b) // a boolean cell's raw value is 1 or 0
			}
			if v != c.Value {
				t.Errorf("%s row %d column %s: sheet %q, table %q", sheet, r+2, tb.Columns[i].Name, v, c.Value)
			}
			if c.Null {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(i+1, r+2)
			typ, err := f.GetCellType(sheet, ref)
			if err != nil {
				t.Fatal(err)
			}
			wantType := excelize.CellTypeInlineString
			switch tb.Columns[i].Type {
			case TypeInteger, TypeNumber:
				wantType = excelize.CellTypeUnset // a plain number cell has no t attribute
			case TypeBoolean:
				wantType = excelize.CellTypeBool
			}
			if typ != wantType {
				t.Errorf("%s!%s (%s, %s): cell type %v, want %v", sheet, ref, tb.Columns[i].Name, tb.Columns[i].Type, typ, wantType)
			}
		}
	}
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("%s: header not frozen: %+v %v", sheet, panes, err)
	}
}

func checkCodebook(t *testing.T, f *excelize.File, e *book) {
	t.Helper()
	rows, err := f.GetRows(codebookSheet)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, tb := range e.tables {
		n += len(tb.Columns)
	}
	if len(rows) != n+1 {
		t.Fatalf("codebook: %d rows, want %d columns and a header", len(rows)-1, n)
	}
	i := 1
	for _, tb := range e.tables {
		for _, c := range tb.Columns {
			r := rows[i]
			i++
			if r[0] != tb.Name || r[1] != c.Name || r[2] != c.Type {
				t.Errorf("codebook row %d: %v, want %s.%s %s", i, r[:3], tb.Name, c.Name, c.Type)
			}
			if c.Node != nil && len(c.Node.Enum) > 0 && !c.List {
				for _, v := range c.Node.Enum {
					if len(r) < 7 || !strings.Contains(r[6], v+": "+c.Node.Vocabulary[v]) {
						t.Errorf("codebook %s.%s: allowed value %s or its meaning missing", tb.Name, c.Name, v)
					}
				}
			}
		}
	}
}

// TestTruncation checks that a cell over Excel's limit is cut in the workbook, listed on the
// README sheet, and kept whole in the CSV.
func TestTruncation(t *testing.T) {
	recs := records(t, os.DirFS(fixtureDir))
	long := strings.Repeat("é", maxCellChars+10) // one UTF-16 unit each, two bytes
	inc := recordOf(t, recs, schema.Incident)
	inc.Value = withMember(inc.Value, "notes", long)
	e := exportRecords(t, recs, Options{})
	notes := columnIndex(e.table(t, "incidents"), "notes")
	f, err := excelize.OpenFile(filepath.Join(e.dir, WorkbookFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ref, _ := excelize.CoordinatesToCellName(notes+1, 2)
	v, err := f.GetCellValue("incidents", ref)
	if err != nil || len([]rune(v)) != maxCellChars {
		t.Errorf("cell %s: %d characters, want %d", ref, len([]rune(v)), maxCellChars)
	}
	rows, _ := f.GetRows(readmeSheet)
	found := false
	for _, r := range rows {
		if len(r) > 1 && r[0] == "incidents!"+ref && strings.Contains(r[1], strconv.Itoa(maxCellChars+10)) {
			found = true
		}
	}
	if !found {
		t.Errorf("README sheet does not list incidents!%s", ref)
	}
	if e.rows["incidents"][0][notes].Value != long {
		t.Error("the CSV cut the long cell")
	}
}

// sheetText returns the cells of a sheet, a line a row, tab-separated.
func sheetText(t *testing.T, f *excelize.File, sheet string) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "\t") + "\n")
	}
	return b.String()
}
