package jsonpos

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// stdDecode is the reference: encoding/json with UseNumber, which yields the
// same value types as Decode. json.Valid is checked first because a
// json.Decoder stops after the first value and would accept "1 2".
func stdDecode(data []byte) (any, error) {
	if !json.Valid(data) {
		return nil, errors.New("invalid JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// refPosition is a deliberately naive offset-to-position conversion used to
// check lineCounter.
func refPosition(data []byte, off int) Position {
	line, col := 1, 1
	for i, n := 0, 0; i < off; i += n {
		r, size := utf8.DecodeRune(data[i:])
		n = size
		switch {
		case r == '\n':
			line, col = line+1, 1
		case r == '\r' && (i+1 >= len(data) || data[i+1] != '\n'):
			line, col = line+1, 1
		default:
			col++
		}
	}
	return Position{Offset: off, Line: line, Column: col}
}

// refPositions is refPosition for every offset of data, in linear time.
func refPositions(data []byte) []Position {
	ps := make([]Position, len(data)+1)
	line, col := 1, 1
	for i := 0; i <= len(data); {
		r, n := utf8.DecodeRune(data[i:])
		for k := 0; k < n || k == 0; k++ {
			// Offsets inside a rune never start a value; give them the
			// rune's position.
			ps[i+k] = Position{Offset: i + k, Line: line, Column: col}
		}
		if i == len(data) {
			break
		}
		switch {
		case r == '\n':
			line, col = line+1, 1
		case r == '\r' && (i+1 >= len(data) || data[i+1] != '\n'):
			line, col = line+1, 1
		default:
			col++
		}
		i += n
	}
	return ps
}

// refOffset is the inverse of refPosition for tests written in line:col.
func refOffset(t *testing.T, data []byte, line, col int) Position {
	t.Helper()
	for off := 0; off <= len(data); off++ {
		if p := refPosition(data, off); p.Line == line && p.Column == col {
			return p
		}
	}
	t.Fatalf("no offset for %d:%d", line, col)
	return Position{}
}

var validDocs = []string{
	`0`, `-0`, `1`, `-1`, `123456789012345678901234567890`, `1.5`, `-0.0`, `1e10`, `1E+10`, `1e-10`, `-12.5e-3`, `0.000001`,
	`true`, `false`, `null`, `""`, `"a"`, `" "`,
	`{}`, `[]`, `[[]]`, `[{}]`, `{"":""}`, `{"a":{}}`, `{"a":[]}`,
	`{"a":1,"b":[true,false,null,"x",{"c":-2.5e3}]}`,
	" \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" : { } } \r\n\t ",
	`"\"\\\/\b\f\n\r\t"`,
	`"\u0041\u00e9\u20AC\u0000\u001f"`,
	`"\ud83d\ude00"`,       // surrogate pair: U+1F600
	`"\ud800"`,             // lone high surrogate: U+FFFD
	`"\udc00"`,             // lone low surrogate
	`"\ud800\u0041"`,       // high surrogate then a normal escape
	`"\ud800\ud800\udc00"`, // lone high, then a pair
	`"\udbff\udfff"`,       // U+10FFFF
	`"x\ud800"`, `"\ud800x"`, `"\ud800\\"`,
	`"\ud800\n"`,
	`"\uDFFF\uD800"`,
	`"héllo wörld ’ “quoted” — 日本語 😀"`,
	"\"\u2028\u2029\x7f\"",
	`{"a":1,"a":2}`,             // last wins
	`{"a":{"x":1},"a":{"y":2}}`, // last wins, whole subtree
	`[1,[2,[3,[4,[5]]]]]`,
	`{"a/b":1,"m~n":2,"":3," ":4}`,
	`{"nested":{"deep":{"deeper":{"deepest":[1,2,{"k":"v"}]}}}}`,
	`[-1.0e+0, 0e0, 0E-0, 10, 1.25]`,
	`"` + strings.Repeat("long string ", 100) + `"`,
	`["` + strings.Repeat(`\n`, 50) + `"]`,
	strings.Repeat("[", 10000) + strings.Repeat("]", 10000), // exactly the maximum depth
}

func TestDecodeMatchesEncodingJSON(t *testing.T) {
	for _, doc := range validDocs {
		want, err := stdDecode([]byte(doc))
		if err != nil {
			t.Fatalf("bad test case %q: %v", doc, err)
		}
		got, _, gerr := Decode([]byte(doc))
		if (err == nil) != (gerr == nil) {
			t.Errorf("Decode(%.40q): err %v, encoding/json err %v", doc, gerr, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Decode(%.40q) = %#v, want %#v", doc, got, want)
		}
	}
}

func TestDecodeTypes(t *testing.T) {
	v, dups, err := Decode([]byte(`{"s":"x","n":1.50,"t":true,"f":false,"z":null,"o":{},"a":[]}`))
	if err != nil || dups != nil {
		t.Fatal(err, dups)
	}
	want := map[string]any{"s": "x", "n": json.Number("1.50"), "t": true, "f": false, "z": nil,
		"o": map[string]any{}, "a": []any{}}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("got %#v", v)
	}
	// Empty containers must be non-nil, as with encoding/json.
	if m := v.(map[string]any); m["a"].([]any) == nil || m["o"].(map[string]any) == nil {
		t.Fatal("empty container decoded as nil")
	}
}

// Strings share one copy of the input, never the caller's buffer.
func TestDecodeDoesNotAliasInput(t *testing.T) {
	data := []byte(`{"key":"value","n":12}`)
	v, _, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	for i := range data {
		data[i] = 'X'
	}
	want := map[string]any{"key": "value", "n": json.Number("12")}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("value changed with input buffer: %#v", v)
	}
}

func TestSyntaxErrors(t *testing.T) {
	const utf8Msg = "in string; expected UTF-8 text (was the file saved in another encoding, such as Windows-1252?)"
	const escMsg = `after backslash in string; expected one of \" \\ \/ \b \f \n \r \t \uXXXX (write \\ for a literal backslash)`
	tests := []struct {
		in        string
		line, col int
		msg       string
	}{
		{``, 1, 1, "empty document; expected a JSON value"},
		{"  \n\t", 2, 2, "empty document; expected a JSON value"},
		{`{`, 1, 2, `unexpected end of file; expected '"' or '}'`},
		{`[`, 1, 2, "unexpected end of file; expected a JSON value"},
		{`{"a"`, 1, 5, "unexpected end of file; expected ':'"},
		{`{"a":`, 1, 6, "unexpected end of file; expected a JSON value"},
		{`{"a":1`, 1, 7, "unexpected end of file; expected '}' or ','"},
		{`{"a":1,`, 1, 8, `unexpected end of file; expected '"'`},
		{`[1`, 1, 3, "unexpected end of file; expected ']' or ','"},
		{`[1,`, 1, 4, "unexpected end of file; expected a JSON value"},
		{`"abc`, 1, 5, `unexpected end of file in string starting at line 1, column 1; expected '"'`},
		{"[\n  \"ab\\", 2, 7, `unexpected end of file in string starting at line 2, column 3; expected '"'`},
		{`tru`, 1, 4, "unexpected end of file in literal true; expected 'e'"},
		{`nul`, 1, 4, "unexpected end of file in literal null; expected 'l'"},
		{`f`, 1, 2, "unexpected end of file in literal false; expected 'a'"},
		{`-`, 1, 2, "unexpected end of file in number; expected digit"},
		{`1.`, 1, 3, "unexpected end of file in number; expected digit"},
		{`1e`, 1, 3, "unexpected end of file in number; expected digit or sign"},
		{`1e+`, 1, 4, "unexpected end of file in number; expected digit"},
		{`{"a":1,"b"}`, 1, 11, "invalid character '}' after object key; expected ':'"},
		{`{"a" 1}`, 1, 6, "invalid character '1' after object key; expected ':'"},
		{`{"a":1 "b":2}`, 1, 8, `invalid character '"' after object member; expected '}' or ','`},
		{`{"a":1,}`, 1, 8, `invalid character '}' after ','; expected '"' (trailing commas are not allowed)`},
		{`[1,]`, 1, 4, "invalid character ']' after ','; expected a JSON value (trailing commas are not allowed)"},
		{"[\r\n1,\r\n]", 3, 1, "invalid character ']' after ','; expected a JSON value (trailing commas are not allowed)"},
		{"[\r1,\r]", 3, 1, "invalid character ']' after ','; expected a JSON value (trailing commas are not allowed)"},
		{`[1 2]`, 1, 4, "invalid character '2' after array element; expected ']' or ','"},
		{`[1:2]`, 1, 3, "invalid character ':' after array element; expected ']' or ','"},
		{`{,}`, 1, 2, `invalid character ',' looking for beginning of object key string; expected '"' or '}'`},
		{`{"a":1,,}`, 1, 8, `invalid character ',' looking for beginning of object key string; expected '"'`},
		{`{a:1}`, 1, 2, `invalid character 'a' looking for beginning of object key string; expected '"' or '}' (keys must be strings in double quotes)`},
		{`{'a':1}`, 1, 2, `invalid character '\'' looking for beginning of object key string; expected '"' or '}' (keys must be enclosed in straight double quotes ")`},
		{`{"x":1, “a”:1}`, 1, 9, `invalid character '“' looking for beginning of object key string; expected '"' (keys must be enclosed in straight double quotes ")`},
		{"{\n  \"ä€😀\": “x”\n}", 2, 10, `invalid character '“' looking for beginning of value; expected a JSON value (strings must be enclosed in straight double quotes ")`},
		{`['x']`, 1, 2, `invalid character '\'' looking for beginning of value; expected a JSON value (strings must be enclosed in straight double quotes ")`},
		{`{"a":[1,2,}`, 1, 11, "invalid character '}' looking for beginning of value; expected a JSON value"},
		{`]`, 1, 1, "invalid character ']' looking for beginning of value; expected a JSON value"},
		{`01`, 1, 2, "invalid character '1' after leading '0' in number; expected '.', 'e' or end of number (leading zeros are not allowed)"},
		{`[-00]`, 1, 4, "invalid character '0' after leading '0' in number; expected '.', 'e' or end of number (leading zeros are not allowed)"},
		{`1.x`, 1, 3, "invalid character 'x' after decimal point in number; expected digit"},
		{`1.e5`, 1, 3, "invalid character 'e' after decimal point in number; expected digit"},
		{`1ex`, 1, 3, "invalid character 'x' in exponent of number; expected digit or sign"},
		{`1e+x`, 1, 4, "invalid character 'x' after exponent sign in number; expected digit"},
		{`-x`, 1, 2, "invalid character 'x' after '-' in number; expected digit"},
		{`-` + "\u00e9", 1, 2, "invalid character 'é' after '-' in number; expected digit"},
		{`+1`, 1, 1, "invalid character '+' looking for beginning of value; expected a JSON value (numbers must not start with '+')"},
		{`.5`, 1, 1, "invalid character '.' looking for beginning of value; expected a JSON value (numbers need a digit before the decimal point)"},
		{`[True]`, 1, 2, "invalid character 'T' looking for beginning of value; expected a JSON value (true, false and null must be lowercase)"},
		{`NULL`, 1, 1, "invalid character 'N' looking for beginning of value; expected a JSON value (true, false and null must be lowercase)"},
		{`NaN`, 1, 1, "invalid character 'N' looking for beginning of value; expected a JSON value (NaN and Infinity are not valid JSON numbers)"},
		{`trUe`, 1, 3, "invalid character 'U' in literal true; expected 'u'"},
		{`nulL`, 1, 4, "invalid character 'L' in literal null; expected 'l'"},
		{`1 2`, 1, 3, "invalid character '2' after top-level value; expected end of file"},
		{"{}\n\n x", 3, 2, "invalid character 'x' after top-level value; expected end of file"},
		{`truex`, 1, 5, "invalid character 'x' after top-level value; expected end of file"},
		{`123abc`, 1, 4, "invalid character 'a' after top-level value; expected end of file"},
		{"{\"a\":1}\x00", 1, 8, `invalid character '\x00' after top-level value; expected end of file`},
		{"\"a\nb\"", 1, 3, `invalid control character U+000A (line feed) in string; expected escape sequence \n`},
		{"\"a\r\nb\"", 1, 3, `invalid control character U+000D (carriage return) in string; expected escape sequence \r`},
		{"\"a\tb\"", 1, 3, `invalid control character U+0009 (tab) in string; expected escape sequence \t`},
		{"\"\x01\"", 1, 2, `invalid control character U+0001 in string; expected escape sequence \u0001`},
		{"[\"ü\\n\x1f\"]", 1, 6, `invalid control character U+001F in string; expected escape sequence \u001F`},
		{`"\x"`, 1, 3, "invalid character 'x' " + escMsg},
		{`"ab\'"`, 1, 5, `invalid character '\'' ` + escMsg},
		{`"\u12"`, 1, 6, `invalid character '"' in \u escape; expected hexadecimal digit`},
		{`"\u12G4"`, 1, 6, `invalid character 'G' in \u escape; expected hexadecimal digit`},
		{`"\ud800\u12"`, 1, 12, `invalid character '"' in \u escape; expected hexadecimal digit`},
		{`"\u00`, 1, 6, `unexpected end of file in \u escape; expected hexadecimal digit`},
		{"\"\xff\"", 1, 2, "invalid UTF-8 byte 0xFF " + utf8Msg},
		{"[\"ab\xe2\x80\"]", 1, 5, "invalid UTF-8 byte 0xE2 " + utf8Msg},
		{"\"é\xe9t\xe9\"", 1, 3, "invalid UTF-8 byte 0xE9 " + utf8Msg}, // Latin-1 é
		{"\"é\xff\\n\"", 1, 3, "invalid UTF-8 byte 0xFF " + utf8Msg},
		{"\"\xff\n\"", 1, 2, "invalid UTF-8 byte 0xFF " + utf8Msg},       // first problem wins
		{"\"\xed\xa0\x80\"", 1, 2, "invalid UTF-8 byte 0xED " + utf8Msg}, // encoded surrogate
		{"\"\xc0\xaf\"", 1, 2, "invalid UTF-8 byte 0xC0 " + utf8Msg},     // overlong
		{"\"\xe2\x80", 1, 2, "invalid UTF-8 byte 0xE2 " + utf8Msg},
		{"\xff", 1, 1, "invalid byte 0xFF (not UTF-8) looking for beginning of value; expected a JSON value"},
		{"\xef\xbb\xbf{}", 1, 1, "byte-order mark (U+FEFF) at start of file; save the file as UTF-8 without BOM"},
		{"\xef\xbb\xbf", 1, 1, "byte-order mark (U+FEFF) at start of file; save the file as UTF-8 without BOM"},
		{"[\ufeff]", 1, 2, `invalid character '\ufeff' looking for beginning of value; expected a JSON value`},
		{"[1,\u00a02]", 1, 4, `invalid character '\u00a0' looking for beginning of value; expected a JSON value`},
		{strings.Repeat("[", 10001), 1, 10001, "exceeded maximum nesting depth of 10000; expected a shallower document"},
		{strings.Repeat(`{"a":`, 10001), 1, 50001, "exceeded maximum nesting depth of 10000; expected a shallower document"},
	}
	for _, tc := range tests {
		data := []byte(tc.in)
		v, dups, err := Decode(data)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Decode(%.40q) = %v, %v, %v; want SyntaxError", tc.in, v, dups, err)
			continue
		}
		if v != nil || dups != nil {
			t.Errorf("Decode(%.40q) returned a value with the error", tc.in)
		}
		if se.Pos.Line != tc.line || se.Pos.Column != tc.col || se.Msg != tc.msg {
			t.Errorf("Decode(%.40q):\n got %d:%d %s\nwant %d:%d %s", tc.in, se.Pos.Line, se.Pos.Column, se.Msg, tc.line, tc.col, tc.msg)
		}
		// The kinds classify exactly the messages that name them.
		wantKind := OtherSyntax
		switch {
		case strings.Contains(tc.msg, "or ','"):
			wantKind = MissingComma
		case strings.Contains(tc.msg, "trailing commas"):
			wantKind = TrailingComma
		}
		if se.Kind != wantKind {
			t.Errorf("Decode(%.40q): kind %d, want %d", tc.in, se.Kind, wantKind)
		}
		if ref := refPosition(data, se.Pos.Offset); ref != se.Pos {
			t.Errorf("Decode(%.40q): position %+v, offset says %+v", tc.in, se.Pos, ref)
		}
		if want := "line " + strconv.Itoa(tc.line) + ", column " + strconv.Itoa(tc.col) + ": " + tc.msg; err.Error() != want {
			t.Errorf("Error() = %q, want %q", err.Error(), want)
		}
		// Everything we reject, encoding/json rejects too (it only
		// differs by replacing invalid UTF-8).
		if json.Valid(data) && utf8.Valid(data) {
			t.Errorf("encoding/json accepts %.40q", tc.in)
		}
	}
}

