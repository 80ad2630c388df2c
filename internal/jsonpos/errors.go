package jsonpos

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Position is a location in a JSON document. Line and Column are 1-based,
// Offset is a 0-based byte offset.
//
// Column counts Unicode characters (runes), not bytes, because that is what
// editors show; a byte that is not valid UTF-8 counts as one column. Lines end
// at "\n", at "\r\n" (one break, not two) and at a lone "\r" (old Mac
// files), so a position is the same whichever line ending an editor used.
type Position struct{ Offset, Line, Column int }

// String formats the position as "line L, column C", the form used in all
// messages.
func (p Position) String() string {
	return "line " + strconv.Itoa(p.Line) + ", column " + strconv.Itoa(p.Column)
}

// SyntaxError reports malformed JSON. Pos is the position of the offending
// character (or the end of the file); Msg names what was found and what was
// expected there; Kind classifies the mistake for callers that add advice, so
// that they never match the message's words.
type SyntaxError struct {
	Pos  Position
	Kind SyntaxKind
	Msg  string
}

// SyntaxKind classifies a syntax error.
type SyntaxKind uint8

const (
	// OtherSyntax is any mistake without a kind of its own.
	OtherSyntax SyntaxKind = iota
	// MissingComma: after an object member or an array element comes neither
	// ',' nor the closing bracket (often a comma left out at a line's end).
	MissingComma
	// TrailingComma: a ',' directly before the closing bracket.
	TrailingComma
)

// Error returns "line L, column C: msg".
func (e *SyntaxError) Error() string { return e.Pos.String() + ": " + e.Msg }

const bomMsg = "byte-order mark (U+FEFF) at start of file; save the file as UTF-8 without BOM"

func hexMsg(d []byte, k int) string {
	if k >= len(d) {
		return `unexpected end of file in \u escape; expected hexadecimal digit`
	}
	return describe(d[k:]) + ` in \u escape; expected hexadecimal digit`
}

// strError makes sure an invalid UTF-8 byte before the error at j in the
// string starting at start is reported first, so the reported position is
// the first problem in the file. ret is the result of the original report.
func (p *parser) strError(start, j, ret int) int {
	if k := FirstInvalidUTF8(p.data[start:min(j, len(p.data))]); k >= 0 {
		p.errMsg, p.errKind = "", OtherSyntax
		return p.utf8Error(start, start+k+1)
	}
	return ret
}

func (p *parser) utf8Error(start, end int) int {
	k := start + FirstInvalidUTF8(p.data[start:end])
	return p.fail(k, fmt.Sprintf("invalid UTF-8 byte 0x%02X in string; expected UTF-8 text (was the file saved in another encoding, such as Windows-1252?)", p.data[k]))
}

// FirstInvalidUTF8 returns the offset of the first byte of b that is not UTF-8, or -1.
func FirstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

func controlMsg(c byte) string {
	var name, esc string
	switch c {
	case '\n':
		name, esc = " (line feed)", `\n`
	case '\r':
		name, esc = " (carriage return)", `\r`
	case '\t':
		name, esc = " (tab)", `\t`
	case '\b':
		esc = `\b`
	case '\f':
		esc = `\f`
	default:
		esc = fmt.Sprintf(`\u%04X`, c)
	}
	return fmt.Sprintf("invalid control character U+%04X%s in string; expected escape sequence %s", c, name, esc)
}

const depthMsg = "exceeded maximum nesting depth of 10000; expected a shallower document"

// fail records a syntax error at offset off and returns -1, the "failed"
// offset, so that callers can write return nil, p.fail(...).
func (p *parser) fail(off int, msg string) int {
	if p.errMsg == "" {
		p.errOff, p.errMsg = off, msg
	}
	return -1
}

// expect reports that d[i] (or the end of the file) is not what the grammar
// wants here. ctx says where we are ("after object key"); eofCtx is used
// instead when the file ends there, since most contexts read badly after
// "unexpected end of file".
func (p *parser) expect(i int, ctx, eofCtx, want string) int {
	if i >= len(p.data) {
		return p.fail(i, "unexpected end of file"+eofCtx+"; expected "+want)
	}
	msg := describe(p.data[i:])
	if ctx != "" {
		msg += " " + ctx
	}
	return p.fail(i, msg+"; expected "+want)
}

