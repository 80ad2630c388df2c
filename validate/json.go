package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/apmd-data/apmd/internal/jsonpos"
)

// jsonCheck reads a record file as JSON. It decodes the record, which every other check needs,
// so it runs whatever --select and --ignore say.
var jsonCheck = &Check{
	Name: "json",
	Doc:  "a record file is a regular file of UTF-8 JSON without a byte-order mark, repeated keys or numbers too large to compare",
	Rules: []*Rule{ruleNotRegular, ruleTooLarge, ruleNotUTF8, ruleBOM, ruleJSONSyntax, ruleNumberRange,
		ruleDuplicateKey},
	Run: decode,
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// decode parses the record's bytes; the record counts as decoded when every check can read it.
func decode(p *Pass) {
	data := p.Record.Data
	if enc := utf16Encoding(data); enc != "" {
		p.ReportAtf(ruleNotUTF8, firstLine, "", "the file is %s, not UTF-8: save it as UTF-8 (without BOM)", enc)
		return
	}
	if !utf8.Valid(data) {
		off := jsonpos.FirstInvalidUTF8(data)
		p.ReportAtf(ruleNotUTF8, jsonpos.PositionAt(data, off), "",
			"byte 0x%02X at offset %d is not UTF-8: save the file as UTF-8 (%s)", data[off], off, encodingGuess(data))
		return
	}
	if bytes.HasPrefix(data, bom) {
		p.ReportAtf(ruleBOM, firstLine, "",
			"the file starts with a UTF-8 byte-order mark: save it as UTF-8 without BOM")
		data = data[len(bom):]
	}
	doc, err := jsonpos.Parse(data)
	if err != nil {
		syntaxError(p, data, err)
		return
	}
	p.Record.SetDoc(doc)
	if doc.Exponent && numbersOutOfRange(p, doc.Value) {
		return // the schema library cannot compare such a number: nothing more is checked
	}
	p.rec.decoded = true
	for _, d := range doc.Duplicates {
		_, name := path.Split(d.Pointer)
		name, _ = jsonpos.UnescapePointerToken(name)
		p.ReportAtf(ruleDuplicateKey, d.Second, d.Pointer,
			"key %q repeats the key at line %d, column %d of the same object; only this last value would count: remove one of them",
			name, d.First.Line, d.First.Column)
	}
}

// utf16Encoding names the UTF-16 encoding data is in, "" if it does not look like UTF-16: a
// UTF-16 byte-order mark, or a NUL as every other byte of its start (UTF-16 text in the ASCII
// range, which JSON's syntax is). A NUL cannot be in a JSON file otherwise.
func utf16Encoding(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return "UTF-16 (little-endian, with a byte-order mark)"
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return "UTF-16 (big-endian, with a byte-order mark)"
	}
	n := min(len(data), 64) &^ 1
	if n < 2 {
		return ""
	}
	even, odd := 0, 0
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			even++
		}
		if data[i+1] == 0 {
			odd++
		}
	}
	switch {
	case even == 0 && odd*4 >= n/2*3:
		return "UTF-16 (little-endian)"
	case odd == 0 && even*4 >= n/2*3:
		return "UTF-16 (big-endian)"
	}
	return ""
}

// syntaxError reports why the bytes are not JSON, with a hint where one helps.
func syntaxError(p *Pass, data []byte, err error) {
	var se *jsonpos.SyntaxError
	if !errors.As(err, &se) {
		p.ReportAtf(ruleJSONSyntax, firstLine, "", "%v", err)
		return
	}
	p.ReportAtf(ruleJSONSyntax, se.Pos, "", "%s%s", se.Msg, syntaxHint(data, se))
}

// syntaxHint guesses the mistake behind a syntax error from the bytes around it: a comma
// missing at the end of a line, a " that ends a string early, a comment.
func syntaxHint(data []byte, se *jsonpos.SyntaxError) string {
	off := min(se.Pos.Offset, len(data))
	before := bytes.TrimRight(data[:off], " \t")
	switch {
	case off < len(data) && data[off] == '/' && off+1 < len(data) && (data[off+1] == '/' || data[off+1] == '*'):
		return " (JSON has no comments: remove it; a remark on a record goes in its notes)"
	case se.Kind == jsonpos.MissingComma && se.Pos.Column <= firstColumn(data, se.Pos.Offset):
		return " (is a comma missing at the end of the line before?)"
	case se.Kind == jsonpos.MissingComma && bytes.HasSuffix(before, []byte(`"`)) && off < len(data) && data[off] != '"':
		return ` (a " inside a string must be written \" — a quotation mark in a quote, for one — or is a comma missing?)`
	}
	return ""
}

// firstColumn returns the column of the first non-blank character of the line holding off.
func firstColumn(data []byte, off int) int {
	start := bytes.LastIndexAny(data[:min(off, len(data))], "\r\n") + 1
	col := 1
	for i := start; i < len(data) && (data[i] == ' ' || data[i] == '\t'); i++ {
		col++
	}
	return col
}

// numbersOutOfRange reports every number under v that math/big cannot hold, such as
// 1e9999999: jsonschema/v5 compares numbers as big.Rat and fails on them. Only numbers with an
// exponent can be out of range, and a pointer is built only for those found, so the walk every
// valid record pays costs little.
func numbersOutOfRange(p *Pass, v any) bool {
	found := false
	walkValue(v, func(toks []string, _ bool, v any) {
		n, ok := v.(json.Number)
		if !ok || !strings.ContainsAny(string(n), "eE") {
			return
		}
		if _, ok := new(big.Rat).SetString(string(n)); !ok {
			p.Reportf(ruleNumberRange, jsonpos.JoinPointer("", toks...),
				"the number %s has an exponent too large to be checked: write the number in full, or as text if it is not a quantity", clip(string(n), 40))
			found = true
		}
	})
	return found
}

// encodingGuess says what a file that is not UTF-8 probably is: UTF-16 (Notepad's "Unicode":
// a byte-order mark FF FE or FE FF, or a zero byte beside every ASCII one), else a legacy
// 8-bit encoding.
func encodingGuess(data []byte) string {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) ||
		len(data) >= 4 && bytes.Count(data, []byte{0}) >= len(data)/4 {
		return `it is UTF-16, what Windows Notepad calls "Unicode": choose "UTF-8" when saving`
	}
	return "the text was probably saved in a legacy encoding such as Windows-1252"
}
