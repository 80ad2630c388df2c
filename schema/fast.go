package schema

// This file holds the fast path of schema validation. jsonschema/v5 builds, for every value it
// visits, a map of an object's keys, a pointer string and a big.Rat per number, which is most of
// the cost of validating a dataset whose records are nearly all valid. A fastPath checker is
// compiled once per schema from v5's own compiled Schema and answers only "certainly valid" or
// "not sure"; Set.Validate calls v5, whose error tree the validator turns into findings, only
// when it is not sure. fastcheck.go holds the checking, this file the compiling.
//
// Soundness rule: fastPath must never say valid when v5 would report an error. It implements the
// keywords APMD's schemas use, with v5's semantics (draft 2020-12: an integer is any number with
// an integral value, lengths count code points, enum, const and uniqueItems compare numbers by
// value); a schema that sets any other keyword gets no fast path, and a value it cannot decide
// (a number it cannot compare exactly, a Go type a JSON decoder does not produce) makes it unsure.

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// verdict is what the fast path knows about a value against a schema.
type verdict uint8

const (
	// valid: v5 would report no error.
	valid verdict = iota
	// invalid: v5 would report an error (and every keyword it evaluates was decided, so that an
	// "if" that fails picks "else" exactly as v5 does).
	invalid
	// unsure: the fast path cannot tell; v5 must decide.
	unsure
)

// The limits beyond which the fast path gives up rather than do v5's work.
const (
	// maxExponent bounds the decimal exponent of a number the fast path compares; big.Rat
	// refuses exponents past 1e6, where v5 panics, and large ones are slow.
	maxExponent = 1000
	// maxNumberLen bounds the length of a number the fast path compares through big.Rat.
	maxNumberLen = 1000
	// pairwiseUnique is the longest array whose uniqueness is checked by comparing every pair
	// when its items are not all strings; longer ones are left to v5.
	pairwiseUnique = 256
)

// The JSON types a schema's "type" may allow, as a bit set.
const (
	typeNull uint8 = 1 << iota
	typeBoolean
	typeObject
	typeArray
	typeNumber
	typeInteger
	typeString
)

// typeBits maps the names of the "type" keyword to their bits.
var typeBits = map[string]uint8{
	"null": typeNull, "boolean": typeBoolean, "object": typeObject, "array": typeArray,
	"number": typeNumber, "integer": typeInteger, "string": typeString,
}

// What additionalProperties says about the properties no other keyword names.
const (
	additionalAny    uint8 = iota // not set: anything goes
	additionalNone                // false: none is allowed
	additionalSchema              // a schema every such property's value must match
)

// fastPath is the fast-path checker of one compiled schema. It is immutable once built and safe for
// concurrent use.
type fastPath struct {
	root *fastSchema
}

// fastSchema mirrors the keywords of one jsonschema.Schema that the fast path implements.
type fastSchema struct {
	location string // the schema's location, for messages

	always *bool // a boolean schema: true passes everything, false nothing

	types uint8 // allowed types; 0: any

	hasConst bool
	constant any

	hasEnum     bool
	enumStrings map[string]struct{} // the enum's strings
	enumOthers  []any               // the enum's other values

	format func(any) bool // the format assertion v5 uses, or nil

	// object keywords
	minProps, maxProps int // -1 if not set
	required           []string
	props              map[string]*fastSchema
	patterns           []fastPattern
	additional         uint8
	additionalSchema   *fastSchema
	propNames          *fastSchema

	// array keywords
	minItems, maxItems int // -1 if not set
	unique             bool
	items              *fastSchema

	// string keywords
	minLen, maxLen int               // -1 if not set
	pattern        func(string) bool // matches the pattern, or nil

	// number keywords
	minimum, maximum, exclMinimum, exclMaximum *bound

	// in-place applicators
	ref         *fastSchema
	allOf       []*fastSchema
	anyOf       []*fastSchema
	ifSchema    *fastSchema
	thenSchema  *fastSchema
	elseSchema  *fastSchema
	inPlaceDeps []*fastSchema // ref, allOf, anyOf, if, then, else: for the loop check
}

// fastPattern is one patternProperties entry.
type fastPattern struct {
	match  func(string) bool // matches the pattern
	schema *fastSchema
}

// bound is a minimum or maximum: exact, and as an int64 when it is an integer that fits one.
type bound struct {
	rat   *big.Rat
	i     int64
	isInt bool
}

func newBound(r *big.Rat) *bound {
	if r == nil {
		return nil
	}
	b := &bound{rat: r}
	if r.IsInt() && r.Num().IsInt64() {
		b.i, b.isInt = r.Num().Int64(), true
	}
	return b
}