func TestDuplicates(t *testing.T) {
	doc := []byte(`{
  "a": 1,
  "b": {"x": 1, "x": 2},
  "a": 3,
  "c": [{"k": 1, "k": 2}, {"k": 3}],
  "a/b": {"~": 0, "~": 1},
  "a": {"x": 1, "x": 2}
}`)
	v, dups, err := Decode(doc)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := stdDecode(doc)
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("last value must win: got %#v, want %#v", v, want)
	}
	at := func(line, col int) Position { return refOffset(t, doc, line, col) }
	wantDups := []Duplicate{
		{"/b/x", at(3, 9), at(3, 17)},
		{"/a", at(2, 3), at(4, 3)},
		{"/c/0/k", at(5, 10), at(5, 18)},
		{"/a~1b/~0", at(6, 11), at(6, 19)},
		{"/a", at(2, 3), at(7, 3)}, // a third occurrence pairs with the first
		{"/a/x", at(7, 9), at(7, 17)},
	}
	if !reflect.DeepEqual(dups, wantDups) {
		t.Fatalf("dups:\n got %+v\nwant %+v", dups, wantDups)
	}
	for _, d := range dups {
		if doc[d.First.Offset] != '"' || doc[d.Second.Offset] != '"' {
			t.Errorf("%s: positions do not point at keys", d.Pointer)
		}
	}

	// Same keys in different objects are not duplicates; neither are
	// keys that differ only after unescaping... unless they are equal.
	for _, doc := range []string{`[{"a":1},{"a":2}]`, `{"a":{"a":1}}`, `{"a":1,"A":2}`, `{"é":1,"e\u0301":2}`} {
		if _, dups, err := Decode([]byte(doc)); err != nil || dups != nil {
			t.Errorf("Decode(%s) = %v, %v; want no duplicates", doc, dups, err)
		}
	}
	_, dups, err = Decode([]byte(`{"a":1,"\u0061":2}`))
	if err != nil || len(dups) != 1 || dups[0].Pointer != "/a" || dups[0].Second.Column != 8 {
		t.Errorf("escaped duplicate: %+v %v", dups, err)
	}
}

