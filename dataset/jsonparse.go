package dataset

// This file holds a hand-written JSON (RFC 8259) parser. It exists, rather
// than encoding/json, for three reasons:
//
//   - speed: record validation runs over hundreds of thousands of files and
//     parsing dominates; the parser below does no reflection and allocates
//     little more than the result itself;
//   - positions: every finding is reported as "line L, column C", so syntax
//     errors must carry a precise position and the location of any value must
//     be recoverable (see Locate);
//   - strictness: duplicate keys are reported and invalid UTF-8 is rejected
//     instead of being silently replaced, because both hide data errors.

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth is the deepest nesting of objects and arrays Decode accepts. It
// matches encoding/json so that both accept the same documents, and it bounds
// the recursion of the parser.
const maxDepth = 10000

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

// Duplicate is a key that occurs more than once in one object. Decode keeps
// the last value (like encoding/json) but reports the repetition, because a
// repeated key is almost always an editing mistake that silently drops data.
type Duplicate struct {
	// Pointer is the RFC 6901 JSON pointer of the repeated member, for
	// example "/a~1b/0/k".
	Pointer string
	// First is the position of the first occurrence of the key in the
	// object, Second the position of the repetition. A key that occurs three
	// times yields two Duplicates sharing the same First.
	First, Second Position
}

// Positions tells where the values and keys of a document are, so a finding
// about a decoded value (known by its JSON pointer) can be shown at a line
// and column.
type Positions struct {
	// Values maps the JSON pointer of every value ("" for the root) to the
	// position of its first character.
	Values map[string]Position
	// Keys maps the JSON pointer of every object member to the position of
	// the opening quote of its key.
	Keys map[string]Position
}

// Decode parses one JSON document.
//
// The result is built from map[string]any, []any, string, json.Number, bool
// and nil: exactly the types encoding/json produces with UseNumber and that
// github.com/santhosh-tekuri/jsonschema/v5 validates. Numbers stay
// json.Number so that no precision is lost before the schema sees them.
//
// Duplicate keys are not an error: the last value wins and every repetition
// is returned in dups, in document order. Everything else that RFC 8259
// forbids is a *SyntaxError: an empty document, content after the value,
// a byte-order mark, invalid UTF-8 inside strings, raw control characters in
// strings, leading zeros, malformed literals, numbers and escapes, and
// nesting deeper than 10000. Escaped lone surrogates (e.g. "\ud800") are
// legal JSON and decode to U+FFFD, as in encoding/json.
//
// Strings and numbers in the result share one copy of data (made once per
// call), so data may be reused by the caller but any retained string keeps
// the whole document alive.
func Decode(data []byte) (v any, dups []Duplicate, err error) {
	p := getParser(data)
	v, err = p.parse()
	var dupObjs []int
	if err == nil && len(p.dupObjs) > 0 {
		dupObjs = append(dupObjs, p.dupObjs...)
	}
	putParser(p)
	if err != nil {
		return nil, nil, err
	}
	if dupObjs != nil {
		// Duplicates are rare, so the fast pass only notes which objects
		// came out smaller than their member count; pointers and
		// positions are worked out by a second pass over the document.
		dups = findDuplicates(data, dupObjs)
	}
	return v, dups, nil
}

// Locate returns the position of every value and member key of data. It
// parses data with the same grammar as Decode and returns the same
// *SyntaxError for malformed input (including a byte-order mark).
//
// When a key is repeated, the positions describe the last occurrence, the
// one whose value Decode keeps, so every pointer in the result resolves in
// the decoded value. Locate is meant to be called only once a finding needs
// a position, so it trades speed for simplicity: it builds the pointer of
// every value, whose total length grows with the square of the nesting
// depth (about 100 MB for a 20 KB file nested 10000 deep).
func Locate(data []byte) (*Positions, error) {
	pos, _, err := locate(data)
	return pos, err
}