// compileFast builds the fast path of a compiled schema. formats are the compiler's own format
// functions (jsonschema.Compiler.Formats), which v5 prefers to jsonschema.Formats. It returns an
// error, and no checker, when the schema or any schema it reaches sets a keyword the fast path
// does not implement, or when its in-place applicators ($ref, allOf, anyOf, if/then/else) loop.
func compileFast(s *jsonschema.Schema, formats map[string]func(any) bool) (*fastPath, error) {
	c := &fastCompiler{formats: formats, done: map[*jsonschema.Schema]*fastSchema{}}
	root, err := c.compile(s)
	if err != nil {
		return nil, err
	}
	if err := checkInPlaceLoops(root); err != nil {
		return nil, err
	}
	return &fastPath{root: root}, nil
}

// fastCompiler compiles a schema graph, each schema once (the graph may be recursive).
type fastCompiler struct {
	formats map[string]func(any) bool
	done    map[*jsonschema.Schema]*fastSchema
}

func (c *fastCompiler) compile(s *jsonschema.Schema) (*fastSchema, error) {
	if s == nil {
		return nil, nil
	}
	if f, ok := c.done[s]; ok {
		return f, nil
	}
	f := &fastSchema{location: s.Location}
	c.done[s] = f
	if err := unsupported(s); err != nil {
		return nil, err
	}
	for _, step := range []func(*fastSchema, *jsonschema.Schema) error{c.values, c.object, c.arrayEtc, c.applicators} {
		if err := step(f, s); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// values compiles the keywords about any value: type, const, enum and format.
func (c *fastCompiler) values(f *fastSchema, s *jsonschema.Schema) error {
	f.always = s.Always
	for _, t := range s.Types {
		bit, ok := typeBits[t]
		if !ok {
			return fmt.Errorf("%s: unknown type %q", s.Location, t)
		}
		f.types |= bit
	}
	if len(s.Constant) > 0 {
		if !jsonValue(s.Constant[0]) {
			return fmt.Errorf("%s: const of type %T", s.Location, s.Constant[0])
		}
		f.hasConst, f.constant = true, s.Constant[0]
	}
	if len(s.Enum) > 0 {
		f.hasEnum = true
		f.enumStrings = map[string]struct{}{}
		for _, e := range s.Enum {
			if str, ok := e.(string); ok {
				f.enumStrings[str] = struct{}{}
				continue
			}
			if !jsonValue(e) {
				return fmt.Errorf("%s: enum value of type %T", s.Location, e)
			}
			f.enumOthers = append(f.enumOthers, e)
		}
	}
	if s.Format != "" {
		// v5 takes the compiler's format before the package's; where it asserts none (formats
		// not asserted, or unknown), checking one anyway can only make the fast path unsure.
		fn, ok := c.formats[s.Format]
		if !ok {
			fn, ok = jsonschema.Formats[s.Format]
		}
		if !ok || fn == nil {
			return fmt.Errorf("%s: format %q is not in jsonschema.Formats", s.Location, s.Format)
		}
		f.format = fn
	}
	return nil
}

// object compiles the object keywords.
func (c *fastCompiler) object(f *fastSchema, s *jsonschema.Schema) (err error) {
	f.minProps, f.maxProps = s.MinProperties, s.MaxProperties
	f.required = s.Required
	if len(s.Properties) > 0 {
		f.props = make(map[string]*fastSchema, len(s.Properties))
		for name, p := range s.Properties {
			if f.props[name], err = c.compile(p); err != nil {
				return err
			}
		}
	}
	for re, p := range s.PatternProperties {
		ps, err := c.compile(p)
		if err != nil {
			return err
		}
		f.patterns = append(f.patterns, fastPattern{matcher(re), ps})
	}
	switch a := s.AdditionalProperties.(type) {
	case nil:
	case bool:
		if !a {
			f.additional = additionalNone
		}
	case *jsonschema.Schema:
		f.additional = additionalSchema
		if f.additionalSchema, err = c.compile(a); err != nil {
			return err
		}
	default:
		return fmt.Errorf("%s: additionalProperties of type %T", s.Location, a)
	}
	f.propNames, err = c.compile(s.PropertyNames)
	return err
}

// arrayEtc compiles the array, string and number keywords.
func (c *fastCompiler) arrayEtc(f *fastSchema, s *jsonschema.Schema) (err error) {
	f.minItems, f.maxItems, f.unique = s.MinItems, s.MaxItems, s.UniqueItems
	if f.items, err = c.compile(s.Items2020); err != nil {
		return err
	}
	f.minLen, f.maxLen = s.MinLength, s.MaxLength
	if s.Pattern != nil {
		f.pattern = matcher(s.Pattern)
	}
	f.minimum, f.maximum = newBound(s.Minimum), newBound(s.Maximum)
	f.exclMinimum, f.exclMaximum = newBound(s.ExclusiveMinimum), newBound(s.ExclusiveMaximum)
	return nil
}

// applicators compiles the in-place applicators: $ref, allOf, anyOf, if/then/else.
func (c *fastCompiler) applicators(f *fastSchema, s *jsonschema.Schema) (err error) {
	if f.ref, err = c.compile(s.Ref); err != nil {
		return err
	}
	for _, list := range []struct {
		from []*jsonschema.Schema
		to   *[]*fastSchema
	}{{s.AllOf, &f.allOf}, {s.AnyOf, &f.anyOf}} {
		for _, a := range list.from {
			as, err := c.compile(a)
			if err != nil {
				return err
			}
			*list.to = append(*list.to, as)
		}
	}
	if f.ifSchema, err = c.compile(s.If); err != nil {
		return err
	}
	if f.thenSchema, err = c.compile(s.Then); err != nil {
		return err
	}
	if f.elseSchema, err = c.compile(s.Else); err != nil {
		return err
	}
	for _, d := range append(append([]*fastSchema{f.ref, f.ifSchema, f.thenSchema, f.elseSchema}, f.allOf...), f.anyOf...) {
		if d != nil {
			f.inPlaceDeps = append(f.inPlaceDeps, d)
		}
	}
	return nil
}

// unsupported names the first keyword of s that the fast path does not implement, as an error.
func unsupported(s *jsonschema.Schema) error {
	var kws []string
	add := func(set bool, kw string) {
		if set {
			kws = append(kws, kw)
		}
	}
	add(s.RecursiveRef != nil || s.RecursiveAnchor, "$recursiveRef")
	add(s.DynamicRef != nil, "$dynamicRef")
	add(s.Not != nil, "not")
	add(len(s.OneOf) > 0, "oneOf")
	add(s.If == nil && (s.Then != nil || s.Else != nil), "then/else without if")
	add(s.RegexProperties, "regexProperties")
	add(len(s.Dependencies) > 0, "dependencies")
	add(len(s.DependentRequired) > 0, "dependentRequired")
	add(len(s.DependentSchemas) > 0, "dependentSchemas")
	add(s.UnevaluatedProperties != nil, "unevaluatedProperties")
	add(s.Items != nil, "items (before draft 2020-12)")
	add(s.AdditionalItems != nil, "additionalItems")
	add(len(s.PrefixItems) > 0, "prefixItems")
	add(s.Contains != nil, "contains")
	add(s.UnevaluatedItems != nil, "unevaluatedItems")
	add(s.ContentEncoding != "" || s.ContentMediaType != "" || s.ContentSchema != nil, "content*")
	add(s.MultipleOf != nil, "multipleOf")
	add(len(s.Extensions) > 0, "extensions")
	if len(kws) > 0 {
		return fmt.Errorf("%s: the fast path does not implement %s", s.Location, strings.Join(kws, ", "))
	}
	return nil
}

// checkInPlaceLoops fails when a schema reaches itself through $ref, allOf, anyOf and
// if/then/else alone, without descending into the value: v5 reports an infinite loop there,
// which the fast path would not survive.
func checkInPlaceLoops(root *fastSchema) error {
	const (
		unseen = iota
		onPath
		finished
	)
	state := map[*fastSchema]int{}
	var inPlace func(f *fastSchema) error
	var all func(f *fastSchema) error
	inPlace = func(f *fastSchema) error {
		switch state[f] {
		case onPath:
			return fmt.Errorf("%s: $ref, allOf, anyOf or if/then/else loop back to it", f.location)
		case finished:
			return nil
		}
		state[f] = onPath
		for _, d := range f.inPlaceDeps {
			if err := inPlace(d); err != nil {
				return err
			}
		}
		state[f] = finished
		return nil
	}
	// Every schema of the graph starts an in-place walk of its own.
	seen := map[*fastSchema]bool{}
	all = func(f *fastSchema) error {
		if f == nil || seen[f] {
			return nil
		}
		seen[f] = true
		if err := inPlace(f); err != nil {
			return err
		}
		children := append([]*fastSchema{f.additionalSchema, f.propNames, f.items}, f.inPlaceDeps...)
		for _, p := range f.props {
			children = append(children, p)
		}
		for _, p := range f.patterns {
			children = append(children, p.schema)
		}
		for _, ch := range children {
			if err := all(ch); err != nil {
				return err
			}
		}
		return nil
	}
	return all(root)
}
