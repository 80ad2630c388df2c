package schema

// This file holds the fast path of schema validation. jsonschema/v5 builds, for every value it
// visits, a map of an object's keys, a pointer string and a big.Rat per number, which is most of
// the cost of validating a dataset whose records are nearly all valid. A fastPath checker is compiled
// once per schema from v5's own compiled Schema and answers only "certainly valid" or "not sure";
// the validator calls v5, whose error tree it turns into findings, only when it is not sure.
//
// Soundness rule: fastPath must never say valid when v5 would report an error. It implements the
// keywords APMD's schemas use, with v5's semantics (draft 2020-12: an integer is any number with
// an integral value, lengths count code points, enum, const and uniqueItems compare numbers by
// value); a schema that sets any other keyword gets no fast path, and a value it cannot decide
// (a number it cannot compare exactly, a Go type a JSON decoder does not produce) makes it unsure.

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"

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
	f.always = s.Always
	for _, t := range s.Types {
		bit, ok := typeBits[t]
		if !ok {
			return nil, fmt.Errorf("%s: unknown type %q", s.Location, t)
		}
		f.types |= bit
	}
	if len(s.Constant) > 0 {
		if !jsonValue(s.Constant[0]) {
			return nil, fmt.Errorf("%s: const of type %T", s.Location, s.Constant[0])
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
				return nil, fmt.Errorf("%s: enum value of type %T", s.Location, e)
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
			return nil, fmt.Errorf("%s: format %q is not in jsonschema.Formats", s.Location, s.Format)
		}
		f.format = fn
	}

	f.minProps, f.maxProps = s.MinProperties, s.MaxProperties
	f.required = s.Required
	var err error
	if len(s.Properties) > 0 {
		f.props = make(map[string]*fastSchema, len(s.Properties))
		for name, p := range s.Properties {
			if f.props[name], err = c.compile(p); err != nil {
				return nil, err
			}
		}
	}
	for re, p := range s.PatternProperties {
		ps, err := c.compile(p)
		if err != nil {
			return nil, err
		}
		f.patterns = append(f.patterns, fastPattern{re.MatchString, ps})
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
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%s: additionalProperties of type %T", s.Location, a)
	}
	if f.propNames, err = c.compile(s.PropertyNames); err != nil {
		return nil, err
	}

	f.minItems, f.maxItems, f.unique = s.MinItems, s.MaxItems, s.UniqueItems
	if f.items, err = c.compile(s.Items2020); err != nil {
		return nil, err
	}

	f.minLen, f.maxLen = s.MinLength, s.MaxLength
	if s.Pattern != nil {
		f.pattern = s.Pattern.MatchString
	}

	f.minimum, f.maximum = newBound(s.Minimum), newBound(s.Maximum)
	f.exclMinimum, f.exclMaximum = newBound(s.ExclusiveMinimum), newBound(s.ExclusiveMaximum)

	if f.ref, err = c.compile(s.Ref); err != nil {
		return nil, err
	}
	for _, a := range s.AllOf {
		as, err := c.compile(a)
		if err != nil {
			return nil, err
		}
		f.allOf = append(f.allOf, as)
	}
	for _, a := range s.AnyOf {
		as, err := c.compile(a)
		if err != nil {
			return nil, err
		}
		f.anyOf = append(f.anyOf, as)
	}
	if f.ifSchema, err = c.compile(s.If); err != nil {
		return nil, err
	}
	if f.thenSchema, err = c.compile(s.Then); err != nil {
		return nil, err
	}
	if f.elseSchema, err = c.compile(s.Else); err != nil {
		return nil, err
	}
	for _, d := range append(append([]*fastSchema{f.ref, f.ifSchema, f.thenSchema, f.elseSchema}, f.allOf...), f.anyOf...) {
		if d != nil {
			f.inPlaceDeps = append(f.inPlaceDeps, d)
		}
	}
	return f, nil
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

// Valid reports whether v is certainly valid against the schema: when it returns true, v5's
// Validate returns nil for v. False means only "not sure". v must be a decoded JSON value:
// map[string]any, []any, string, json.Number, bool or nil; anything else makes it unsure.
func (f *fastPath) Valid(v any) bool {
	return f != nil && f.root.check(v, false) == valid
}