func TestPositions(t *testing.T) {
	doc := []byte("{\n" +
		"  \"naïve ’key’\": \"“quoted” — text\", \"n\": 1,\r\n" +
		"  \"arr\": [true, \"é\", {\"x/y\": null, \"t~\": []}]\n" +
		"}")
	d, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	at := func(line, col int) Position { return refOffset(t, doc, line, col) }
	wantValues := map[string]Position{
		"":             at(1, 1),
		"/naïve ’key’": at(2, 18),
		"/n":           at(2, 42),
		"/arr":         at(3, 10),
		"/arr/0":       at(3, 11),
		"/arr/1":       at(3, 17),
		"/arr/2":       at(3, 22),
		"/arr/2/x~1y":  at(3, 30),
		"/arr/2/t~0":   at(3, 42),
		"/missing":     at(1, 1), // the nearest existing ancestor
		"/arr/01":      at(3, 10),
		"/arr/2/x~2y":  at(3, 22),
	}
	wantKeys := map[string]Position{
		"/naïve ’key’": at(2, 3),
		"/n":           at(2, 37),
		"/arr":         at(3, 3),
		"/arr/2/x~1y":  at(3, 23),
		"/arr/2/t~0":   at(3, 36),
		"/arr/1":       at(3, 17), // not a member: the value
	}
	for ptr, want := range wantValues {
		if got := d.Position(ptr); got != want {
			t.Errorf("Position(%q) = %+v, want %+v", ptr, got, want)
		}
	}
	for ptr, want := range wantKeys {
		if got := d.KeyPosition(ptr); got != want {
			t.Errorf("KeyPosition(%q) = %+v, want %+v", ptr, got, want)
		}
	}
	// Byte offsets, spot-checked independently of refOffset.
	if off := d.Position("/n").Offset; string(doc[off]) != "1" || off != bytes.Index(doc, []byte(`1,`)) {
		t.Errorf("offset of /n = %d", off)
	}
	if got := d.Keys(""); !reflect.DeepEqual(got, []string{"naïve ’key’", "n", "arr"}) {
		t.Errorf("Keys = %q", got)
	}

	// A lone \r is a line break too.
	d, err = Parse([]byte("[\r1,\r\r  \"é\"]"))
	if err != nil {
		t.Fatal(err)
	}
	if p := d.Position("/1"); p.Line != 4 || p.Column != 3 || p.Offset != 8 {
		t.Errorf("lone CR: /1 at %+v", p)
	}
}

