package export

import (
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
// (or, for tab and carriage return, that some spreadsheets strip before doing so), as OWASP's
// guidance on CSV injection lists them.
const formulaTriggers = "=+-@\t\r"

// Neutralize returns a text cell that a spreadsheet will not run as a formula: a value starting
// with = + - @ tab or carriage return gets a leading single quote ('), and so does a value
// that starts with a single quote itself, so that undoing it is one rule: drop the first
// character of a text cell that starts with '. Only text columns are neutralised; numbers,
// negative ones included, are never altered.
func Neutralize(s string) string {
	if s != "" && (s[0] == '\'' || strings.IndexByte(formulaTriggers, s[0]) >= 0) {
		return "'" + s
	}
	return s
}

// The CSV files are RFC 4180 (UTF-8, a header row of column names, quotes doubled) with one
// difference: records end with LF, not CRLF, so that a carriage return or a line break inside
// a value reads back exactly. Every text value is quoted, whatever it holds: a spreadsheet
// that splits fields at another separator (';' or tab, as many locales do) then still reads
// "Attack;=cmd…" as one text cell, rather than a second cell starting with '='. That, with
// the neutralisation of a text's first character, is OWASP's advice on CSV injection
// (https://owasp.org/www-community/attacks/CSV_Injection). Numbers are not quoted. An absent
// value is an empty, unquoted cell; an empty text is "".

// csvWriter writes the rows of one table.
type csvWriter struct {
	w          io.Writer
	t          *Table
	neutralize bool
	buf        []byte
}

// startCSV writes the byte order mark (if wanted) and the header row of a table.
func startCSV(w io.Writer, t *Table, opts Options) (*csvWriter, error) {
	if opts.BOM {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return nil, err
		}
	}
	c := &csvWriter{w: w, t: t, neutralize: !opts.NoNeutralize}
	for i, name := range keyNames(t.Columns) {
		if i > 0 {
			c.buf = append(c.buf, ',')
		}
		c.buf = appendField(c.buf, name, strings.ContainsAny(name, ",\"\r\n;\t ") || name == "")
	}
	return c, c.flushLine()
}

// write writes one row.
func (c *csvWriter) write(row []Cell) error {
	for i, cell := range row {
		if i > 0 {
			c.buf = append(c.buf, ',')
		}
		if cell.Null {
			continue
		}
		v, text := cell.Value, c.t.Columns[i].Type == TypeString
		if text && c.neutralize {
			v = Neutralize(v)
		}
		c.buf = appendField(c.buf, v, text || strings.ContainsAny(v, ",\"\r\n"))
	}
	return c.flushLine()
}

func (c *csvWriter) flushLine() error {
	c.buf = append(c.buf, '\n')
	_, err := c.w.Write(c.buf)
	c.buf = c.buf[:0]
	return err
}

// appendField appends a field, quoted (its quotes doubled) if quote.
func appendField(b []byte, v string, quote bool) []byte {
	if !quote {
		return append(b, v...)
	}
	b = append(b, '"')
	for {
		i := strings.IndexByte(v, '"')
		if i < 0 {
			break
		}
		b = append(b, v[:i+1]...)
		b = append(b, '"')
		v = v[i+1:]
	}
	b = append(b, v...)
	return append(b, '"')
}