// jsonValue reports whether v is of a type the fast path handles, without looking inside.
func jsonValue(v any) bool {
	switch v.(type) {
	case nil, bool, string, json.Number, []any, map[string]any:
		return true
	}
	return false
}

// check decides v against the schema. When exact is false, it stops at the first keyword that is
// not valid, since the caller only needs "valid". When exact is true (inside an "if", whose
// failure picks "else"), invalid means v5 fails v too: every keyword v5 evaluates is decided, an
// unsure one making the whole unsure.
func (f *fastSchema) check(v any, exact bool) verdict {
	if f.always != nil {
		if *f.always {
			return valid
		}
		return invalid
	}
	if !jsonValue(v) {
		return unsure
	}
	if f.types != 0 {
		if r := f.checkType(v); r != valid {
			return r // v5 reports a type mismatch alone, before any other keyword
		}
	}
	acc := valid
	// merge folds in one keyword's verdict; it returns true when check can stop.
	merge := func(r verdict) bool {
		if r > acc {
			acc = r
		}
		return acc == unsure || (acc == invalid && !exact)
	}
	if f.hasConst && merge(equalJSON(v, f.constant)) {
		return acc
	}
	if f.hasEnum && merge(f.checkEnum(v)) {
		return acc
	}
	if f.format != nil && !f.format(v) && merge(invalid) {
		return acc
	}
	var r verdict
	switch v := v.(type) {
	case map[string]any:
		r = f.checkObject(v, exact)
	case []any:
		r = f.checkArray(v, exact)
	case string:
		r = f.checkString(v)
	case json.Number:
		r = f.checkNumber(v)
	}
	if merge(r) {
		return acc
	}
	if f.ref != nil && merge(f.ref.check(v, exact)) {
		return acc
	}
	for _, a := range f.allOf {
		if merge(a.check(v, exact)) {
			return acc
		}
	}
	if len(f.anyOf) > 0 {
		// v5 tries every branch, so one it cannot decide makes anyOf unsure even if another
		// passes; the others are decided exactly.
		r := invalid
		for _, a := range f.anyOf {
			switch a.check(v, true) {
			case valid:
				r = valid
			case unsure:
				return unsure
			}
		}
		if merge(r) {
			return acc
		}
	}
	if f.ifSchema != nil {
		var branch *fastSchema
		switch f.ifSchema.check(v, true) {
		case valid:
			branch = f.thenSchema
		case invalid:
			branch = f.elseSchema
		default:
			return unsure
		}
		if branch != nil && merge(branch.check(v, exact)) {
			return acc
		}
	}
	return acc
}

// checkType checks the "type" keyword.
func (f *fastSchema) checkType(v any) verdict {
	var bit uint8
	switch v := v.(type) {
	case nil:
		bit = typeNull
	case bool:
		bit = typeBoolean
	case map[string]any:
		bit = typeObject
	case []any:
		bit = typeArray
	case string:
		bit = typeString
	case json.Number:
		if f.types&typeNumber != 0 {
			return valid
		}
		if f.types&typeInteger == 0 {
			return invalid
		}
		return isInteger(v)
	}
	if f.types&bit != 0 {
		return valid
	}
	return invalid
}

// checkEnum checks the "enum" keyword.
func (f *fastSchema) checkEnum(v any) verdict {
	if s, ok := v.(string); ok {
		if _, ok := f.enumStrings[s]; ok {
			return valid
		}
		// A string equals no value of another type, so only the strings count.
		return invalid
	}
	for _, e := range f.enumOthers {
		if r := equalJSON(v, e); r != invalid {
			return r // equal, or a value it cannot compare, where v5 may stop first
		}
	}
	return invalid
}

