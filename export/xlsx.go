package export

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// Excel's limits (https://support.microsoft.com, "Excel specifications and limits").
const (
	maxCellChars  = 32767 // characters (UTF-16 units) in one cell
	maxSheetName  = 31
	maxSheetRows  = 1048576
	maxColWidth   = 60
	minColWidth   = 8
	docTimestamp  = "2000-01-01T00:00:00Z" // fixed, so that the same data gives the same bytes
	readmeSheet   = "README"
	codebookSheet = "Codebook"
)

// Truncation is a cell cut to Excel's limit in the workbook (the CSV keeps it whole).
type Truncation struct {
	Sheet  string
	Cell   string
	Column string
	Length int // the full length, in UTF-16 units as Excel counts
}

// SheetName returns the sheet of a table: its name, cut to Excel's 31 characters.
func SheetName(table string) string {
	if len(table) > maxSheetName {
		return table[:maxSheetName]
	}
	return table
}

// sheetRowLimit is the most data rows of one sheet (a header row comes on top); a variable so
// that tests can split a sheet without writing a million rows.
var sheetRowLimit = maxSheetRows - 1

// sheetTable is a table as the workbook reads it: its row count and column widths, known
// before its sheet is streamed, and its rows one at a time.
type sheetTable struct {
	t      *Table
	rows   int
	widths []float64
	next   func() ([]Cell, error) // the next row; the slice may be reused by the next call
}

// sheets returns the sheets of the table: one, or as many as Excel's row limit needs, named
// after the table ("evidence", "evidence (2)", …).
func (s *sheetTable) sheets() []string {
	return splitSheetNames(s.t.Name, s.rows)
}

func splitSheetNames(table string, rows int) []string {
	names := []string{SheetName(table)}
	for i := 2; (i-1)*sheetRowLimit < rows; i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		names = append(names, SheetName(table)[:min(len(table), maxSheetName-len(suffix))]+suffix)
	}
	return names
}

// sheetNames checks that the tables' sheets have distinct names, given their row counts
// (nil: one sheet each).
func sheetNames(tables []*Table, rows map[*Table]int) error {
	seen := map[string]string{readmeSheet: readmeSheet, codebookSheet: codebookSheet}
	for _, t := range tables {
		for _, name := range splitSheetNames(t.Name, rows[t]) {
			if prev, dup := seen[name]; dup {
				return fmt.Errorf("tables %s and %s share the sheet name %q", prev, t.Name, name)
			}
			seen[name] = t.Name
		}
	}
	return nil
}

func clampWidth(w int) float64 {
	return min(max(float64(w), minColWidth), maxColWidth)
}

// writeWorkbook streams the workbook to w, keeping its temporary files (excelize's sheets,
// the compressed zip entries) in tmpDir ("" for the system's temporary folder): memory holds
// no sheet and no part of the zip beyond a few buffers.
func writeWorkbook(w io.Writer, tmpDir string, e *book, tables []*sheetTable) error {
	f := excelize.NewFile(excelize.Options{TmpDir: tmpDir})
	defer f.Close()
	// excelize builds the whole zip in a memory buffer before writing it out; this zip writer
	// writes to w instead (excelize's buffer stays empty) and keeps the compressed entries in
	// files until it writes them, sorted, since excelize writes streamed sheets in map order.
	z := &sortedZip{w: w, dir: tmpDir, files: map[string]*zipEntry{}}
	defer z.cleanup()
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return z })
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:       e.manifestValue("title"),
		Description: e.manifestValue("description"),
		Creator:     "apmd",
		Version:     e.manifestValue("version"),
		Created:     docTimestamp,
		Modified:    docTimestamp,
	}); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := addSheets(f, tables); err != nil {
		return err
	}
	var truncated []Truncation
	for _, s := range tables {
		tr, err := writeTableSheets(f, st, s)
		if err != nil {
			return fmt.Errorf("sheet %s: %w", s.t.Name, err)
		}
		truncated = append(truncated, tr...)
	}
	if err := writeSheet(f, st, codebookSheet, codebook(e), []float64{22, 22, 10, 10, 30, 60, 60, 30}, true); err != nil {
		return err
	}
	if err := writeSheet(f, st, readmeSheet, readme(e, tables, truncated), []float64{34, 100, 14}, false); err != nil {
		return err
	}
	return f.Write(io.Discard)
}