// With repeated keys, positions describe the value Parse keeps: nothing of the replaced
// subtree is found.
func TestPositionsOfDuplicates(t *testing.T) {
	doc := []byte(`{"a":{"x":1,"y":[2]},"b":0,"a":{"z":3}}`)
	d, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	if d.KeyPosition("/a").Offset != 27 || d.Position("/a/z").Offset != 36 || d.Position("/a/x").Offset != 31 {
		t.Errorf("positions of the kept member: %+v %+v %+v", d.KeyPosition("/a"), d.Position("/a/z"), d.Position("/a/x"))
	}
	if got := d.Keys(""); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("Keys = %q", got)
	}
}

func TestPointers(t *testing.T) {
	for _, tc := range []struct{ token, escaped string }{
		{"", ""}, {"a", "a"}, {"a/b", "a~1b"}, {"m~n", "m~0n"}, {"~1", "~01"}, {"/~", "~1~0"}, {"~~//", "~0~0~1~1"}, {"é ’", "é ’"},
	} {
		if got := EscapePointerToken(tc.token); got != tc.escaped {
			t.Errorf("EscapePointerToken(%q) = %q, want %q", tc.token, got, tc.escaped)
		}
		p := JoinPointer("/base", tc.token, "x")
		if want := "/base/" + tc.escaped + "/x"; p != want {
			t.Errorf("JoinPointer = %q, want %q", p, want)
		}
		tokens, err := SplitPointer(p)
		if err != nil || !reflect.DeepEqual(tokens, []string{"base", tc.token, "x"}) {
			t.Errorf("SplitPointer(%q) = %q, %v", p, tokens, err)
		}
	}
	if got := JoinPointer(""); got != "" {
		t.Errorf("JoinPointer(\"\") = %q", got)
	}
	if got := JoinPointer("", "a", "0"); got != "/a/0" {
		t.Errorf("JoinPointer = %q", got)
	}
	if tokens, err := SplitPointer(""); err != nil || len(tokens) != 0 {
		t.Errorf("SplitPointer(\"\") = %q, %v", tokens, err)
	}
	if tokens, err := SplitPointer("/"); err != nil || !reflect.DeepEqual(tokens, []string{""}) {
		t.Errorf("SplitPointer(\"/\") = %q, %v", tokens, err)
	}
	for _, bad := range []string{"a", "a/b", "/~", "/~2", "/a~", "/x/~a"} {
		if _, err := SplitPointer(bad); err == nil {
			t.Errorf("SplitPointer(%q) accepted", bad)
		}
	}
}