func locate(data []byte) (*Positions, []Duplicate, error) {
	p := getParser(data)
	l := &locator{
		full:  true,
		lc:    lineCounter{data: data, line: 1, col: 1},
		pos:   &Positions{Values: map[string]Position{}, Keys: map[string]Position{}},
		stack: []locFrame{{}},
	}
	p.loc = l
	_, err := p.parse()
	putParser(p)
	if err != nil {
		return nil, nil, err
	}
	return l.pos, l.dups, nil
}

// findDuplicates reports the repeated keys of a document Decode accepted.
// objs holds the offsets of the objects that have them, so only those
// objects track their keys, and pointers are built only for the
// repetitions: the pass stays linear even for pathological input.
func findDuplicates(data []byte, objs []int) []Duplicate {
	p := getParser(data)
	l := &locator{stack: []locFrame{{}}, dupObjs: make(map[int]bool, len(objs))}
	for _, off := range objs {
		l.dupObjs[off] = true
	}
	p.loc = l
	if _, err := p.parse(); err != nil {
		panic("dataset: second parse failed: " + err.Error()) // same grammar as the first
	}
	putParser(p)
	// Key offsets were noted in any order (a First may precede earlier
	// Seconds); converting them in sorted order keeps it one sweep.
	offs := make([]int, 0, 2*len(l.dupOffs))
	for _, d := range l.dupOffs {
		offs = append(offs, d[0], d[1])
	}
	slices.Sort(offs)
	lc := lineCounter{data: data, line: 1, col: 1}
	at := make(map[int]Position, len(offs))
	for _, off := range offs {
		at[off] = lc.at(off)
	}
	for n, d := range l.dupOffs {
		l.dups[n].First, l.dups[n].Second = at[d[0]], at[d[1]]
	}
	return l.dups
}

// parser holds the state of one parse. Parsers are pooled because the value
// stacks and the escape buffer reach a steady size after a few documents and
// reusing them saves several allocations per file.
type parser struct {
	data []byte
	// src is string(data). Unescaped strings, keys and numbers are slices
	// of it, which costs no allocation per value.
	src   string
	depth int
	// keys and vals are stacks shared by all open containers: members are
	// collected here and copied into a map or slice of the exact size once
	// the container closes, so maps never rehash and slices never regrow.
	keys []string
	vals []any
	buf  []byte // scratch for strings with escapes
	// dupObjs holds the offsets of objects with a repeated key: the map
	// came out smaller than the member count.
	dupObjs []int
	// errOff and errMsg describe the first syntax error; the position is
	// computed from errOff only when the error is returned.
	errOff  int
	errMsg  string
	errKind SyntaxKind
	// loc, when set, records positions (Locate) or finds duplicates
	// (findDuplicates); nil in the fast pass.
	loc *locator
}

var parserPool = sync.Pool{New: func() any { return new(parser) }}

func getParser(data []byte) *parser {
	p := parserPool.Get().(*parser)
	p.data = data
	p.src = string(data)
	return p
}

// maxPooledStack bounds the stacks kept in a pooled parser so that one huge
// document does not pin its memory for the rest of the run.
const maxPooledStack = 1 << 16

func putParser(p *parser) {
	// Containers clear their part of the stacks when they close, but an
	// error leaves entries behind; clearing lets the GC reclaim them.
	clear(p.keys)
	clear(p.vals)
	p.keys, p.vals, p.buf, p.dupObjs = p.keys[:0], p.vals[:0], p.buf[:0], p.dupObjs[:0]
	if cap(p.keys) > maxPooledStack || cap(p.vals) > maxPooledStack || cap(p.buf) > maxPooledStack || cap(p.dupObjs) > maxPooledStack {
		p.keys, p.vals, p.buf, p.dupObjs = nil, nil, nil, nil
	}
	p.data, p.src, p.loc = nil, "", nil
	p.depth, p.errOff, p.errMsg, p.errKind = 0, 0, "", OtherSyntax
	parserPool.Put(p)
}