// addSheets adds the sheets in their order: README, the analysis tables, Codebook, then the
// other tables' sheets.
func addSheets(f *excelize.File, tables []*sheetTable) error {
	if err := f.SetSheetName("Sheet1", readmeSheet); err != nil {
		return err
	}
	rows := map[*Table]int{}
	var ts []*Table
	for _, s := range tables {
		rows[s.t] = s.rows
		ts = append(ts, s.t)
	}
	if err := sheetNames(ts, rows); err != nil {
		return err
	}
	// The analysis tables come right after the README, then the Codebook, then the rest.
	codebookMade := false
	for _, s := range tables {
		if s.t.analysis == nil && !codebookMade {
			if _, err := f.NewSheet(codebookSheet); err != nil {
				return err
			}
			codebookMade = true
		}
		for _, name := range s.sheets() {
			if _, err := f.NewSheet(name); err != nil {
				return err
			}
		}
	}
	if !codebookMade {
		if _, err := f.NewSheet(codebookSheet); err != nil {
			return err
		}
	}
	return nil
}

type styles struct {
	header, text, wrap, bold, number int
}

func newStyles(f *excelize.File) (*styles, error) {
	var s styles
	var err error
	if s.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Family: "Calibri", Size: 11},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Border:    []excelize.Border{{Type: "bottom", Color: "7F7F7F", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "top"},
		NumFmt:    49,
	}); err != nil {
		return nil, err
	}
	if s.text, err = f.NewStyle(&excelize.Style{NumFmt: 49}); err != nil { // "@": stays text when edited
		return nil, err
	}
	if s.wrap, err = f.NewStyle(&excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}); err != nil {
		return nil, err
	}
	if s.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "Calibri", Size: 11}, Alignment: &excelize.Alignment{Vertical: "top"}}); err != nil {
		return nil, err
	}
	if s.number, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}}); err != nil {
		return nil, err
	}
	return &s, nil
}

// prepare sets what excelize needs before a sheet is streamed: its dimension (readers that
// trust it would otherwise see one cell), its filter, its frozen header and column widths.
func prepare(f *excelize.File, sheet string, rows, cols int, widths []float64, filter bool) (*excelize.StreamWriter, error) {
	if rows+1 > maxSheetRows {
		return nil, fmt.Errorf("%d rows do not fit in a sheet (at most %d)", rows, maxSheetRows-1)
	}
	last, err := excelize.CoordinatesToCellName(cols, rows+1)
	if err != nil {
		return nil, err
	}
	if err := f.SetSheetDimension(sheet, "A1:"+last); err != nil {
		return nil, err
	}
	if filter {
		if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
			return nil, err
		}
	}
	if err := pageSetup(f, sheet, "A1:"+last, filter, widths); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
	}
	return sw, nil
}

// writeTableSheets streams the rows of a table into its sheets.
func writeTableSheets(f *excelize.File, st *styles, s *sheetTable) ([]Truncation, error) {
	t := s.t
	header := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = excelize.Cell{StyleID: st.header, Value: c.Name}
	}
	var truncated []Truncation
	vals := make([]any, len(t.Columns))
	left := s.rows
	for _, sheet := range s.sheets() {
		n := min(left, sheetRowLimit)
		left -= n
		sw, err := prepare(f, sheet, n, len(t.Columns), s.widths, true)
		if err != nil {
			return nil, err
		}
		if err := sw.SetRow("A1", header); err != nil {
			return nil, err
		}
		for r := range n {
			row, err := s.next()
			if err != nil {
				return nil, err
			}
			for i, c := range row {
				if c.Null {
					vals[i] = nil
					continue
				}
				v, tr := sheetValue(t.Columns[i], c.Value, st)
				vals[i] = v
				if tr > 0 {
					ref, _ := excelize.CoordinatesToCellName(i+1, r+2)
					truncated = append(truncated, Truncation{Sheet: sheet, Cell: ref, Column: t.Columns[i].Name, Length: tr})
				}
			}
			ref, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := sw.SetRow(ref, vals); err != nil {
				return nil, err
			}
		}
		if err := sw.Flush(); err != nil {
			return nil, err
		}
	}
	return truncated, nil
}

