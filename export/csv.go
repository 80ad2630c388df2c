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

// separators are the characters where a spreadsheet may start a new cell inside a text: the
// field separators of the locales and the user's choice (comma, semicolon, tab), and the line
// breaks (a spreadsheet that does not honour the text's quotes starts a new row there).
const separators = ",;\t\r\n"

// quoted are the characters Neutralize puts a single quote before, at the start of a text and
// after a separator: the formula triggers, and the two quotes (a double quote may open a
// quoted field whose content starts with a trigger; a single quote is quoted so that undoing
// is one rule).
const quoted = formulaTriggers + "'\""

// Neutralize returns a text cell that a spreadsheet will not run as a formula, whatever
// separator it splits the line at: where the text starts, and after each comma, semicolon,
// tab or line break in it, a formula trigger (= + - @ tab, carriage return) or a quote (' or ") gets a
// single quote (') in front. A spreadsheet that splits "Attack;=cmd…" at the semicolon, as
// LibreOffice does when the line's other fields are separated by commas, then gets a cell
// starting with ', which is text. To undo it, drop each ' that starts the text or follows a
// comma, semicolon, tab, CR or LF: no other ' is there. Only text columns are neutralised; numbers,
// negative ones included, are never altered.
func Neutralize(s string) string {
	n := 0
	if needsQuote(s, 0) {
		n++
	}
	for i := 0; i+1 < len(s); i++ {
		if isSeparator[s[i]] && isQuoted[s[i+1]] {
			n++
		}
	}
	if n == 0 {
		return s
	}
	b := make([]byte, 0, len(s)+n)
	if needsQuote(s, 0) {
		b = append(b, '\'')
	}
	for i := 0; i < len(s); i++ {
		b = append(b, s[i])
		if isSeparator[s[i]] && needsQuote(s, i+1) {
			b = append(b, '\'')
		}
	}
	return string(b)
}

// isSeparator and isQuoted are separators and quoted as tables, for the scan of every text.
var isSeparator, isQuoted = byteSet(separators), byteSet(quoted)

func byteSet(chars string) (set [256]bool) {
	for i := range len(chars) {
		set[chars[i]] = true
	}
	return set
}

// needsQuote reports whether s[i] is a character Neutralize puts a quote before.
func needsQuote(s string, i int) bool { return i < len(s) && isQuoted[s[i]] }

// The CSV files are RFC 4180 (UTF-8, a header row of column names, quotes doubled) with one
// difference: records end with LF, not CRLF, so that a carriage return or a line break inside
// a value reads back exactly. Every text value is quoted, whatever it holds, and neutralised
// (Neutralize) at its start and after every separator, as OWASP's advice on CSV injection
// asks (https://owasp.org/www-community/attacks/CSV_Injection): quoting alone does not do,
// since LibreOffice splitting at ';' a line whose fields are separated by ',' reads the quotes
// as text. TestCSVInLibreOffice checks the three separators. Numbers are not quoted. An absent
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
