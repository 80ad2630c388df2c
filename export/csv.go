package export

import (
	"encoding/csv"
	"io"
	"strings"

	"github.com/apmd-data/apmd/schema"
)

// Options tunes the CSV files.
type Options struct {
	// BOM starts each CSV file with a UTF-8 byte order mark, so that Excel opens it as UTF-8.
	BOM bool
	// NoNeutralize writes string cells exactly as they are, formula triggers included.
	NoNeutralize bool
	// Schemas serves the schema version the manifest declares, from which the tables are
	// laid out; nil means the released versions (schema.Released).
	Schemas *schema.Registry
}

// formulaTriggers are the first characters that make a spreadsheet run a cell as a formula
// (or, for tab and carriage return, that some spreadsheets strip before doing so).
const formulaTriggers = "=+-@\t\r"

// Neutralize returns a text cell that a spreadsheet will not run as a formula: a value starting
// with = + - @ tab or carriage return gets a leading single quote ('). Only text columns are
// neutralised; numbers, negative ones included, are never altered.
func Neutralize(s string) string {
	if s != "" && strings.ContainsRune(formulaTriggers, rune(s[0])) {
		return "'" + s
	}
	return s
}

// The CSV files are RFC 4180 (UTF-8, a header row of column names, fields quoted when needed,
// quotes doubled) with one difference: records end with LF, not CRLF, because encoding/csv in
// CRLF mode drops carriage returns inside values and turns their line breaks into CRLF; with
// LF, every value reads back exactly. An absent value is an empty cell.

// csvRecord fills rec with the CSV fields of a row.
func csvRecord(t *Table, row []Cell, rec []string, opts Options) {
	for i, c := range row {
		v := c.Value
		if !opts.NoNeutralize && t.Columns[i].Type == TypeString {
			v = Neutralize(v)
		}
		rec[i] = v
	}
}

// startCSV writes the byte order mark (if wanted) and the header row of a table.
func startCSV(w io.Writer, t *Table, opts Options) (*csv.Writer, error) {
	if opts.BOM {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return nil, err
		}
	}
	cw := csv.NewWriter(w)
	return cw, cw.Write(keyNames(t.Columns))
}
