package schema

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// fixtureDir holds the fixture schema versions (1.99.0) used across the tests.
const fixtureDir = "../testdata/schema"

// TestFastCompilesEveryKind checks that every kind of every released version, and of the
// fixture version, gets a fast path: without one, the validator silently falls back to v5 for
// every record and loses its speed.
func TestFastCompilesEveryKind(t *testing.T) {
	reg := NewRegistry(FS(), os.DirFS(fixtureDir))
	vs := reg.Versions()
	if len(vs) < 2 {
		t.Fatalf("want the released versions and the fixture, got %v", vs)
	}
	for _, v := range vs {
		set, err := reg.Get(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range append([]Kind{Manifest}, Kinds...) {
			if set.fast[k] == nil {
				_, err := compileFast(set.compiled[k], nil)
				t.Errorf("%s/%s has no fast path: %v", v, k, err)
			}
		}
	}
}

// compileTest compiles one schema document as the embedded schemas are compiled (draft
// 2020-12, formats asserted).
func compileTest(t *testing.T, doc string) *jsonschema.Schema {
	t.Helper()
	c := compiler(nil)
	const url = "https://example.com/test.schema.json"
	if err := c.AddResource(url, strings.NewReader(doc)); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatalf("compile %s: %v", doc, err)
	}
	return s
}

// decodeTest decodes JSON as the validator does: numbers stay json.Number.
func decodeTest(t *testing.T, s string) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return v
}

// TestFastUnsupported checks that a schema using a keyword the fast path does not implement,
// anywhere it can reach, gets no fast path.
func TestFastUnsupported(t *testing.T) {
	for _, doc := range []string{
		`{"not": {"type": "string"}}`,
		`{"oneOf": [{"type": "string"}, {"type": "number"}]}`,
		`{"properties": {"a": {"contains": {"type": "string"}}}}`,
		`{"items": {"prefixItems": [{"type": "string"}]}}`,
		`{"dependentRequired": {"a": ["b"]}}`,
		`{"dependentSchemas": {"a": {"required": ["b"]}}}`,
		`{"unevaluatedProperties": false}`,
		`{"unevaluatedItems": false}`,
		`{"multipleOf": 2}`,
		`{"format": "no-such-format"}`,
		`{"contentMediaType": "application/json"}`,
		`{"$defs": {"a": {"$dynamicAnchor": "x"}}, "$dynamicRef": "#/$defs/a"}`,
	} {
		if f, err := compileFast(compileTest(t, doc), nil); f != nil || err == nil {
			t.Errorf("%s: got a fast path", doc)
		}
	}
	// Recursion through a property descends into the value: that one is fine.
	if _, err := compileFast(compileTest(t, `{"properties": {"child": {"$ref": "#"}}, "additionalProperties": false}`), nil); err != nil {
		t.Errorf("recursive schema: %v", err)
	}
}

// fastCase is a schema and values with what the fast path must answer for each: true for
// "valid", false for "not sure" (then v5 must say invalid, unless listed in unsure).
type fastCase struct {
	schema string
	valid  []string // values v5 accepts and the fast path must prove valid
	bad    []string // values v5 rejects (the fast path must not say valid)
	unsure []string // values v5 accepts or panics on that the fast path leaves to v5
}