// keyAt decodes the string starting at data[off].
func keyAt(data []byte, off int) string {
	p := getParser(data)
	defer putParser(p)
	k, _ := p.str(off)
	return k
}

// walkPointers records the JSON pointer of every value and every object
// member in v.
func walkPointers(v any, ptr string, values, members map[string]bool) {
	values[ptr] = true
	switch c := v.(type) {
	case map[string]any:
		for k, e := range c {
			p := JoinPointer(ptr, k)
			members[p] = true
			walkPointers(e, p, values, members)
		}
	case []any:
		for n, e := range c {
			walkPointers(e, ptr+"/"+strconv.Itoa(n), values, members)
		}
	}
}

// refDuplicates counts repeated keys with encoding/json's token stream.
func refDuplicates(data []byte) int {
	type frame struct {
		obj       bool
		expectKey bool
		seen      map[string]bool
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var stack []*frame
	n := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return n
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			continue
		}
		if len(stack) > 0 {
			top := stack[len(stack)-1]
			if top.obj && top.expectKey {
				k := tok.(string)
				if top.seen[k] {
					n++
				}
				top.seen[k] = true
				top.expectKey = false
				continue
			}
			if top.obj {
				top.expectKey = true
			}
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, &frame{obj: d == '{', expectKey: true, seen: map[string]bool{}})
		}
	}
}

