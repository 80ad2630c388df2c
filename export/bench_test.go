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
// see docs/performance.md.

func BenchmarkExport1k(b *testing.B) { benchmarkExport(b, 1000) }

func BenchmarkExport100k(b *testing.B) {
	if testing.Short() {
		b.Skip("100,000 incidents: skipped with -short")
	}
	benchmarkExport(b, 100000)
}

// benchmarkExport streams every format of a dataset of n incidents (read beforehand, so that
// only the export is timed); reported per incident.
func benchmarkExport(b *testing.B, n int) {
	dir, err := synth.Cached(n, 1)
	if err != nil {
		b.Fatal(err)
	}
	recs := records(b, os.DirFS(dir))
	out := b.TempDir()
	b.ResetTimer()
	var w Written
	for b.Loop() {
		s := NewStream(out, Formats, Options{})
		for _, r := range recs {
			if err := s.Add(r); err != nil {
				b.Fatal(err)
			}
		}
		if w, err = s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/incident")
	b.ReportMetric(float64(w.Rows), "rows")
}

// incidentsSheet is the incidents table of the 20,000-incident dataset, alone, with its rows
// as its CSV file holds them: enough rows that the workbook's fixed costs (README, Codebook,
// styles) weigh little.
func incidentsSheet(b *testing.B) (*book, *Table, [][]Cell) {
	dir, err := synth.Cached(20000, 1)
	if err != nil {
		b.Fatal(err)
	}
	e := exportTo(b, os.DirFS(dir), Options{NoNeutralize: true})
	t := e.table(b, "incidents")
	inc := *e.book
	inc.tables = []*Table{t}
	return &inc, t, e.rows[t.Name]
}

// BenchmarkXLSXIncidents writes the workbook of the incidents table alone (with the README
// and Codebook sheets) through the exporter's own path; compare its cells/s with
// BenchmarkStreamWriterIncidents, excelize's stream writer writing the same cells.
func BenchmarkXLSXIncidents(b *testing.B) {
	e, t, rows := incidentsSheet(b)
	path := filepath.Join(b.TempDir(), WorkbookFile)
	widths := make([]float64, len(t.Columns))
	for i := range widths {
		widths[i] = minColWidth
	}
	for b.Loop() {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		left := rows
		s := &sheetTable{t: t, rows: len(rows), widths: widths, next: func() ([]Cell, error) {
			row := left[0]
			left = left[1:]
			return row, nil
		}}
		if err := writeWorkbook(f, "", e, []*sheetTable{s}); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(rows)*len(t.Columns))/b.Elapsed().Seconds(), "cells/s")
}

// BenchmarkStreamWriterIncidents is the bare loop: the incidents sheet's cells, converted to
// the same values and styles beforehand, written with excelize's StreamWriter and saved.
func BenchmarkStreamWriterIncidents(b *testing.B) {
	_, t, table := incidentsSheet(b)
	f0 := excelize.NewFile()
	st, err := newStyles(f0)
	if err != nil {
		b.Fatal(err)
	}
	rows := make([][]any, len(table))
	for r, row := range table {
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
	b.ReportMetric(float64(b.N*len(rows)*len(t.Columns))/b.Elapsed().Seconds(), "cells/s")
}