var fastCases = []fastCase{
	{`{"type": "integer"}`,
		[]string{`3`, `3.0`, `1e2`, `-0`, `-0.0`, `1.0e1`, `12345678901234567890123`, `2.50e1`, `1E+2`, `100e-2`},
		[]string{`3.5`, `1e-2`, `"3"`, `true`, `null`, `[]`, `{}`, `0.1`, `1.05e1`},
		[]string{`1e9999999`, `1e1001`}},
	{`{"type": ["integer", "null"]}`, []string{`null`, `7`, `7.0`}, []string{`7.5`, `"7"`, `false`}, nil},
	{`{"type": "number", "minimum": 0, "maximum": 100000000}`,
		[]string{`0`, `-0`, `100000000`, `1e8`, `0.5`, `99999999.99`, `1.0e8`},
		[]string{`-1`, `-0.0001`, `100000001`, `1.00000001e8`, `1e9`, `-1e-9`, `"5"`},
		[]string{`1e-9999999`}},
	{`{"exclusiveMinimum": 0, "exclusiveMaximum": 1.5}`, []string{`0.1`, `1`, `1.49`, `"x"`}, []string{`0`, `-0`, `1.5`, `15e-1`, `2`}, nil},
	{`{"maximum": 0.5}`, []string{`0.5`, `5e-1`, `0`, `-3`}, []string{`0.51`, `1`}, nil},
	{`{"type": "string", "minLength": 2, "maxLength": 3}`,
		[]string{`"ab"`, `"abc"`, `"éé"`, `"€€€"`, `"😀😀😀"`, `"a😀"`},
		[]string{`"a"`, `"é"`, `"abcd"`, `"éééé"`, `"😀😀😀😀"`, `""`, `3`}, nil},
	{`{"maxLength": 1}`, []string{`"€"`, `""`, `12`}, []string{`"€€"`, `"ab"`}, nil},
	{`{"pattern": "^[a-z]+$"}`, []string{`"abc"`, `3`, `null`}, []string{`"aBc"`, `""`, `"é"`}, nil},
	{`{"enum": ["a", "b"]}`, []string{`"a"`, `"b"`}, []string{`"c"`, `"A"`, `1`, `null`, `["a"]`}, nil},
	{`{"enum": [1, "1", null, true, {"a": [1, 2]}, [1]]}`,
		[]string{`1`, `1.0`, `1e0`, `"1"`, `null`, `true`, `{"a": [1, 2.0]}`, `[1.0]`},
		[]string{`2`, `"1.0"`, `false`, `{"a": [2, 1]}`, `{"a": [1, 2], "b": 1}`, `[1, 1]`, `[]`, `{}`}, nil},
	{`{"const": 1}`, []string{`1`, `1.0`, `10e-1`}, []string{`2`, `"1"`, `true`}, []string{`1e9999999`}},
	{`{"const": "1.0.0"}`, []string{`"1.0.0"`}, []string{`"1.0.1"`, `1`, `null`}, nil},
	{`{"const": {"a": 1, "b": [true, null]}}`, []string{`{"b": [true, null], "a": 1.0}`}, []string{`{"a": 1}`, `{"a": 1, "b": [null, true]}`, `{"a": 1, "c": [true, null]}`}, nil},
	{`{"uniqueItems": true}`,
		[]string{`[]`, `[1, 2]`, `["a", "b"]`, `[1, "1"]`, `[[1], [2]]`, `[{"a": 1}, {"a": 2}]`, `[null, false, 0, ""]`,
			`["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q","r","s","t","u","v"]`},
		[]string{`[1, 1.0]`, `[1, 1e0]`, `["a", "a"]`, `[0, -0]`, `[[1], [1.0]]`, `[{"a": 1}, {"a": 1.0}]`, `[null, null]`,
			`["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q","r","s","t","u","a"]`,
			`[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,1.0]`},
		[]string{`[1e9999999, 2]`}},
	{`{"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "string"}}`,
		[]string{`["a"]`, `["a", "b"]`}, []string{`[]`, `["a", "b", "c"]`, `[1]`, `["a", null]`, `{}`}, nil},
	{`{"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "n": {"type": "integer"}},
	   "propertyNames": {"pattern": "^(id|n|x-[a-z]+)$"}, "additionalProperties": false, "patternProperties": {"^x-": true}}`,
		[]string{`{"id": "a"}`, `{"id": "a", "n": 2.0, "x-ok": {"anything": [1]}}`},
		[]string{`{}`, `{"n": 1}`, `{"id": 1}`, `{"id": "a", "n": 1.5}`, `{"id": "a", "x-Bad": 1}`, `{"id": "a", "other": 1}`, `{"id": "a", "x-": 1}`, `[]`}, nil},
	{`{"additionalProperties": {"type": "string"}, "minProperties": 1, "maxProperties": 2}`,
		[]string{`{"a": "x"}`, `{"a": "x", "b": "y"}`, `"not an object"`}, []string{`{}`, `{"a": "x", "b": "y", "c": "z"}`, `{"a": 1}`}, nil},
	{`{"properties": {"gone": false, "any": true}}`, []string{`{"any": 1}`, `{}`}, []string{`{"gone": null}`}, nil},
	{`{"format": "uri"}`, []string{`"https://example.com/a?b=c"`, `"mailto:a@b.org"`, `1`, `null`}, []string{`"example.com"`, `"/relative"`, `"http://[::1"`, `"https://[zz::1]/"`, `""`}, nil},
	{`{"$defs": {"id": {"type": "string", "pattern": "^a"}}, "type": "object", "properties": {"id": {"$ref": "#/$defs/id", "maxLength": 3}}}`,
		[]string{`{"id": "abc"}`, `{}`}, []string{`{"id": "abcd"}`, `{"id": "b"}`, `{"id": 1}`}, nil},
	{`{"allOf": [{"required": ["a"]}, {"required": ["b"]}]}`, []string{`{"a": 1, "b": 2}`, `3`}, []string{`{"a": 1}`, `{"b": 1}`}, nil},
	{`{"properties": {"type": {"enum": ["point", "interval"]}}, "required": ["type"],
	   "if": {"properties": {"type": {"const": "point"}}}, "then": {"required": ["value"], "properties": {"start": false}},
	   "else": {"properties": {"value": false}, "anyOf": [{"required": ["start"]}, {"required": ["end"]}]}}`,
		[]string{`{"type": "point", "value": 1}`, `{"type": "interval", "start": 1}`, `{"type": "interval", "end": 1}`, `{"type": "interval", "start": 1, "end": 2}`},
		[]string{`{"type": "point"}`, `{"type": "point", "value": 1, "start": 1}`, `{"type": "interval"}`, `{"type": "interval", "value": 1, "start": 1}`, `{"type": "other", "start": 1}`},
		nil},
	{`{"if": {"properties": {"n": {"type": "integer"}}}, "then": {"required": ["a"]}, "else": {"required": ["b"]}}`,
		[]string{`{"n": 1, "a": 1}`, `{"n": 1.0, "a": 1}`, `{"n": 1.5, "b": 1}`},
		[]string{`{"n": 1, "b": 1}`, `{"n": 1e0, "b": 1}`, `{"n": 1.5, "a": 1}`},
		[]string{`{"n": 1e9999999, "a": 1, "b": 1}`}},
	{`{"properties": {"child": {"$ref": "#"}, "n": {"type": "integer"}}, "additionalProperties": false}`,
		[]string{`{"child": {"child": {"n": 2}}}`}, []string{`{"child": {"child": {"n": 2.5}}}`, `{"child": {"x": 1}}`}, nil},
	{`true`, []string{`1`, `"x"`, `null`, `{"a": [1]}`}, nil, nil},
	{`false`, nil, []string{`1`, `null`}, nil},
}