// checkObject checks the object keywords.
func (f *fastSchema) checkObject(v map[string]any, exact bool) verdict {
	acc := valid
	merge := func(r verdict) bool {
		if r > acc {
			acc = r
		}
		return acc == unsure || (acc == invalid && !exact)
	}
	if f.minProps >= 0 && len(v) < f.minProps && merge(invalid) {
		return acc
	}
	if f.maxProps >= 0 && len(v) > f.maxProps && merge(invalid) {
		return acc
	}
	for _, name := range f.required {
		if _, ok := v[name]; !ok && merge(invalid) {
			return acc
		}
	}
	if f.props == nil && f.patterns == nil && f.additional == additionalAny && f.propNames == nil {
		return acc
	}
	for name, x := range v {
		if f.propNames != nil && merge(f.propNames.check(name, exact)) {
			return acc
		}
		named := false
		if p, ok := f.props[name]; ok {
			named = true
			if merge(p.check(x, exact)) {
				return acc
			}
		}
		for _, p := range f.patterns {
			if p.match(name) {
				named = true
				if merge(p.schema.check(x, exact)) {
					return acc
				}
			}
		}
		if named {
			continue
		}
		switch f.additional {
		case additionalNone:
			if merge(invalid) {
				return acc
			}
		case additionalSchema:
			if merge(f.additionalSchema.check(x, exact)) {
				return acc
			}
		}
	}
	return acc
}

// checkArray checks the array keywords.
func (f *fastSchema) checkArray(v []any, exact bool) verdict {
	acc := valid
	merge := func(r verdict) bool {
		if r > acc {
			acc = r
		}
		return acc == unsure || (acc == invalid && !exact)
	}
	if f.minItems >= 0 && len(v) < f.minItems && merge(invalid) {
		return acc
	}
	if f.maxItems >= 0 && len(v) > f.maxItems && merge(invalid) {
		return acc
	}
	if f.unique && merge(allDistinct(v)) {
		return acc
	}
	if f.items != nil {
		for _, x := range v {
			if merge(f.items.check(x, exact)) {
				return acc
			}
		}
	}
	return acc
}

// checkString checks the string keywords; lengths count code points (an invalid UTF-8 byte
// counts as one), as v5 does.
func (f *fastSchema) checkString(s string) verdict {
	if f.minLen >= 0 || f.maxLen >= 0 {
		// A string of n bytes has between n/4 and n code points: count only when that matters.
		if (f.maxLen >= 0 && len(s) > f.maxLen) || (f.minLen > 0 && len(s) < f.minLen*utf8.UTFMax) {
			n := utf8.RuneCountInString(s)
			if (f.minLen >= 0 && n < f.minLen) || (f.maxLen >= 0 && n > f.maxLen) {
				return invalid
			}
		}
	}
	if f.pattern != nil && !f.pattern(s) {
		return invalid
	}
	return valid
}

// checkNumber checks minimum, maximum, exclusiveMinimum and exclusiveMaximum.
func (f *fastSchema) checkNumber(n json.Number) verdict {
	acc := valid
	for _, c := range [...]struct {
		b  *bound
		ok func(cmp int) bool
	}{
		{f.minimum, func(c int) bool { return c >= 0 }},
		{f.maximum, func(c int) bool { return c <= 0 }},
		{f.exclMinimum, func(c int) bool { return c > 0 }},
		{f.exclMaximum, func(c int) bool { return c < 0 }},
	} {
		if c.b == nil {
			continue
		}
		cmp, ok := compareBound(n, c.b)
		if !ok {
			return unsure
		}
		if !c.ok(cmp) {
			acc = invalid
		}
	}
	return acc
}

// compareBound compares a number with a bound: -1, 0 or +1, and false when it cannot tell.
func compareBound(n json.Number, b *bound) (int, bool) {
	if b.isInt {
		if i, ok := smallInt(string(n)); ok {
			switch {
			case i < b.i:
				return -1, true
			case i > b.i:
				return 1, true
			}
			return 0, true
		}
	}
	r := exactRat(string(n))
	if r == nil {
		return 0, false
	}
	return r.Cmp(b.rat), true
}

// smallIntDigits is the most digits an integer can have and surely fit an int64.
const smallIntDigits = 18

// smallInt parses a JSON integer without fraction or exponent of at most smallIntDigits digits.
func smallInt(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	d := strings.TrimPrefix(s, "-")
	if d == "" || len(d) > smallIntDigits || (len(d) > 1 && d[0] == '0') {
		return 0, false
	}
	var i int64
	for k := 0; k < len(d); k++ {
		c := d[k]
		if c < '0' || c > '9' {
			return 0, false
		}
		i = i*10 + int64(c-'0')
	}
	if neg {
		i = -i
	}
	return i, true
}

// plainInt reports whether s is a JSON integer without fraction or exponent, of any length.
func plainInt(s string) bool {
	d := strings.TrimPrefix(s, "-")
	if d == "" || (len(d) > 1 && d[0] == '0') {
		return false
	}
	for k := 0; k < len(d); k++ {
		if d[k] < '0' || d[k] > '9' {
			return false
		}
	}
	return true
}