// isSpace marks the four JSON whitespace bytes. A table beats a chain of
// comparisons in the hot loops.
var isSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// strPlain marks bytes that may appear in a string as themselves: everything
// except '"', '\\' and control characters. Bytes >= 0x80 are plain here;
// UTF-8 validity is checked once per string with utf8.Valid, which is much
// faster than decoding rune by rune.
var strPlain = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// strASCII is strPlain restricted to ASCII, for the fast path of str.
var strASCII = func() (t [256]bool) {
	copy(t[:utf8.RuneSelf], strPlain[:utf8.RuneSelf])
	return t
}()

func skipSpace(d []byte, i int) int {
	for i < len(d) && isSpace[d[i]] {
		i++
	}
	return i
}

const bomMsg = "byte-order mark (U+FEFF) at start of file; save the file as UTF-8 without BOM"

// parse parses the whole document; it is shared by Decode and Locate.
func (p *parser) parse() (any, error) {
	d := p.data
	if len(d) >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF {
		p.fail(0, bomMsg)
		return nil, p.syntaxError()
	}
	i := skipSpace(d, 0)
	if i >= len(d) {
		p.fail(i, "empty document; expected a JSON value")
		return nil, p.syntaxError()
	}
	v, j := p.value(i)
	if j < 0 {
		return nil, p.syntaxError()
	}
	if j = skipSpace(d, j); j < len(d) {
		p.expect(j, "after top-level value", "", "end of file")
		return nil, p.syntaxError()
	}
	return v, nil
}

// value parses the value starting at d[i] (whitespace already skipped) and
// returns it with the offset just past it, or a negative offset after a
// syntax error. Offsets rather than a cursor field keep the index in a
// register in the hot loops.
func (p *parser) value(i int) (any, int) {
	d := p.data
	if i >= len(d) {
		return nil, p.expect(i, "", "", "a JSON value")
	}
	if p.loc != nil {
		p.loc.value(i)
	}
	switch c := d[i]; {
	case c == '"':
		s, j := p.str(i)
		if j < 0 {
			return nil, j
		}
		return s, j
	case c == '{':
		return p.object(i)
	case c == '[':
		return p.array(i)
	case c == '-' || c-'0' <= 9:
		return p.number(i)
	case c == 't':
		return p.literal(i, "true", true)
	case c == 'f':
		return p.literal(i, "false", false)
	case c == 'n':
		return p.literal(i, "null", nil)
	}
	return nil, p.expect(i, "looking for beginning of value", "", "a JSON value"+valueHint(d[i:]))
}

func (p *parser) object(i int) (any, int) {
	d := p.data
	if p.depth++; p.depth > maxDepth {
		return nil, p.fail(i, depthMsg)
	}
	open := i
	i = skipSpace(d, i+1)
	if i < len(d) && d[i] == '}' {
		p.depth--
		return map[string]any{}, i + 1
	}
	if p.loc != nil {
		p.loc.openObject(open)
	}
	kbase, vbase := len(p.keys), len(p.vals)
	afterComma := false
	for {
		if i >= len(d) || d[i] != '"' {
			return nil, p.keyError(i, afterComma)
		}
		k, j := p.str(i)
		if j < 0 {
			return nil, j
		}
		ki := i
		if i = skipSpace(d, j); i >= len(d) || d[i] != ':' {
			return nil, p.expect(i, "after object key", "", "':'")
		}
		i = skipSpace(d, i+1)
		if p.loc != nil {
			p.loc.enterKey(k, ki)
		}
		v, j := p.value(i)
		if j < 0 {
			return nil, j
		}
		if p.loc != nil {
			p.loc.leave()
		}
		p.keys = append(p.keys, k)
		p.vals = append(p.vals, v)
		if i = skipSpace(d, j); i < len(d) {
			if d[i] == ',' {
				i = skipSpace(d, i+1)
				afterComma = true
				continue
			}
			if d[i] == '}' {
				i++
				break
			}
		}
		return nil, p.expectAs(MissingComma, i, "after object member", "", "'}' or ','")
	}
	ks, vs := p.keys[kbase:], p.vals[vbase:]
	m := make(map[string]any, len(ks))
	for n, k := range ks {
		m[k] = vs[n]
	}
	// A repeated key overwrites its entry, so the map comes out smaller than
	// the member count; this costs nothing on the common path.
	if len(m) != len(ks) {
		p.dupObjs = append(p.dupObjs, open)
	}
	if p.loc != nil {
		p.loc.closeObject()
	}
	clear(ks)
	clear(vs)
	p.keys, p.vals = p.keys[:kbase], p.vals[:vbase]
	p.depth--
	return m, i
}

