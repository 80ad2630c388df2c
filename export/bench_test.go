package export

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/apmd-data/apmd/internal/synth"
)

// The export benchmarks run on synthetic datasets (synth.Cached, generated once per machine
// and shared with the other packages' benchmarks); the 100,000-incident one is skipped with
// -short and generated only when selected. For the 200,000-incident run with peak memory,
// see the README's scale section.

func BenchmarkExport1k(b *testing.B) { benchmarkExport(b, 1000) }

func BenchmarkExport100k(b *testing.B) {
	if testing.Short() {
		b.Skip("100,000 incidents: skipped with -short")
	}
	benchmarkExport(b, 100000)
}

// benchmarkExport streams every format of a dataset of n incidents; reported per incident.
func benchmarkExport(b *testing.B, n int) {
	dir, err := synth.Cached(n, 1)
	if err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(dir)
	out := b.TempDir()
	b.ResetTimer()
	var w Written
	for b.Loop() {
		if w, err = Stream(fsys, out, Formats, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/incident")
	b.ReportMetric(float64(w.Rows), "rows")
}

// incidentsSheet builds the incidents table of the 20,000-incident dataset, alone: enough
// rows that the workbook's fixed costs (README, Codebook, styles) weigh little.
func incidentsSheet(b *testing.B) *Export {
	dir, err := synth.Cached(20000, 1)
	if err != nil {
		b.Fatal(err)
	}
	e := build(b, os.DirFS(dir))
	inc := *e
	inc.Tables = []*Table{e.Table("incidents")}
	return &inc
}

// BenchmarkXLSXIncidents writes the workbook of the incidents table alone (with the README
// and Codebook sheets) through the exporter's own path; compare its cells/s with
// BenchmarkStreamWriterIncidents, excelize's stream writer writing the same cells.
func BenchmarkXLSXIncidents(b *testing.B) {
	e := incidentsSheet(b)
	t := e.Tables[0]
	path := filepath.Join(b.TempDir(), WorkbookFile)
	for b.Loop() {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := XLSX(f, e); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(t.Rows)*len(t.Columns))/b.Elapsed().Seconds(), "cells/s")
}

// BenchmarkStreamWriterIncidents is the bare loop: the incidents sheet's cells, converted to
// the same values and styles beforehand, written with excelize's StreamWriter and saved.
func BenchmarkStreamWriterIncidents(b *testing.B) {
	e := incidentsSheet(b)
	t := e.Tables[0]
	f0 := excelize.NewFile()
	st, err := newStyles(f0)
	if err != nil {
		b.Fatal(err)
	}
	rows := make([][]any, len(t.Rows))
	for r, row := range t.Rows {
		rows[r] = make([]any, len(row))
		for i, c := range row {
			if !c.Null {
				rows[r][i], _ = sheetValue(t.Columns[i], c.Value, st)
			}
		}
	}
	path := filepath.Join(b.TempDir(), "bare.xlsx")
	for b.Loop() {
		f := excelize.NewFile()
		if _, err := newStyles(f); err != nil {
			b.Fatal(err)
		}
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		for r, vals := range rows {
			ref, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := sw.SetRow(ref, vals); err != nil {
				b.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			b.Fatal(err)
		}
		if err := f.SaveAs(path); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	b.ReportMetric(float64(b.N*len(t.Rows)*len(t.Columns))/b.Elapsed().Seconds(), "cells/s")
}
