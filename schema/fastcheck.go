package schema

import (
	"encoding/json"
	"math/big"
	"strings"
	"unicode/utf8"
)

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
	t := tally{acc: valid, exact: exact}
	if f.hasConst && t.add(equalJSON(v, f.constant)) {
		return t.acc
	}
	if f.hasEnum && t.add(f.checkEnum(v)) {
		return t.acc
	}
	if f.format != nil && !f.format(v) && t.add(invalid) {
		return t.acc
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
	if t.add(r) {
		return t.acc
	}
	f.checkApplicators(v, &t)
	return t.acc
}

// tally folds the verdicts of a schema's keywords into one.
type tally struct {
	acc   verdict
	exact bool
}

// add folds in one keyword's verdict; it returns true when the check can stop: the whole is
// unsure, or invalid where only "valid" matters.
func (t *tally) add(r verdict) bool {
	if r > t.acc {
		t.acc = r
	}
	return t.acc == unsure || (t.acc == invalid && !t.exact)
}

// checkApplicators checks the in-place applicators: $ref, allOf, anyOf and if/then/else.
func (f *fastSchema) checkApplicators(v any, t *tally) {
	if f.ref != nil && t.add(f.ref.check(v, t.exact)) {
		return
	}
	for _, a := range f.allOf {
		if t.add(a.check(v, t.exact)) {
			return
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
				t.add(unsure)
				return
			}
		}
		if t.add(r) {
			return
		}
	}
	if f.ifSchema == nil {
		return
	}
	var branch *fastSchema
	switch f.ifSchema.check(v, true) {
	case valid:
		branch = f.thenSchema
	case invalid:
		branch = f.elseSchema
	default:
		t.add(unsure)
		return
	}
	if branch != nil {
		t.add(branch.check(v, t.exact))
	}
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
	if !jsonValue(a) || !jsonValue(b) {
		return unsure
	}
	switch a := a.(type) {
	case nil:
		if b == nil {
			return valid
		}
	case bool:
		if bb, ok := b.(bool); ok && a == bb {
			return valid
		}
	case string:
		if bs, ok := b.(string); ok && a == bs {
			return valid
		}
	case json.Number:
		if bn, ok := b.(json.Number); ok {
			return numbersEqual(a, bn)
		}
	case []any:
		if bl, ok := b.([]any); ok {
			return equalArrays(a, bl)
		}
	case map[string]any:
		if bm, ok := b.(map[string]any); ok {
			return equalObjects(a, bm)
		}
	}
	return invalid
}

// equalArrays compares two arrays item by item, stopping at the first difference.
func equalArrays(a, b []any) verdict {
	if len(a) != len(b) {
		return invalid
	}
	for i := range a {
		if r := equalJSON(a[i], b[i]); r != valid {
			return r
		}
	}
	return valid
}

// equalObjects compares two objects member by member; unsure if any member is.
func equalObjects(a, b map[string]any) verdict {
	if len(a) != len(b) {
		return invalid
	}
	acc := valid
	for k, x := range a {
		y, ok := b[k]
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
