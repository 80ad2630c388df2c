package validate

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/apmd-data/apmd/internal/jsonpos"
)

// textCheck refuses strings that are not plain text: control characters, which the workbook
// cannot hold (XLSX replaces them with U+FFFD, so the formats would disagree) and a terminal
// may act on, the noncharacters U+FFFE and U+FFFF, and lone surrogates (\ud800 without its
// pair), which the JSON parser can only read as U+FFFD.
var textCheck = &Check{
	Name:  "text",
	Doc:   "every string of a record, keys included, is text: no control character but tab, line feed and carriage return, no U+FFFE or U+FFFF, no lone surrogate",
	Rules: []*Rule{ruleControlChar},
	Run:   checkControls,
}

func checkControls(p *Pass) {
	data := bytes.TrimPrefix(p.Record.Data, bom) // the document's offsets start after a BOM
	if !suspect(data) {
		return // the common record: no byte that could make such a character
	}
	walkValue(p.Record.Value, func(toks []string, member bool, v any) {
		ptr := jsonpos.JoinPointer("", toks...)
		if member {
			k := toks[len(toks)-1]
			controlAt(p, data, p.Record.KeyPosition(ptr), ptr, "the key "+strconv.Quote(k)+" of "+pointerName(jsonpos.JoinPointer("", toks[:len(toks)-1]...)), k)
		}
		if s, ok := v.(string); ok {
			controlAt(p, data, p.Record.Position(ptr), ptr, "the value of "+pointerName(ptr), s)
		}
	})
}

// walkValue calls f on v and on every value under it, with the tokens of its JSON pointer
// (reused from call to call) and whether it is the member of an object (its key is the last token).
func walkValue(v any, f func(toks []string, member bool, v any)) {
	var toks []string
	var walk func(v any, member bool)
	walk = func(v any, member bool) {
		f(toks, member, v)
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				toks = append(toks, k)
				walk(x, true)
				toks = toks[:len(toks)-1]
			}
		case []any:
			for i, x := range v {
				toks = append(toks, strconv.Itoa(i))
				walk(x, false)
				toks = toks[:len(toks)-1]
			}
		}
	}
	walk(v, false)
}

// pointerName names a JSON pointer in a message ("the record" for the whole document).
func pointerName(ptr string) string {
	if ptr == "" {
		return "the record"
	}
	return ptr
}

// suspect reports whether data holds a byte sequence that may make a refused character in a
// string: an escape \u, \b or \f, DEL, a C1 control (C2 80–9F) or U+FFFE/U+FFFF (EF BF BE/BF).
// The JSON parser already refuses raw C0 controls inside strings.
func suspect(data []byte) bool {
	return bytes.IndexByte(data, 0x7F) >= 0 ||
		followedBy(data, '\\', func(b []byte) bool { return b[0] == 'u' || b[0] == 'b' || b[0] == 'f' }) ||
		followedBy(data, 0xC2, func(b []byte) bool { return b[0] >= 0x80 && b[0] <= 0x9F }) ||
		followedBy(data, 0xEF, func(b []byte) bool { return len(b) > 1 && b[0] == 0xBF && b[1] >= 0xBE })
}

// followedBy reports whether some byte lead of data is followed by bytes that ok accepts.
func followedBy(data []byte, lead byte, ok func([]byte) bool) bool {
	for {
		i := bytes.IndexByte(data, lead)
		if i < 0 || i+1 >= len(data) {
			return false
		}
		if ok(data[i+1:]) {
			return true
		}
		data = data[i+1:]
	}
}