var fuzzSeeds = []string{
	`{"a":1,"b":[true,false,null,"x",{"c":-2.5e3}]}`,
	`{"a":1,"a":{"x":[1,2]},"a":{"y":2}}`,
	`{"a/b":{"~":0,"~":1},"c":[{"k":1,"k":2}]}`,
	`"\ud800\udc00\ud800\u0041\udc00"`,
	"{\"naïve ’key’\":\"“quoted”\",\r\n\"n\":[1e5,-0.5,0]}",
	`[1,]`, `{"a" 1}`, `01`, "\xef\xbb\xbf{}", "\"\xff\"", "\"a\nb\"", `"\x"`, `[[[[`, ``,
}

// TestCheckDecode runs the fuzz checks over the fixed inputs, so that a
// plain "go test" exercises them too.
func TestCheckDecode(t *testing.T) {
	for _, doc := range append(append([]string{}, validDocs...), fuzzSeeds...) {
		checkDecode(t, []byte(doc))
	}
}

// FuzzDecode checks Decode against encoding/json and checks that the
// positions of Parse agree with the decoded value on every input.
func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkDecode)
}

// checkDecode is the body of FuzzDecode.
func checkDecode(t *testing.T, data []byte) {
	v, dups, err := Decode(data)
	if err != nil {
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("error is %T, not *SyntaxError", err)
		}
		if se.Pos.Offset < 0 || se.Pos.Offset > len(data) || refPosition(data, se.Pos.Offset) != se.Pos {
			t.Fatalf("bad error position %+v for %v", se.Pos, err)
		}
	}
	if utf8.Valid(data) {
		want, werr := stdDecode(data)
		if (err == nil) != (werr == nil) {
			t.Fatalf("Decode error %v, encoding/json error %v", err, werr)
		}
		if err == nil && !reflect.DeepEqual(v, want) {
			t.Fatalf("Decode = %#v, encoding/json = %#v", v, want)
		}
		if err == nil && len(dups) != refDuplicates(data) {
			t.Fatalf("%d duplicates, encoding/json token stream says %d", len(dups), refDuplicates(data))
		}
	} else if err == nil {
		t.Fatal("accepted invalid UTF-8")
	}
	if err != nil {
		return
	}
	checkPositions(t, data, v)
	ref := refPositions(data)
	for _, d := range dups {
		tokens, err := SplitPointer(d.Pointer)
		if err != nil || len(tokens) == 0 || d.First.Offset >= d.Second.Offset ||
			ref[d.First.Offset] != d.First || ref[d.Second.Offset] != d.Second ||
			keyAt(data, d.First.Offset) != tokens[len(tokens)-1] || keyAt(data, d.Second.Offset) != tokens[len(tokens)-1] {
			t.Fatalf("bad duplicate %+v", d)
		}
	}
}