func (p *parser) array(i int) (any, int) {
	d := p.data
	if p.depth++; p.depth > maxDepth {
		return nil, p.fail(i, depthMsg)
	}
	i = skipSpace(d, i+1)
	if i < len(d) && d[i] == ']' {
		p.depth--
		return []any{}, i + 1
	}
	vbase := len(p.vals)
	for n := 0; ; n++ {
		if p.loc != nil {
			p.loc.enterIndex(n)
		}
		v, j := p.value(i)
		if j < 0 {
			return nil, j
		}
		if p.loc != nil {
			p.loc.leave()
		}
		p.vals = append(p.vals, v)
		if i = skipSpace(d, j); i < len(d) {
			if d[i] == ',' {
				if i = skipSpace(d, i+1); i < len(d) && d[i] == ']' {
					return nil, p.expectAs(TrailingComma, i, "after ','", "", "a JSON value (trailing commas are not allowed)")
				}
				continue
			}
			if d[i] == ']' {
				i++
				break
			}
		}
		return nil, p.expectAs(MissingComma, i, "after array element", "", "']' or ','")
	}
	vs := p.vals[vbase:]
	out := make([]any, len(vs))
	copy(out, vs)
	clear(vs)
	p.vals = p.vals[:vbase]
	p.depth--
	return out, i
}

// keyError explains why d[i] cannot start an object key.
func (p *parser) keyError(i int, afterComma bool) int {
	d := p.data
	switch {
	case i >= len(d) && afterComma:
		return p.expect(i, "", "", "'\"'")
	case i >= len(d):
		return p.expect(i, "", "", "'\"' or '}'")
	case afterComma && d[i] == '}':
		return p.expectAs(TrailingComma, i, "after ','", "", "'\"' (trailing commas are not allowed)")
	}
	want := "'\"' or '}'"
	if afterComma {
		want = "'\"'"
	}
	return p.expect(i, "looking for beginning of object key string", "", want+keyHint(d[i:]))
}

// str parses the string whose opening quote is d[i]. The common case (no
// escapes) returns a slice of p.src: no copy, no allocation.
func (p *parser) str(i int) (string, int) {
	d := p.data
	start := i + 1
	j := start
	for j < len(d) && strASCII[d[j]] {
		j++
	}
	if j < len(d) && d[j] >= utf8.RuneSelf {
		// Most strings are ASCII; only the others pay for the UTF-8
		// check, done once over the whole string.
		for j < len(d) && strPlain[d[j]] {
			j++
		}
		if j < len(d) && d[j] == '"' && !utf8.Valid(d[start:j]) {
			return "", p.utf8Error(start, j)
		}
	}
	if j >= len(d) || d[j] != '"' {
		return p.strSlow(i, j)
	}
	return p.src[start:j], j + 1
}

