package synth

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// obj is a JSON object that keeps its member order, as a curator writes it. A key may occur
// twice on purpose: the duplicate-key break needs it, and encoding/json cannot express it.
type obj []member

type member struct {
	k string
	v any // string, int, bool, obj, []any, []string
}

func (o *obj) add(k string, v any) { *o = append(*o, member{k, v}) }

// get returns the value of the first member named k.
func (o obj) get(k string) (any, bool) {
	for _, m := range o {
		if m.k == k {
			return m.v, true
		}
	}
	return nil, false
}

// set replaces the value of the first member named k, or appends the member.
func (o *obj) set(k string, v any) {
	for i := range *o {
		if (*o)[i].k == k {
			(*o)[i].v = v
			return
		}
	}
	o.add(k, v)
}

// del removes every member named k.
func (o *obj) del(k string) {
	out := (*o)[:0]
	for _, m := range *o {
		if m.k != k {
			out = append(out, m)
		}
	}
	*o = out
}

// render appends the value as indented JSON (two spaces, arrays of scalars on one line: the
// layout of the curated records) and a final newline.
func render(b []byte, v any) []byte {
	b = appendValue(b, v, 0)
	return append(b, '\n')
}

func appendValue(b []byte, v any, depth int) []byte {
	switch v := v.(type) {
	case string:
		return appendString(b, v)
	case int:
		return strconv.AppendInt(b, int64(v), 10)
	case json.Number: // as written, for breaks that need a number no int holds
		return append(b, v...)
	case bool:
		return strconv.AppendBool(b, v)
	case []string:
		b = append(b, '[')
		for i, s := range v {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendString(b, s)
		}
		return append(b, ']')
	case obj:
		if len(v) == 0 {
			return append(b, "{}"...)
		}
		b = append(b, '{')
		for i, m := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = indent(b, depth+1)
			b = appendString(b, m.k)
			b = append(b, ": "...)
			b = appendValue(b, m.v, depth+1)
		}
		b = indent(b, depth)
		return append(b, '}')
	case []any:
		if len(v) == 0 {
			return append(b, "[]"...)
		}
		b = append(b, '[')
		for i, x := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = indent(b, depth+1)
			b = appendValue(b, x, depth+1)
		}
		b = indent(b, depth)
		return append(b, ']')
	}
	panic(fmt.Sprintf("synth: cannot render a %T", v)) // a bug in the generator, not bad input
}

func indent(b []byte, depth int) []byte {
	b = append(b, '\n')
	for range depth {
		b = append(b, "  "...)
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Non-ASCII text stays as UTF-8 (as in the curated
// files); only what JSON requires is escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			i++
			continue
		}
		if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
