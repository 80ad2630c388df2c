package validate

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/apmd-data/apmd/internal/english"
	"github.com/apmd-data/apmd/internal/jsonpos"
	"github.com/apmd-data/apmd/schema"
	"github.com/apmd-data/apmd/validate/internal/wording"
)

// countsCheck checks casualty counts (every value of the shared definition "count") and the
// figures that make up a total.
var countsCheck = &Check{
	Name:  "counts",
	Doc:   "a count's bounds are ordered and follow its qualifier; components do not exceed their total",
	Rules: []*Rule{ruleCountOrder, ruleCountQualifier, ruleComponentsExceed},
	Run:   checkCounts,
}

func checkCounts(p *Pass) {
	if !p.content() {
		return
	}
	for _, d := range p.Defs() {
		if d.node.Def == schema.DefCount {
			checkCount(p, d.ptr, d.v)
		}
	}
	if list, ok := p.Object[schema.FieldCasualties].([]any); ok {
		checkComponents(p, list)
	}
}

// count is a count object's integer bounds (nil when absent or not an integer).
type count struct {
	low, best, high *int64
	qualifier, text string
	// notInteger is set when a bound is there but is no integer ("1", 1.5): the schema reports
	// it, and the rules that compare bounds say nothing more.
	notInteger bool
}

func readCount(obj map[string]any) count {
	var c count
	n := func(k string) *int64 {
		x, present := obj[k]
		num, ok := x.(json.Number)
		v, isInt := jsonpos.Integer(num)
		if !ok || !isInt {
			c.notInteger = c.notInteger || present
			return nil
		}
		return &v
	}
	c.low, c.best, c.high = n(schema.FieldLow), n(schema.FieldBest), n(schema.FieldHigh)
	c.qualifier, _ = obj[schema.FieldQualifier].(string)
	c.text, _ = obj[schema.FieldCountText].(string)
	return c
}

func (c count) String() string {
	f := func(name string, v *int64) string {
		if v == nil {
			return "no " + name
		}
		return fmt.Sprintf("%s %d", name, *v)
	}
	return f("low", c.low) + ", " + f("best", c.best) + ", " + f("high", c.high)
}

// want is what the count_qualifier rule requires of one bound.
type want struct {
	kind int // wantFree, wantAbsent, wantPresent, wantValue
	v    int64
}

const (
	wantFree = iota
	wantAbsent
	wantPresent
	wantValue
)

// bounds is what the count_qualifier rule requires of a count: each bound, and which bounds
// must be equal when the wording gives no number to fix them (equal lists them, low first).
type bounds struct {
	low, best, high want
	equal           []string
}

// qualifierRules implements the rule the schema documents in count_qualifier's description:
// for each qualifier, the bounds it requires given the numbers in the wording (read by
// wording.Numbers, digits or words: "three police officers" is 3). When the wording has not
// exactly the numbers the qualifier needs, only the presence of the bounds and their equality
// are required. TestQualifierRulesCoverSchema fails when the schema adds a qualifier.
var qualifierRules = map[string]func(n []int64) bounds{
	"exact": func(n []int64) bounds {
		if len(n) == 1 {
			return bounds{val(n[0]), val(n[0]), val(n[0]), nil}
		}
		return bounds{present, present, present, []string{schema.FieldLow, schema.FieldBest, schema.FieldHigh}}
	},
	"more_than": func(n []int64) bounds {
		if len(n) == 1 {
			return bounds{val(n[0] + 1), val(n[0] + 1), absent, nil}
		}
		return bounds{present, present, absent, []string{schema.FieldLow, schema.FieldBest}}
	},
	"at_least": func(n []int64) bounds {
		if len(n) == 1 {
			return bounds{val(n[0]), val(n[0]), absent, nil}
		}
		return bounds{present, present, absent, []string{schema.FieldLow, schema.FieldBest}}
	},
	"approximately": func(n []int64) bounds {
		if len(n) == 1 {
			return bounds{free, val(n[0]), free, nil}
		}
		return bounds{free, present, free, nil}
	},
	"at_most": func(n []int64) bounds {
		if len(n) == 1 {
			return bounds{free, free, val(n[0]), nil}
		}
		return bounds{free, free, present, nil}
	},
	"fewer_than": func(n []int64) bounds {
		if len(n) == 1 && n[0] > 0 {
			return bounds{free, free, val(n[0] - 1), nil}
		}
		return bounds{free, free, present, nil}
	},
	"range": func(n []int64) bounds {
		if len(n) == 2 && n[0] <= n[1] {
			return bounds{val(n[0]), free, val(n[1]), nil}
		}
		return bounds{present, free, present, nil}
	},
	"several":     func([]int64) bounds { return bounds{present, absent, absent, nil} },
	"many":        func([]int64) bounds { return bounds{present, absent, absent, nil} },
	"unspecified": func([]int64) bounds { return bounds{val(1), free, free, nil} },
}

var (
	free    = want{kind: wantFree}
	absent  = want{kind: wantAbsent}
	present = want{kind: wantPresent}
)

func val(v int64) want { return want{kind: wantValue, v: v} }

func (w want) ok(v *int64) bool {
	switch w.kind {
	case wantAbsent:
		return v == nil
	case wantPresent:
		return v != nil
	case wantValue:
		return v != nil && *v == w.v
	}
	return true
}