// strSlow finishes a string that has escapes or errors; d[j] is the first
// byte that is not plain.
func (p *parser) strSlow(i, j int) (string, int) {
	d := p.data
	start := i + 1
	buf := append(p.buf[:0], d[start:j]...)
	for {
		if j >= len(d) {
			return "", p.strError(start, j, p.expect(j, "", " in string starting at "+p.position(i).String(), "'\"'"))
		}
		switch c := d[j]; {
		case c == '"':
			if !utf8.Valid(d[start:j]) {
				return "", p.utf8Error(start, j)
			}
			p.buf = buf
			return string(buf), j + 1
		case c == '\\':
			j++
			if j >= len(d) {
				continue // reported as end of file in string
			}
			switch e := d[j]; e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, k := p.hex4(j + 1)
				if k < 0 {
					return "", p.strError(start, -k-1, p.fail(-k-1, hexMsg(d, -k-1)))
				}
				j = k - 1
				if utf16.IsSurrogate(r) {
					// Same rule as encoding/json: a surrogate pair is
					// combined, anything else becomes U+FFFD and the
					// following escape is decoded on its own.
					r2 := rune(-1)
					if k+1 < len(d) && d[k] == '\\' && d[k+1] == 'u' {
						r2, _ = p.hex4(k + 2)
					}
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						r = dec
						j = k + 5
					} else {
						r = utf8.RuneError
					}
				}
				buf = utf8.AppendRune(buf, r)
			default:
				return "", p.strError(start, j, p.fail(j, describe(d[j:])+
					` after backslash in string; expected one of \" \\ \/ \b \f \n \r \t \uXXXX (write \\ for a literal backslash)`))
			}
			j++
		case c < 0x20:
			return "", p.strError(start, j, p.fail(j, controlMsg(c)))
		default:
			k := j
			for j < len(d) && strPlain[d[j]] {
				j++
			}
			buf = append(buf, d[k:j]...)
		}
	}
}

// hex4 decodes the four hex digits of a \u escape at d[i:]. It returns the
// rune and the offset after the digits, or -(offset of the bad byte)-1.
func (p *parser) hex4(i int) (rune, int) {
	d := p.data
	var r rune
	for k := i; k < i+4; k++ {
		if k >= len(d) {
			return -1, -k - 1
		}
		c := d[k]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1, -k - 1
		}
		r = r<<4 | rune(c)
	}
	return r, i + 4
}

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
	if k := firstInvalidUTF8(p.data[start:min(j, len(p.data))]); k >= 0 {
		p.errMsg, p.errKind = "", OtherSyntax
		return p.utf8Error(start, start+k+1)
	}
	return ret
}

func (p *parser) utf8Error(start, end int) int {
	k := start + firstInvalidUTF8(p.data[start:end])
	return p.fail(k, fmt.Sprintf("invalid UTF-8 byte 0x%02X in string; expected UTF-8 text (was the file saved in another encoding, such as Windows-1252?)", p.data[k]))
}

func firstInvalidUTF8(b []byte) int {
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

// number parses -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and keeps the
// text as a json.Number.
func (p *parser) number(i int) (any, int) {
	d := p.data
	start := i
	if d[i] == '-' {
		i++
		if i >= len(d) || d[i]-'0' > 9 {
			return nil, p.expect(i, "after '-' in number", " in number", "digit")
		}
	}
	if d[i] == '0' {
		if i++; i < len(d) && d[i]-'0' <= 9 {
			return nil, p.expect(i, "after leading '0' in number", "", "'.', 'e' or end of number (leading zeros are not allowed)")
		}
	} else {
		for i++; i < len(d) && d[i]-'0' <= 9; i++ {
		}
	}
	if i < len(d) && d[i] == '.' {
		if i++; i >= len(d) || d[i]-'0' > 9 {
			return nil, p.expect(i, "after decimal point in number", " in number", "digit")
		}
		for i++; i < len(d) && d[i]-'0' <= 9; i++ {
		}
	}
	if i < len(d) && d[i]|0x20 == 'e' {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			if i++; i >= len(d) || d[i]-'0' > 9 {
				return nil, p.expect(i, "after exponent sign in number", " in number", "digit")
			}
		} else if i >= len(d) || d[i]-'0' > 9 {
			return nil, p.expect(i, "in exponent of number", " in number", "digit or sign")
		}
		for i++; i < len(d) && d[i]-'0' <= 9; i++ {
		}
	}
	if i-start <= 2 && d[start] != '-' {
		// Small integers (counts, pages, versions) are common; sharing
		// their boxed value saves an allocation each.
		n := int(d[start] - '0')
		if i-start == 2 {
			n = n*10 + int(d[start+1]-'0')
		}
		if i-start == 1 || n >= 10 {
			return smallNumbers[n], i
		}
	}
	return json.Number(p.src[start:i]), i
}