// checkPositions checks that Parse places every value and member key of the decoded value v at
// its first character. Walking v once (rather than resolving each pointer in it) keeps this
// linear, which matters for deeply nested inputs; positions are looked up for a sample.
func checkPositions(t *testing.T, data []byte, v any) {
	d, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	ref := refPositions(data)
	values, members := map[string]bool{}, map[string]bool{}
	walkPointers(v, "", values, members)
	checked := 0
	for ptr := range values {
		if checked++; checked > 200 {
			break
		}
		p := d.Position(ptr)
		if ref[p.Offset] != p || !strings.ContainsRune(`{["-0123456789tfn`, rune(data[p.Offset])) {
			t.Fatalf("bad position %+v for value %q", p, ptr)
		}
		if members[ptr] {
			if k := d.KeyPosition(ptr); ref[k.Offset] != k || data[k.Offset] != '"' || k.Offset >= p.Offset {
				t.Fatalf("bad position %+v for key %q", k, ptr)
			}
		}
	}
}

// benchRecord is a realistic ~2 KB dataset record: nested objects and
// arrays, typographic punctuation, escapes and numbers.
var benchRecord = []byte(`{
  "id": "clm-2023-000417",
  "kind": "claim",
  "version": 3,
  "title": "Ministry says the “temporary” levy will end in 2025 — it didn’t",
  "summary": "The ministry’s statement of 12 March promised that the levy was a “one-off, temporary measure”. Budget documents published on 4 October show it continuing until at least 2027.",
  "status": "verified",
  "confidence": 0.875,
  "score": {"accuracy": 2, "context": -1, "weight": 1.25e-2, "raw": [0.1, 0.25, 0.5, 1]},
  "tags": ["economy", "taxation", "public finance", "élections", "Zürich"],
  "speaker": {
    "name": "Ana Müller-Łukasiewicz",
    "role": "Deputy Minister of Finance",
    "party": null,
    "verified": true,
    "links": ["https://example.org/people/ana-muller", "https://example.org/people/ana-muller/statements?page=2"]
  },
  "quotes": [
    {"text": "“We will not extend it,” she said. “Not by a single day.”", "at": "2023-03-12T09:15:00Z", "page": 4},
    {"text": "It’s a temporary measure — full stop.", "at": "2023-03-14T18:02:31Z", "page": 12},
    {"text": "Line one\nLine two\t(tabbed) \"quoted\" \\ backslash", "at": "2023-03-15T00:00:00Z", "page": 1}
  ],
  "sources": [
    {"id": "src-000101", "title": "Press release № 47", "published": "2023-03-12", "pages": [1, 2, 3, 4], "archived": true},
    {"id": "src-000102", "title": "Draft budget 2024–2027, annex B", "published": "2023-10-04", "pages": [212, 213], "archived": false},
    {"id": "src-000103", "title": "Parliamentary Q&A, session 18", "published": "2023-10-19", "pages": [], "archived": true}
  ],
  "figures": {"levy_rate": 0.015, "revenue_eur": 412000000, "households": 1832211, "change_pct": -3.4, "years": [2023, 2024, 2025, 2026, 2027]},
  "reviewers": [
    {"name": "J. Ørsted", "decision": "approve", "notes": ""},
    {"name": "M. Nguyễn", "decision": "approve", "notes": "Checked annex B, table 7 — matches."}
  ],
  "history": [{"v": 1, "by": "ingest", "ok": true}, {"v": 2, "by": "editor", "ok": true}, {"v": 3, "by": "review", "ok": true}],
  "updated": "2024-01-08T11:42:07Z"
}`)

