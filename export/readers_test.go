package export

import (
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// These tests open the workbook with the programs researchers use. They run only when the
// programs are installed (Debian: libreoffice-calc-nogui, python3-pandas, python3-openpyxl)
// and not with -short.

// TestLibreOfficeReadsWorkbook converts every sheet to CSV with LibreOffice and compares the
// cells with the CSV files the export wrote.
func TestLibreOfficeReadsWorkbook(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice is not installed")
	}
	e := exportTo(t, os.DirFS(fixtureDir), Options{NoNeutralize: true})
	dir := e.dir
	out := t.TempDir()
	// Filter options: comma, double quote, UTF-8, from line 1, …, and -1: every sheet to its own file.
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(out, "profile"), "--headless",
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
		"--outdir", out, filepath.Join(dir, WorkbookFile))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	for _, tb := range e.book.tables {
		got := readAll(t, filepath.Join(out, "apmd-"+SheetName(tb.Name)+".csv"))
		want := readAll(t, filepath.Join(dir, tb.Name+".csv"))
		for _, row := range got[min(1, len(got)):] {
			for i, c := range tb.Columns {
				if c.Type == TypeBoolean && i < len(row) {
					row[i] = strings.ToLower(row[i]) // LibreOffice writes TRUE and FALSE
				}
			}
		}
		if !slices.EqualFunc(got, want, slices.Equal[[]string]) {
			t.Errorf("%s: LibreOffice reads\n%q\nthe CSV holds\n%q", tb.Name, got, want)
		}
	}
	for _, s := range []string{readmeSheet, codebookSheet} {
		if rows := readAll(t, filepath.Join(out, "apmd-"+s+".csv")); len(rows) < 2 {
			t.Errorf("LibreOffice reads %d rows from sheet %s", len(rows), s)
		}
	}
}

func readAll(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// TestPandasReadsWorkbook reads every sheet with pandas.read_excel (openpyxl) and checks the
// shape of each table and that integer columns come back as numbers.
func TestPandasReadsWorkbook(t *testing.T) {
	python := pandasPython(t)
	e := exportTo(t, os.DirFS(fixtureDir), Options{})
	dir := e.dir
	// pandas guesses column types from the values (a partial date "2019" becomes 2019.0, an
	// empty column float NaN), so the check is on what it must get right: the shape of each
	// table, integer columns read as numbers, and openpyxl's read-only mode (which trusts the
	// sheet's dimension) seeing every row and column, with text cells typed as text.
	script := `
import sys, openpyxl, pandas as pd
sheets = pd.read_excel(sys.argv[1], sheet_name=None)
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
for name, df in sheets.items():
    ws = wb[name]
    nums = [c for c in df.columns if str(df[c].dtype).startswith(("int", "float"))]
    texts = sum(1 for row in ws.iter_rows(min_row=2) for c in row if c.data_type == "s")
    print(name, df.shape[0], df.shape[1], ws.max_row, ws.max_column, texts, ",".join(nums))
`
	b, err := exec.Command(python, "-c", script, filepath.Join(dir, WorkbookFile)).CombinedOutput()
	if err != nil {
		t.Fatalf("pandas: %v\n%s", err, b)
	}
	got := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Split(line, " ")
		got[f[0]] = f[1:]
	}
	for _, tb := range e.book.tables {
		rows := e.rows[tb.Name]
		sheet := SheetName(tb.Name)
		g := got[sheet]
		if len(g) != 6 {
			t.Errorf("pandas does not read sheet %s: %q", sheet, g)
			continue
		}
		texts := 0
		for i, c := range tb.Columns {
			for _, row := range rows {
				if !row[i].Null && c.Type == TypeString {
					texts++
				}
			}
		}
		want := []string{fmt.Sprint(len(rows)), fmt.Sprint(len(tb.Columns)), fmt.Sprint(len(rows) + 1), fmt.Sprint(len(tb.Columns)), fmt.Sprint(texts)}
		if !slices.Equal(g[:5], want) {
			t.Errorf("sheet %s: pandas rows, columns, openpyxl rows, columns, text cells = %v, want %v", sheet, g[:5], want)
		}
		nums := strings.Split(g[5], ",")
		for i, c := range tb.Columns {
			if c.Type != TypeInteger {
				continue
			}
			for _, row := range rows {
				if !row[i].Null && !slices.Contains(nums, c.Name) {
					t.Errorf("sheet %s: pandas does not read integer column %s as numbers", sheet, c.Name)
					break
				}
			}
		}
	}
}

// pandasPython returns a python3 that has pandas and openpyxl, or skips the test (and always
// with -short).
func pandasPython(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("-short")
	}
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(p, "-c", "import pandas, openpyxl").Run() == nil {
			return p
		}
	}
	t.Skip("python3 with pandas and openpyxl is not installed")
	return ""
}