// smallNumbers holds the boxed json.Numbers "0" to "99". Interface values
// are immutable, so one copy can be shared by all documents.
var smallNumbers = func() (t [100]any) {
	for n := range t {
		t[n] = json.Number(strconv.Itoa(n))
	}
	return t
}()

func (p *parser) literal(i int, word string, v any) (any, int) {
	d := p.data
	if len(d)-i >= len(word) && string(d[i:i+len(word)]) == word {
		return v, i + len(word)
	}
	k := 1
	for i+k < len(d) && d[i+k] == word[k] {
		k++
	}
	return nil, p.expect(i+k, "in literal "+word, " in literal "+word, "'"+word[k:k+1]+"'")
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

// locator is the optional part of the parser that Locate and
// findDuplicates switch on through the hooks below. Keeping one parser for
// all three passes guarantees they accept exactly the same documents.
type locator struct {
	// full is set for Locate: record the position of every value and key.
	// Otherwise only duplicates are looked for, in the objects of dupObjs.
	full bool
	lc   lineCounter
	pos  *Positions
	// stack has a frame for the root and for each open member or element.
	stack []locFrame
	dups  []Duplicate

	// Full mode. log lists value pointers in the order they were recorded,
	// so the subtree of a member is a contiguous run of it; span holds the
	// run of each member that has descendants. When a repeated key replaces
	// a member, exactly that run is forgotten, so every pointer left in
	// Positions resolves in the decoded value (which keeps the last value).
	log  []string
	span map[string][2]int
	// first holds the first position of keys that have been repeated, so
	// that a third occurrence is paired with the first, not the second.
	first map[string]Position

	// Duplicates-only mode.
	dupObjs map[int]bool
	objs    []map[string]int // per open object: key -> offset of first occurrence, nil if not tracked
	dupOffs [][2]int         // offsets of First and Second for each of dups
}

// locFrame is an open member or array element. In full mode ptr is its
// pointer and lo the index of its own entry in log; in duplicates-only mode
// ptr is just its escaped reference token, so that building pointers costs
// nothing until a duplicate needs one.
type locFrame struct {
	ptr    string
	lo     int
	member bool
}

func (l *locator) value(i int) {
	if l.full {
		ptr := l.stack[len(l.stack)-1].ptr
		l.pos.Values[ptr] = l.lc.at(i)
		l.log = append(l.log, ptr)
	}
}

func (l *locator) openObject(i int) {
	if !l.full {
		var m map[string]int
		if l.dupObjs[i] {
			m = map[string]int{}
		}
		l.objs = append(l.objs, m)
	}
}

func (l *locator) closeObject() {
	if !l.full {
		l.objs = l.objs[:len(l.objs)-1]
	}
}

func (l *locator) enterKey(k string, ki int) {
	tok := EscapePointerToken(k)
	if !l.full {
		if seen := l.objs[len(l.objs)-1]; seen != nil {
			if f, ok := seen[k]; ok {
				var b strings.Builder
				for _, fr := range l.stack[1:] {
					b.WriteString("/")
					b.WriteString(fr.ptr)
				}
				b.WriteString("/")
				b.WriteString(tok)
				l.dups = append(l.dups, Duplicate{Pointer: b.String()})
				l.dupOffs = append(l.dupOffs, [2]int{f, ki})
			} else {
				seen[k] = ki
			}
		}
		l.stack = append(l.stack, locFrame{ptr: tok, member: true})
		return
	}
	ptr := l.stack[len(l.stack)-1].ptr + "/" + tok
	kp := l.lc.at(ki)
	if prev, ok := l.pos.Keys[ptr]; ok {
		// Keys[ptr] can only be from this very object: when an object is
		// itself replaced by a repeated key, its keys are forgotten.
		if l.first == nil {
			l.first = map[string]Position{}
		}
		f, ok := l.first[ptr]
		if !ok {
			f = prev
			l.first[ptr] = f
		}
		l.dups = append(l.dups, Duplicate{Pointer: ptr, First: f, Second: kp})
		if sp, ok := l.span[ptr]; ok {
			for _, q := range l.log[sp[0]:sp[1]] {
				delete(l.pos.Values, q)
				delete(l.pos.Keys, q)
				delete(l.first, q)
				delete(l.span, q)
			}
			delete(l.span, ptr)
		}
	}
	l.pos.Keys[ptr] = kp
	l.stack = append(l.stack, locFrame{ptr: ptr, lo: len(l.log), member: true})
}

func (l *locator) enterIndex(n int) {
	tok := strconv.Itoa(n)
	if l.full {
		tok = l.stack[len(l.stack)-1].ptr + "/" + tok
	}
	l.stack = append(l.stack, locFrame{ptr: tok, lo: len(l.log)})
}

func (l *locator) leave() {
	fr := l.stack[len(l.stack)-1]
	l.stack = l.stack[:len(l.stack)-1]
	// Only members can be replaced, and only those with descendants
	// have anything to forget.
	if l.full && fr.member && len(l.log) > fr.lo+1 {
		if l.span == nil {
			l.span = map[string][2]int{}
		}
		l.span[fr.ptr] = [2]int{fr.lo + 1, len(l.log)}
	}
}

// EscapePointerToken escapes one reference token for a JSON pointer
// (RFC 6901): "~" becomes "~0" and "/" becomes "~1".
func EscapePointerToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return pointerEscaper.Replace(s)
}