// v5Valid runs v5 on v: true when it reports no error. A panic (v5 has one on numbers that
// big.Rat cannot parse) counts as not valid.
func v5Valid(s *jsonschema.Schema, v any) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return s.Validate(v) == nil
}

// TestFastMatchesV5 checks the fast path against v5 on small schemas that exercise every keyword
// it implements, numbers compared by value and strings measured in code points included.
func TestFastMatchesV5(t *testing.T) {
	for _, c := range fastCases {
		sch := compileTest(t, c.schema)
		fast, err := compileFast(sch, nil)
		if err != nil {
			t.Errorf("%s: %v", c.schema, err)
			continue
		}
		check := func(vals []string, wantV5, wantFast bool) {
			for _, s := range vals {
				v := decodeTest(t, s)
				gotV5, gotFast := v5Valid(sch, v), fast.Valid(v)
				if gotFast && !gotV5 {
					t.Errorf("%s: fast path says %s is valid, v5 does not", c.schema, s)
				}
				if wantV5 && !gotV5 {
					t.Errorf("%s: v5 rejects %s: the case is wrong", c.schema, s)
				}
				if !wantV5 && gotV5 {
					t.Errorf("%s: v5 accepts %s: the case is wrong", c.schema, s)
				}
				if gotFast != wantFast {
					t.Errorf("%s: fast path on %s: got %v, want %v", c.schema, s, gotFast, wantFast)
				}
			}
		}
		check(c.valid, true, true)
		check(c.bad, false, false)
		for _, s := range c.unsure {
			v := decodeTest(t, s)
			if fast.Valid(v) {
				t.Errorf("%s: fast path says %s is valid; it must leave it to v5", c.schema, s)
			}
		}
	}
}