// expectAs is expect for a mistake of a known kind.
func (p *parser) expectAs(kind SyntaxKind, i int, ctx, eofCtx, want string) int {
	if p.errMsg == "" {
		p.errKind = kind
	}
	return p.expect(i, ctx, eofCtx, want)
}

func (p *parser) syntaxError() error {
	return &SyntaxError{Pos: p.position(p.errOff), Kind: p.errKind, Msg: p.errMsg}
}

func (p *parser) position(off int) Position {
	lc := lineCounter{data: p.data, line: 1, col: 1}
	return lc.at(off)
}

// describe names the character at the start of b for an error message, as
// the user sees it in an editor: a whole UTF-8 character such as '“' rather
// than its first byte.
func describe(b []byte) string {
	r, n := utf8.DecodeRune(b)
	if r == utf8.RuneError && n == 1 {
		return fmt.Sprintf("invalid byte 0x%02X (not UTF-8)", b[0])
	}
	switch r {
	case '\'':
		return `invalid character '\''`
	case '"':
		return `invalid character '"'`
	}
	return "invalid character " + strconv.QuoteRune(r)
}

// valueHint adds advice for the usual ways hand-edited files go wrong where
// a value should start.
func valueHint(b []byte) string {
	r, _ := utf8.DecodeRune(b)
	switch r {
	case '\'', '‘', '’', '“', '”', '„', '«', '»':
		return ` (strings must be enclosed in straight double quotes ")`
	case '+':
		return " (numbers must not start with '+')"
	case '.':
		return " (numbers need a digit before the decimal point)"
	}
	word := b[:min(len(b), 8)]
	for _, w := range []string{"true", "false", "null"} {
		if len(word) >= len(w) && strings.EqualFold(string(word[:len(w)]), w) {
			return " (true, false and null must be lowercase)"
		}
	}
	for _, w := range []string{"NaN", "Infinity"} {
		if len(word) >= len(w) && string(word[:len(w)]) == w {
			return " (NaN and Infinity are not valid JSON numbers)"
		}
	}
	return ""
}

// keyHint adds advice where an object key should start.
func keyHint(b []byte) string {
	r, _ := utf8.DecodeRune(b)
	switch {
	case r == '\'' || r == '‘' || r == '’' || r == '“' || r == '”' || r == '„':
		return ` (keys must be enclosed in straight double quotes ")`
	case r == '_' || r < utf8.RuneSelf && ('a' <= r|0x20 && r|0x20 <= 'z'):
		return ` (keys must be strings in double quotes)`
	}
	return ""
}

// lineCounter converts byte offsets into Positions. It moves forward from
// the last offset asked for, so a pass that asks in document order (Locate)
// costs O(len(data)) in total.
type lineCounter struct {
	data           []byte
	off, line, col int
}

func (c *lineCounter) at(off int) Position {
	if off < c.off {
		c.off, c.line, c.col = 0, 1, 1
	}
	d := c.data
	i, line, col := c.off, c.line, c.col
	for i < off && i < len(d) {
		switch b := d[i]; {
		case b == '\n':
			line, col = line+1, 1
			i++
		case b == '\r':
			i++
			if i < len(d) && d[i] == '\n' {
				col++ // the '\n' that follows ends the line
			} else {
				line, col = line+1, 1
			}
		case b < utf8.RuneSelf:
			col++
			i++
		default:
			_, n := utf8.DecodeRune(d[i:])
			i += n
			col++
		}
	}
	c.off, c.line, c.col = i, line, col
	return Position{Offset: off, Line: line, Column: col}
}

// PositionAt returns the position of a byte offset in data, counted as every other position of
// this package is (lines end at "\n", "\r\n" or "\r"; columns count runes). It serves findings
// that are about bytes rather than JSON values, such as the first byte that is not UTF-8.
func PositionAt(data []byte, off int) Position {
	lc := lineCounter{data: data, line: 1, col: 1}
	return lc.at(off)
}