var (
	pointerEscaper   = strings.NewReplacer("~", "~0", "/", "~1")
	pointerUnescaper = strings.NewReplacer("~1", "/", "~0", "~")
)

// JoinPointer appends unescaped tokens to the JSON pointer base ("" is the
// root).
func JoinPointer(base string, tokens ...string) string {
	var b strings.Builder
	b.WriteString(base)
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(EscapePointerToken(t))
	}
	return b.String()
}

// SplitPointer splits a JSON pointer into its unescaped reference tokens.
// The root "" yields no tokens. A pointer not starting with "/" or holding a
// "~" not followed by "0" or "1" is an error.
func SplitPointer(p string) ([]string, error) {
	if p == "" {
		return []string{}, nil
	}
	if p[0] != '/' {
		return nil, fmt.Errorf("invalid JSON pointer %q: must be empty or start with '/'", p)
	}
	tokens := strings.Split(p[1:], "/")
	for n, t := range tokens {
		if !strings.Contains(t, "~") {
			continue
		}
		for k := 0; k < len(t); k++ {
			if t[k] == '~' && (k+1 >= len(t) || (t[k+1] != '0' && t[k+1] != '1')) {
				return nil, fmt.Errorf("invalid JSON pointer %q: %w", p, errBadTilde)
			}
		}
		// Replacer scans left to right, so "~01" correctly becomes "~1".
		tokens[n] = pointerUnescaper.Replace(t)
	}
	return tokens, nil
}

var errBadTilde = errors.New("'~' must be followed by '0' or '1'")