// sheetValue converts a cell for the workbook: integers and numbers as numbers, booleans as
// booleans, everything else (ids, partial dates) as text. A text over Excel's limit is cut; its
// full length is returned.
func sheetValue(c *Column, s string, st *styles) (any, int) {
	switch c.Type {
	case TypeInteger:
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, 0
		}
	case TypeNumber:
		if n, err := strconv.ParseFloat(s, 64); err == nil {
			return n, 0
		}
	case TypeBoolean:
		if b, err := strconv.ParseBool(s); err == nil {
			return b, 0
		}
	}
	cut, full := truncate(s)
	return excelize.Cell{StyleID: st.text, Value: cut}, full
}

// truncate cuts s to Excel's limit, counted in UTF-16 units; it returns the full length when it cuts.
func truncate(s string) (string, int) {
	if len(s) <= maxCellChars { // bytes ≥ UTF-16 units, so nothing to count
		return s, 0
	}
	units := 0
	for i, r := range s {
		n := utf16.RuneLen(r)
		if n < 0 {
			n = 1
		}
		if units+n > maxCellChars {
			total := units
			for _, r2 := range s[i:] {
				total += max(utf16.RuneLen(r2), 1)
			}
			return s[:i], total
		}
		units += n
	}
	return s, 0
}

// sheetRow is a row of a documentation sheet: texts (an int is written as a number, an empty
// text as a blank cell), the first one bold when heading is set.
type sheetRow struct {
	cells   []any
	heading bool
}