// TestFastForeignTypes checks that values a JSON decoder does not produce (float64, int, a
// struct) make the fast path unsure rather than guess how v5 treats them.
func TestFastForeignTypes(t *testing.T) {
	sch := compileTest(t, `{"type": "object", "properties": {"n": {"type": "integer"}, "s": {"type": "string"}}}`)
	fast, err := compileFast(sch, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{
		map[string]any{"n": 3.0},
		map[string]any{"n": 3},
		map[string]any{"s": struct{}{}},
		map[string]any{"n": json.Number("3"), "s": []byte("x")},
	} {
		if fast.Valid(v) {
			t.Errorf("fast path says %#v is valid", v)
		}
	}
	if !fast.Valid(map[string]any{"n": json.Number("3"), "s": "x"}) {
		t.Error("fast path unsure on a plain valid value")
	}
	var nilFast *fastPath
	if nilFast.Valid(map[string]any{}) {
		t.Error("a missing fast path says valid")
	}
}

// TestFastUsesCompilerFormats checks that a format registered on the compiler, which v5 prefers
// to the package's, is the one the fast path asserts.
func TestFastUsesCompilerFormats(t *testing.T) {
	c := compiler(nil)
	c.Formats["uri"] = func(v any) bool { s, ok := v.(string); return !ok || strings.HasPrefix(s, "apmd:") }
	const url = "https://example.com/f.schema.json"
	if err := c.AddResource(url, bytes.NewReader([]byte(`{"format": "uri"}`))); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	fast, err := compileFast(sch, c.Formats)
	if err != nil {
		t.Fatal(err)
	}
	if v := "https://example.com/"; fast.Valid(v) || sch.Validate(v) == nil {
		t.Errorf("%s: fast %v, v5 error %v", v, fast.Valid(v), sch.Validate(v))
	}
	if v := "apmd:x"; !fast.Valid(v) || sch.Validate(v) != nil {
		t.Errorf("%s: fast %v, v5 error %v", v, fast.Valid(v), sch.Validate(v))
	}
}

// TestFastInPlaceLoops checks the loop guard, which v5's compiler makes unreachable for the
// schemas it compiles: a schema that reaches itself in place is refused, one that reaches
// itself through a property (descending into the value) is not.
func TestFastInPlaceLoops(t *testing.T) {
	a, b := &fastSchema{location: "a"}, &fastSchema{location: "b"}
	a.inPlaceDeps, b.inPlaceDeps = []*fastSchema{b}, []*fastSchema{a}
	if err := checkInPlaceLoops(&fastSchema{props: map[string]*fastSchema{"p": a}}); err == nil {
		t.Error("an in-place loop passed")
	}
	c := &fastSchema{location: "c"}
	c.props = map[string]*fastSchema{"child": c}
	c.inPlaceDeps = []*fastSchema{{items: c}}
	if err := checkInPlaceLoops(c); err != nil {
		t.Errorf("a loop through a property: %v", err)
	}
}