func TestBenchRecord(t *testing.T) {
	if n := len(benchRecord); n < 1800 || n > 2600 {
		t.Fatalf("bench record is %d bytes; keep it near 2 KB", n)
	}
	want, err := stdDecode(benchRecord)
	if err != nil {
		t.Fatal(err)
	}
	got, dups, err := Decode(benchRecord)
	if err != nil || dups != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("Decode(benchRecord) = %v, %v", dups, err)
	}
}

// Decode must stay cheaper than encoding/json. Allocation counts are
// deterministic, unlike timings, so they are what a test can pin.
func TestDecodeAllocsBelowEncodingJSON(t *testing.T) {
	ours := testing.AllocsPerRun(100, func() {
		if _, _, err := Decode(benchRecord); err != nil {
			t.Fatal(err)
		}
	})
	theirs := testing.AllocsPerRun(100, func() {
		dec := json.NewDecoder(bytes.NewReader(benchRecord))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("allocs per decode: Decode %.0f, encoding/json %.0f", ours, theirs)
	if ours >= theirs {
		t.Errorf("Decode allocates %.0f times, encoding/json %.0f", ours, theirs)
	}
}

func BenchmarkDecode(b *testing.B) {
	b.Run("apmd", func(b *testing.B) {
		b.SetBytes(int64(len(benchRecord)))
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := Decode(benchRecord); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json-UseNumber", func(b *testing.B) {
		b.SetBytes(int64(len(benchRecord)))
		b.ReportAllocs()
		for b.Loop() {
			dec := json.NewDecoder(bytes.NewReader(benchRecord))
			dec.UseNumber()
			var v any
			if err := dec.Decode(&v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json-Unmarshal", func(b *testing.B) {
		b.SetBytes(int64(len(benchRecord)))
		b.ReportAllocs()
		for b.Loop() {
			var v any
			if err := json.Unmarshal(benchRecord, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("positions", func(b *testing.B) {
		b.SetBytes(int64(len(benchRecord)))
		b.ReportAllocs()
		for b.Loop() {
			d, err := Parse(benchRecord)
			if err != nil {
				b.Fatal(err)
			}
			d.Position("/reviewers/1/notes")
			d.KeyPosition("/figures/years")
			d.Release()
		}
	})
}

func TestExponent(t *testing.T) {
	for src, want := range map[string]bool{`{"a": 1, "b": [2.5, "1e5"]}`: false, `{"a": [1E+2]}`: true, `-3.0e-1`: true} {
		d, err := Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if d.Exponent != want {
			t.Errorf("%s: Exponent = %v, want %v", src, d.Exponent, want)
		}
	}
}