func (w want) describe(name string) string {
	switch w.kind {
	case wantAbsent:
		return "no " + name
	case wantPresent:
		return "a " + name
	case wantValue:
		return fmt.Sprintf("%s %d", name, w.v)
	}
	return ""
}

// holds reports whether a count meets the bounds.
func (b bounds) holds(c count) bool {
	if !b.low.ok(c.low) || !b.best.ok(c.best) || !b.high.ok(c.high) {
		return false
	}
	var first *int64
	for _, name := range b.equal {
		v := c.bound(name)
		if v != nil && first != nil && *v != *first {
			return false
		}
		if first == nil {
			first = v
		}
	}
	return true
}

// String says what the bounds require: "low 13, best 13 and no high", "a low, a best and a
// high, all equal".
func (b bounds) String() string {
	var parts []string
	for _, d := range []string{b.low.describe(schema.FieldLow), b.best.describe(schema.FieldBest), b.high.describe(schema.FieldHigh)} {
		if d != "" {
			parts = append(parts, d)
		}
	}
	s := english.List(parts)
	switch len(b.equal) {
	case 0:
	case 2:
		s += fmt.Sprintf(" with %s = %s", b.equal[0], b.equal[1])
	default:
		s += ", all equal (the number the wording gives)"
	}
	return s
}

// bound returns one of the count's bounds by name.
func (c count) bound(name string) *int64 {
	switch name {
	case schema.FieldLow:
		return c.low
	case schema.FieldBest:
		return c.best
	}
	return c.high
}

// checkCount applies count-order and count-qualifier to one count object.
func checkCount(p *Pass, ptr string, v any) {
	obj, _ := v.(map[string]any)
	if obj == nil {
		return
	}
	n := readCount(obj)
	if n.notInteger {
		return
	}
	order := func(aName string, a *int64, bName string, b *int64) bool {
		if a == nil || b == nil || *a <= *b {
			return true
		}
		p.Reportf(ruleCountOrder, ptr+"/"+bName,
			"%s %d is below %s %d: the bounds must satisfy low <= best <= high; correct the figures (they derive from the wording %q)",
			bName, *b, aName, *a, n.text)
		return false
	}
	if !order(schema.FieldLow, n.low, schema.FieldBest, n.best) || !order(schema.FieldBest, n.best, schema.FieldHigh, n.high) || !order(schema.FieldLow, n.low, schema.FieldHigh, n.high) {
		return
	}
	rule, ok := qualifierRules[n.qualifier]
	if !ok {
		return // an unknown qualifier is a schema finding
	}
	if b := rule(wording.Numbers(n.text)); !b.holds(n) {
		p.Reportf(ruleCountQualifier, ptr,
			"qualifier %q with wording %q needs %s (the rule in the schema's count_qualifier description), but the count has %s: correct the bounds or the qualifier",
			n.qualifier, n.text, b, n)
	}
}

// component is a casualty figure that is part of a total, with its lower bound.
type component struct {
	id  string
	low int64
}

// checkComponents warns when the components of a casualty total add up to more than it.
func checkComponents(p *Pass, list []any) {
	totals, parts := components(list)
	for _, total := range totals {
		i := figure(list, total)
		if i < 0 {
			continue
		}
		tm, _ := list[i].(map[string]any)
		tc, _ := tm[schema.FieldCount].(map[string]any)
		t := readCount(tc)
		upper, which := t.high, schema.FieldHigh
		if upper == nil {
			upper, which = t.best, schema.FieldBest
		}
		if upper == nil {
			continue
		}
		var sum int64
		var terms []string
		for _, c := range parts[total] {
			sum += c.low
			terms = append(terms, fmt.Sprintf("%s %d", c.id, c.low))
		}
		if sum > *upper {
			p.Reportf(ruleComponentsExceed, fmt.Sprintf("/%s/%d/%s", schema.FieldCasualties, i, schema.FieldCount),
				"the components of total %s add up to at least %d (%s), more than the total's %s %d (%q): check the figures; where sources disagree keep both and say so in notes",
				total, sum, strings.Join(terms, " + "), which, *upper, t.text)
		}
	}
}

// figure returns the index of the (last) casualty figure with an id, or -1.
func figure(list []any, id string) int {
	for i := len(list) - 1; i >= 0; i-- {
		if m, ok := list[i].(map[string]any); ok && m[schema.FieldID] == id {
			return i
		}
	}
	return -1
}

// components returns the totals that casualty figures name as component_of, in the order they
// are first named, and the components of each, with their lower bounds (low, else best).
func components(list []any) (totals []string, parts map[string][]component) {
	parts = map[string][]component{}
	for _, item := range list {
		m, _ := item.(map[string]any)
		total, ok := m[schema.FieldComponentOf].(string)
		if !ok {
			continue
		}
		cm, _ := m[schema.FieldCount].(map[string]any)
		cn := readCount(cm)
		lb := cn.low
		if lb == nil {
			lb = cn.best
		}
		if lb == nil {
			continue
		}
		id, _ := m[schema.FieldID].(string)
		if _, seen := parts[total]; !seen {
			totals = append(totals, total)
		}
		parts[total] = append(parts[total], component{id, *lb})
	}
	return totals, parts
}