// exactRat returns the value of a number as v5 computes it (big.Rat.SetString of its text), or
// nil when it does not parse or is too long or its exponent too large to be worth it.
func exactRat(s string) *big.Rat {
	if len(s) > maxNumberLen {
		return nil
	}
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		exp := strings.TrimLeft(s[i+1:], "+-")
		if exp == "" || len(exp) > 4 {
			return nil
		}
		e := 0
		for k := 0; k < len(exp); k++ {
			if exp[k] < '0' || exp[k] > '9' {
				return nil
			}
			e = e*10 + int(exp[k]-'0')
		}
		if e > maxExponent {
			return nil
		}
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return nil
	}
	return r
}

// isInteger decides whether a number has an integral value (3, 3.0, 1e2 and -0 do).
func isInteger(n json.Number) verdict {
	if plainInt(string(n)) {
		return valid
	}
	r := exactRat(string(n))
	switch {
	case r == nil:
		return unsure
	case r.IsInt():
		return valid
	}
	return invalid
}

// numbersEqual compares two numbers by value.
func numbersEqual(a, b json.Number) verdict {
	if x, ok := smallInt(string(a)); ok {
		if y, ok := smallInt(string(b)); ok {
			if x == y {
				return valid
			}
			return invalid
		}
	}
	x, y := exactRat(string(a)), exactRat(string(b))
	if x == nil || y == nil {
		return unsure
	}
	if x.Cmp(y) == 0 {
		return valid
	}
	return invalid
}

// equalJSON compares two JSON values as v5's equals does (numbers by value, objects regardless of
// key order): valid when they are equal, invalid when they are not, unsure when it cannot tell.
// Arrays are compared in order, as v5 does, and stop at the first difference; objects, which
// v5 walks in random order, are unsure if any member is.
func equalJSON(a, b any) verdict {
	switch a := a.(type) {
	case nil:
		if !jsonValue(b) {
			return unsure
		}
		if b == nil {
			return valid
		}
	case bool:
		if !jsonValue(b) {
			return unsure
		}
		if bb, ok := b.(bool); ok && a == bb {
			return valid
		}
	case string:
		if !jsonValue(b) {
			return unsure
		}
		if bs, ok := b.(string); ok && a == bs {
			return valid
		}
	case json.Number:
		if !jsonValue(b) {
			return unsure
		}
		if bn, ok := b.(json.Number); ok {
			return numbersEqual(a, bn)
		}
	case []any:
		if !jsonValue(b) {
			return unsure
		}
		bl, ok := b.([]any)
		if !ok || len(a) != len(bl) {
			return invalid
		}
		for i := range a {
			if r := equalJSON(a[i], bl[i]); r != valid {
				return r
			}
		}
		return valid
	case map[string]any:
		if !jsonValue(b) {
			return unsure
		}
		bm, ok := b.(map[string]any)
		if !ok || len(a) != len(bm) {
			return invalid
		}
		acc := valid
		for k, x := range a {
			y, ok := bm[k]
			if !ok {
				acc = invalid
				continue
			}
			if r := equalJSON(x, y); r == unsure {
				return unsure
			} else if r == invalid {
				acc = invalid
			}
		}
		return acc
	default:
		return unsure
	}
	return invalid
}

// allDistinct checks uniqueItems: valid when no two items are equal. An item it cannot compare
// makes it unsure even when two others are equal, since v5 may stop on that item first.
func allDistinct(v []any) verdict {
	strs := true
	for _, x := range v {
		if _, ok := x.(string); !ok {
			strs = false
			break
		}
	}
	if strs && len(v) > 8 {
		seen := make(map[string]struct{}, len(v))
		for _, x := range v {
			s := x.(string)
			if _, dup := seen[s]; dup {
				return invalid
			}
			seen[s] = struct{}{}
		}
		return valid
	}
	if len(v) > pairwiseUnique {
		return unsure
	}
	acc := valid
	for i := 1; i < len(v); i++ {
		for j := 0; j < i; j++ {
			switch equalJSON(v[i], v[j]) {
			case valid:
				acc = invalid
			case unsure:
				return unsure
			}
		}
	}
	return acc
}