// controlAt reports the first refused character of s, the string (a value or a key) whose
// opening quote is at pos, with its own line and column.
func controlAt(p *Pass, data []byte, pos jsonpos.Position, ptr, what, s string) {
	if !mayRefuse(s) || pos.Offset >= len(data) || data[pos.Offset] != '"' {
		return
	}
	found := refusedIn(data, pos.Offset)
	if len(found) == 0 {
		return
	}
	pos.Column += utf8.RuneCount(data[pos.Offset:found[0].at])
	more := ""
	if n := len(found) - 1; n > 0 {
		var names []string
		for _, f := range found[1:min(len(found), 4)] {
			names = append(names, f.String())
		}
		if n > 3 {
			names = append(names, fmt.Sprintf("%d more", n-3))
		}
		more = " and, after it, " + strings.Join(names, ", ")
	}
	p.ReportAtf(ruleControlChar, pos, ptr, "%s holds %s%s: remove such characters, or write what they stand for (a space, a tab, a line break); text is exported as it is, and a spreadsheet cannot hold such a character",
		what, found[0].describe(), more)
}

// mayRefuse reports whether the decoded string s holds a refused character, or U+FFFD, which
// may come from a lone surrogate.
func mayRefuse(s string) bool {
	for _, r := range s {
		if refused(r) || r == utf8.RuneError {
			return true
		}
	}
	return false
}

// refused reports whether r is a character a string may not hold.
func refused(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x7F && r <= 0x9F || r == 0xFFFE || r == 0xFFFF
}

// refusedChar is a refused character of a JSON string: the character (a lone surrogate as
// itself) and the offset of the file where it is written (its escape, if escaped).
type refusedChar struct {
	r    rune
	lone bool
	at   int
}

// String names the character in a list: U+0001, or \ud800 for a lone surrogate.
func (c refusedChar) String() string {
	if c.lone {
		return fmt.Sprintf("a lone surrogate \\u%04x", c.r)
	}
	return fmt.Sprintf("U+%04X", c.r)
}

// describe names the character and what it is.
func (c refusedChar) describe() string {
	switch {
	case c.lone:
		return fmt.Sprintf("a lone surrogate \\u%04x (half of a UTF-16 pair, which JSON readers turn into U+FFFD)", c.r)
	case c.r == 0xFFFE || c.r == 0xFFFF:
		return fmt.Sprintf("the noncharacter U+%04X", c.r)
	case c.r >= 0x80:
		return fmt.Sprintf("the C1 control character U+%04X", c.r)
	}
	return fmt.Sprintf("the control character U+%04X", c.r)
}

// refusedIn reads the JSON string whose opening quote is at data[off] and returns its refused
// characters.
func refusedIn(data []byte, off int) []refusedChar {
	var out []refusedChar
	for i := off + 1; i < len(data) && data[i] != '"'; {
		start := i
		r, size := utf8.DecodeRune(data[i:])
		lone := false
		if data[i] == '\\' && i+1 < len(data) {
			r, size, lone = unescapeAt(data[i:])
		}
		i += size
		if lone || refused(r) {
			out = append(out, refusedChar{r, lone, start})
		}
	}
	return out
}

// unescapeAt reads the escape at the start of b (b[0] is '\\'): the character, the bytes it
// takes, and whether it is a lone surrogate (then the character is the surrogate).
func unescapeAt(b []byte) (rune, int, bool) {
	switch b[1] {
	case 'u':
	case 'b':
		return '\b', 2, false
	case 'f':
		return '\f', 2, false
	default:
		return rune(b[1]), 2, false // \" \\ \/ \n \r \t: not refused
	}
	r := hex4(b[2:])
	if !utf16.IsSurrogate(r) {
		return r, 6, false
	}
	if r < 0xDC00 && len(b) >= 12 && b[6] == '\\' && b[7] == 'u' {
		if lo := hex4(b[8:]); lo >= 0xDC00 && lo <= 0xDFFF {
			return utf16.DecodeRune(r, lo), 12, false
		}
	}
	return r, 6, true
}

// hex4 reads four hex digits (the parser has checked them); -1 if b is too short.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	v, err := strconv.ParseUint(string(b[:4]), 16, 32)
	if err != nil {
		return -1
	}
	return rune(v)
}