// writeSheet streams a documentation sheet (README, Codebook) whose first row is its header.
func writeSheet(f *excelize.File, st *styles, sheet string, rows []sheetRow, widths []float64, filter bool) error {
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r.cells))
	}
	sw, err := prepare(f, sheet, len(rows)-1, cols, widths, filter)
	if err != nil {
		return err
	}
	for i, r := range rows {
		vals := make([]any, len(r.cells))
		lines := 1
		for j, v := range r.cells {
			s, ok := v.(string)
			switch {
			case !ok:
				vals[j] = excelize.Cell{StyleID: st.number, Value: v}
				continue
			case s == "":
				continue // a blank cell, not an empty text
			}
			style := st.wrap
			if i == 0 && filter {
				style = st.header
			} else if r.heading && j == 0 {
				style = st.bold
			}
			cut, _ := truncate(s)
			vals[j] = excelize.Cell{StyleID: style, Value: cut}
			if style == st.wrap && j < len(widths) {
				lines = max(lines, wrappedLines(cut, widths[j]))
			}
		}
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		// Readers that do not fit rows to wrapped text (LibreOffice) would overprint the lines.
		if err := sw.SetRow(ref, vals, excelize.RowOpts{Height: rowHeight(lines)}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// codebook lists every column of every table with its type, description and allowed values.
func codebook(e *book) []sheetRow {
	rows := []sheetRow{{cells: []any{"table", "column", "type", "required", "title", "description", "allowed values", "format"}}}
	for _, t := range e.tables {
		for _, c := range t.Columns {
			req := "no"
			if c.Required {
				req = "yes"
			}
			rows = append(rows, sheetRow{cells: []any{t.Name, c.Name, c.Type, req, c.Title, c.Description, allowedValues(c), columnFormat(c)}})
		}
	}
	return rows
}

// allowedValues lists a column's enum with each value's meaning from the schema's x-vocabulary.
func allowedValues(c *Column) string {
	if c.Node == nil {
		return ""
	}
	var lines []string
	for _, v := range c.Node.Enum {
		if def := c.Node.Vocabulary[v]; def != "" {
			lines = append(lines, v+": "+def)
		} else {
			lines = append(lines, v)
		}
	}
	return strings.Join(lines, "\n")
}

// columnFormat says how to read a column's text: its pattern, or how a list is joined.
func columnFormat(c *Column) string {
	switch {
	case c.List:
		return fmt.Sprintf("list joined with %q", Separator)
	case c.Node != nil && c.Node.Pattern != "":
		return "pattern " + c.Node.Pattern
	case c.Node != nil && c.Node.Format != "":
		return c.Node.Format
	}
	return ""
}

// readme is the first sheet: what the dataset is, how to read the tables, what was cut.
func readme(e *book, tables []*sheetTable, truncated []Truncation) []sheetRow {
	rows := []sheetRow{{cells: []any{e.manifestValue("title")}, heading: true}, {}}
	for _, fact := range e.manifestFacts() {
		rows = append(rows, sheetRow{cells: []any{fact.Title, fact.Value}, heading: true})
	}
	if e.counting != nil {
		rows = append(rows, sheetRow{}, sheetRow{cells: []any{"Before you count"}, heading: true})
		for _, b := range beforeYouCount(e.counting) {
			rows = append(rows, sheetRow{cells: []any{b[0], b[1]}, heading: true})
		}
	}
	rows = append(rows, sheetRow{}, sheetRow{cells: []any{"How to read the tables"}, heading: true})
	for _, line := range readingGuide(e) {
		rows = append(rows, sheetRow{cells: []any{"", line}})
	}
	rows = append(rows, sheetRow{}, sheetRow{cells: []any{"Table (sheet)", "What it holds", "Rows"}, heading: true})
	for _, s := range tables {
		t := s.t
		desc := t.Title
		if t.Description != "" {
			desc += ": " + t.Description
		}
		if names := s.sheets(); len(names) > 1 {
			desc += fmt.Sprintf(" (%d rows do not fit in one sheet, which holds at most %d: the table is split over the sheets %s, in order; the CSV file holds it whole.)",
				s.rows, sheetRowLimit, strings.Join(names, ", "))
		}
		rows = append(rows, sheetRow{cells: []any{t.Name, desc, s.rows}})
	}
	rows = append(rows, sheetRow{}, sheetRow{cells: []any{"Cells cut to Excel's 32,767 characters (the CSV files hold them whole)"}, heading: true})
	if len(truncated) == 0 {
		rows = append(rows, sheetRow{cells: []any{"", "none"}})
	}
	for _, tr := range truncated {
		rows = append(rows, sheetRow{cells: []any{tr.Sheet + "!" + tr.Cell, fmt.Sprintf("column %s: %d characters", tr.Column, tr.Length)}})
	}
	return rows
}

// readingGuide explains the layout rules, with examples taken from the tables themselves.
func readingGuide(e *book) []string {
	var nested, shared, lists []string
	for _, t := range e.tables {
		if t.shared {
			shared = append(shared, t.Name)
		}
		for _, c := range t.Columns {
			if len(c.path) > 1 && (len(nested) == 0 || c.path[0] == firstSegment(t, nested[0])) && t.Name == firstNestedTable(e) {
				nested = append(nested, c.Name)
			}
			if c.List && len(lists) == 0 {
				lists = append(lists, t.Name+"."+c.Name)
			}
		}
	}
	guide := []string{
		"Each sheet is one table, named as its CSV file and its resource in datapackage.json. The Codebook sheet describes every column: its type, meaning and allowed values with their definitions.",
		"One row per record, keyed by id. A list inside a record is a table of its own that starts with the key of the row it belongs to (e.g. incident_id) and index, the item's position counted from 0 as in JSON pointers; items with their own id are keyed by it.",
		"Dates are ISO 8601 text, complete (2024-12-11) or partial (2024-12, 2024), so that they sort and are never padded to a made-up day; the precision column beside each says how precise it is.",
		"An empty cell means the value is absent from the record. Project-specific extensions are not exported.",
	}
	if len(nested) > 0 {
		guide = append(guide, "Nested values are flattened into columns named <field>_<member>, e.g. "+strings.Join(nested, ", ")+".")
	}
	if len(shared) > 0 {
		guide = append(guide, "The tables "+strings.Join(shared, ", ")+" hold a list that every kind of record has; each row names its record by record_kind and record_id.")
	}
	if len(lists) > 0 {
		guide = append(guide, fmt.Sprintf("A short list of plain values is joined in one cell with %q (e.g. %s).", Separator, strings.Join(lists, ", ")))
	}
	return guide
}

func firstSegment(t *Table, col string) string {
	if c := t.Column(col); c != nil && len(c.path) > 0 {
		return c.path[0]
	}
	return ""
}

// firstNestedTable is the first table with a flattened object, for the guide's example.
func firstNestedTable(e *book) string {
	for _, t := range e.tables {
		for _, c := range t.Columns {
			if len(c.path) > 1 {
				return t.Name
			}
		}
	}
	return ""
}

// sortedZip is an excelize.ZipWriter that writes its entries in a fixed order when closed:
// [Content_Types].xml first, then by name, all with the same time. Each entry is compressed as
// it is written, into a temporary file in dir, so the workbook never waits in memory.
type sortedZip struct {
	w     io.Writer
	dir   string
	files map[string]*zipEntry
	last  *zipEntry // the entry being written
}

// zipDate is every entry's modification date, 2000-01-01 in MS-DOS form (years since 1980,
// month, day): fixed, and valid (a zero date would read as month 0).
const zipDate = (2000-1980)<<9 | 1<<5 | 1

type zipEntry struct {
	f    *os.File
	bw   *bufio.Writer
	fw   *flate.Writer
	crc  hash.Hash32
	size uint64
}

func (e *zipEntry) Write(p []byte) (int, error) {
	e.crc.Write(p)
	e.size += uint64(len(p))
	return e.fw.Write(p)
}

// end completes the compressed data of an entry, releasing its compressor.
func (e *zipEntry) end() error {
	if e.fw == nil {
		return nil
	}
	err := e.fw.Close()
	e.fw = nil
	if ferr := e.bw.Flush(); err == nil {
		err = ferr
	}
	return err
}

func (z *sortedZip) Create(name string) (io.Writer, error) {
	if z.last != nil { // a zip writer's entry ends when the next one starts
		if err := z.last.end(); err != nil {
			return nil, err
		}
	}
	f, err := os.CreateTemp(z.dir, ".xlsx-part.*.tmp")
	if err != nil {
		return nil, err
	}
	e := &zipEntry{f: f, bw: bufio.NewWriterSize(f, 1<<16), crc: crc32.NewIEEE()}
	if e.fw, err = flate.NewWriter(e.bw, flate.DefaultCompression); err != nil {
		return nil, err
	}
	if old := z.files[name]; old != nil {
		old.remove()
	}
	z.files[name] = e
	z.last = e
	return e, nil
}

func (e *zipEntry) remove() {
	e.f.Close()
	os.Remove(e.f.Name())
}

func (z *sortedZip) cleanup() {
	for _, e := range z.files {
		e.remove()
	}
}

func (z *sortedZip) AddFS(fs.FS) error { return errors.New("apmd: AddFS is not supported") }

func (z *sortedZip) Close() error {
	names := make([]string, 0, len(z.files))
	for n := range z.files {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		ci, cj := names[i] == "[Content_Types].xml", names[j] == "[Content_Types].xml"
		if ci != cj {
			return ci
		}
		return names[i] < names[j]
	})
	zw := zip.NewWriter(z.w)
	for _, n := range names {
		e := z.files[n]
		if err := e.end(); err != nil {
			return err
		}
		compressed, err := e.f.Seek(0, io.SeekCurrent)
		if err != nil {
			return err
		}
		if _, err := e.f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		hdr := &zip.FileHeader{Name: n, Method: zip.Deflate, CRC32: e.crc.Sum32(),
			CompressedSize64: uint64(compressed), UncompressedSize64: e.size}
		//lint:ignore SA1019 CreateRaw writes the header as it is: it does not derive these from Modified
		hdr.ModifiedDate, hdr.ModifiedTime = zipDate, 0
		fw, err := zw.CreateRaw(hdr)
		if err != nil {
			return err
		}
		if _, err := io.Copy(fw, e.f); err != nil {
			return err
		}
		e.remove()
		delete(z.files, n)
	}
	return zw.Close()
}
