package jsonpos

// This file holds a hand-written JSON (RFC 8259) parser. It exists, rather
// than encoding/json, for three reasons:
//
//   - speed: record validation runs over hundreds of thousands of files and
//     parsing dominates; the parser below does no reflection and allocates
//     little more than the result itself;
//   - positions: every finding is reported as "line L, column C", so syntax
//     errors must carry a precise position and the location of any value must
//     be known (see Doc): the one parse records where each value starts;
//   - strictness: duplicate keys are reported and invalid UTF-8 is rejected
//     instead of being silently replaced, because both hide data errors.

import (
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth is the deepest nesting of objects and arrays Decode accepts. It
// matches encoding/json so that both accept the same documents, and it bounds
// the recursion of the parser.
const maxDepth = 10000

// Parse parses one JSON document and records where each of its values and keys is (see Doc).
//
// The value is built from map[string]any, []any, string, json.Number, bool and nil: exactly
// the types encoding/json produces with UseNumber and that github.com/santhosh-tekuri/jsonschema/v5
// validates. Numbers stay json.Number so that no precision is lost before the schema sees them.
//
// Duplicate keys are not an error: the last value wins and every repetition is listed in
// Doc.Duplicates, in document order. Everything else that RFC 8259 forbids is a *SyntaxError:
// an empty document, content after the value, a byte-order mark, invalid UTF-8 inside strings,
// raw control characters in strings, leading zeros, malformed literals, numbers and escapes,
// and nesting deeper than 10000. Escaped lone surrogates (e.g. "\ud800") are legal JSON and
// decode to U+FFFD, as in encoding/json.
//
// Strings and numbers in the value share one copy of data (made once per call), so data may be
// reused by the caller, but any retained string keeps the whole document alive.
func Parse(data []byte) (*Doc, error) {
	if len(data) > maxSize {
		return nil, &SyntaxError{Pos: Position{Line: 1, Column: 1}, Msg: fmt.Sprintf("the document has %d bytes; at most %d can be read", len(data), maxSize)}
	}
	p := getParser(data)
	defer putParser(p)
	v, err := p.parse()
	if err != nil {
		return nil, err
	}
	d := &Doc{Value: v, src: p.src, nodes: p.nodes, Exponent: p.exponent}
	p.nodes = nil // the Doc owns them now
	if len(p.dupObjs) > 0 {
		d.Duplicates = d.duplicates(p.dupObjs)
	}
	return d, nil
}

// Decode parses one JSON document, as Parse does, for a caller that needs only its value and
// its repeated keys.
func Decode(data []byte) (v any, dups []Duplicate, err error) {
	d, err := Parse(data)
	if err != nil {
		return nil, nil, err
	}
	d.Release()
	return d.Value, d.Duplicates, nil
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
	// dupObjs holds the nodes of objects with a repeated key: the map came
	// out smaller than the member count.
	dupObjs []int32
	// nodes is the index of the values parsed so far (see Doc); key and
	// keyAt are the key of the next value and its offset (-1 for an array
	// item or the root).
	nodes []node
	key   string
	keyAt int32
	// errOff and errMsg describe the first syntax error; the position is
	// computed from errOff only when the error is returned.
	errOff  int
	errMsg  string
	errKind SyntaxKind
	// exponent: a number with an exponent was read (see Doc.Exponent).
	exponent bool
}

var parserPool = sync.Pool{New: func() any { return new(parser) }}

func getParser(data []byte) *parser {
	p := parserPool.Get().(*parser)
	p.data = data
	p.src = string(data)
	p.nodes = getNodes()
	p.keyAt = -1
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
	putNodes(p.nodes)
	p.data, p.src, p.nodes, p.key = nil, "", nil, ""
	p.depth, p.errOff, p.errMsg, p.errKind, p.exponent = 0, 0, "", OtherSyntax, false
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

// parse parses the whole document.
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
	self := len(p.nodes)
	p.nodes = append(p.nodes, node{key: p.key, val: int32(i), keyAt: p.keyAt})
	p.key, p.keyAt = "", -1
	var v any
	var j int
	switch c := d[i]; {
	case c == '"':
		var s string
		if s, j = p.str(i); j >= 0 {
			v = s
		}
	case c == '{':
		v, j = p.object(i, self)
	case c == '[':
		v, j = p.array(i)
	case c == '-' || c-'0' <= 9:
		v, j = p.number(i)
	case c == 't':
		v, j = p.literal(i, "true", true)
	case c == 'f':
		v, j = p.literal(i, "false", false)
	case c == 'n':
		v, j = p.literal(i, "null", nil)
	default:
		return nil, p.expect(i, "looking for beginning of value", "", "a JSON value"+valueHint(d[i:]))
	}
	if j < 0 {
		return nil, j
	}
	p.nodes[self].end = int32(len(p.nodes))
	return v, j
}

// object parses the object starting at d[i], whose node is self.
func (p *parser) object(i, self int) (any, int) {
	d := p.data
	if p.depth++; p.depth > maxDepth {
		return nil, p.fail(i, depthMsg)
	}
	i = skipSpace(d, i+1)
	if i < len(d) && d[i] == '}' {
		p.depth--
		return map[string]any{}, i + 1
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
		p.key, p.keyAt = k, int32(ki)
		v, j := p.value(i)
		if j < 0 {
			return nil, j
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
	p.depth--
	return p.members(kbase, vbase, self), i
}

// members makes the map of an object from the members stacked since kbase and vbase, and pops
// them.
func (p *parser) members(kbase, vbase, self int) map[string]any {
	ks, vs := p.keys[kbase:], p.vals[vbase:]
	m := make(map[string]any, len(ks))
	for n, k := range ks {
		m[k] = vs[n]
	}
	// A repeated key overwrites its entry, so the map comes out smaller than
	// the member count; this costs nothing on the common path.
	if len(m) != len(ks) {
		p.dupObjs = append(p.dupObjs, int32(self))
	}
	clear(ks)
	clear(vs)
	p.keys, p.vals = p.keys[:kbase], p.vals[:vbase]
	return m
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
	for {
		v, j := p.value(i)
		if j < 0 {
			return nil, j
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
			if j+1 >= len(d) {
				j++
				continue // reported as end of file in string
			}
			var ok bool
			if buf, j, ok = p.escape(buf, start, j+1); !ok {
				return "", j
			}
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

// escape appends the character of the escape whose letter is d[j] (after a backslash) to buf,
// and returns the offset after the escape; after a syntax error it returns the failed offset
// and false.
func (p *parser) escape(buf []byte, start, j int) ([]byte, int, bool) {
	d := p.data
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
			return buf, p.strError(start, -k-1, p.fail(-k-1, hexMsg(d, -k-1))), false
		}
		j = k - 1
		if utf16.IsSurrogate(r) {
			// Same rule as encoding/json: a surrogate pair is combined, anything else
			// becomes U+FFFD and the following escape is decoded on its own.
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
		return buf, p.strError(start, j, p.fail(j, describe(d[j:])+
			` after backslash in string; expected one of \" \\ \/ \b \f \n \r \t \uXXXX (write \\ for a literal backslash)`)), false
	}
	return buf, j + 1, true
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
		p.exponent = true
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
