package validate

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
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
		if d.node.Def == defCount {
			checkCount(p, d.ptr, d.v)
		}
	}
	if list, ok := p.Object[fCasualties].([]any); ok {
		checkComponents(p, list)
	}
}

// count is a count object's integer bounds (nil when absent or not an integer).
type count struct {
	low, best, high *int64
	qualifier, text string
}

func readCount(obj map[string]any) count {
	n := func(k string) *int64 {
		num, ok := obj[k].(json.Number)
		if !ok {
			return nil
		}
		v, err := strconv.ParseInt(string(num), 10, 64)
		if err != nil {
			return nil
		}
		return &v
	}
	c := count{low: n(fLow), best: n(fBest), high: n(fHigh)}
	c.qualifier, _ = obj[fQualifier].(string)
	c.text, _ = obj[fCountText].(string)
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

var numberInText = regexp.MustCompile(`\d{1,3}(?:,\d{3})+|\d+`)

// numbers returns the integers written with digits in a count's wording ("over 1,200" → 1200).
func numbers(text string) []int64 {
	var out []int64
	for _, m := range numberInText.FindAllString(text, -1) {
		v, err := strconv.ParseInt(strings.ReplaceAll(m, ",", ""), 10, 64)
		if err == nil {
			out = append(out, v)
		}
	}
	return out
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

// qualifierRules implements the rule the schema documents in count_qualifier's description:
// for each qualifier, the bounds it requires given the numbers in the wording (n is nil when
// the wording has not exactly the numbers the qualifier needs). sameLowBest says low must
// equal best. TestQualifierRulesCoverSchema fails when the schema adds a qualifier.
var qualifierRules = map[string]func(n []int64) (low, best, high want, sameLowBest bool){
	"exact": func(n []int64) (want, want, want, bool) {
		if len(n) == 1 {
			return val(n[0]), val(n[0]), val(n[0]), false
		}
		return present, present, present, true
	},
	"more_than": func(n []int64) (want, want, want, bool) {
		if len(n) == 1 {
			return val(n[0] + 1), val(n[0] + 1), absent, false
		}
		return present, present, absent, true
	},
	"at_least": func(n []int64) (want, want, want, bool) {
		if len(n) == 1 {
			return val(n[0]), val(n[0]), absent, false
		}
		return present, present, absent, true
	},
	"approximately": func(n []int64) (want, want, want, bool) {
		if len(n) == 1 {
			return free, val(n[0]), free, false
		}
		return free, present, free, false
	},
	"at_most": func(n []int64) (want, want, want, bool) {
		if len(n) == 1 {
			return free, free, val(n[0]), false
		}
		return free, free, present, false
	},
	"fewer_than": func(n []int64) (want, want, want, bool) {
		if len(n) == 1 && n[0] > 0 {
			return free, free, val(n[0] - 1), false
		}
		return free, free, present, false
	},
	"range": func(n []int64) (want, want, want, bool) {
		if len(n) == 2 && n[0] <= n[1] {
			return val(n[0]), free, val(n[1]), false
		}
		return present, free, present, false
	},
	"several":     func([]int64) (want, want, want, bool) { return present, absent, absent, false },
	"many":        func([]int64) (want, want, want, bool) { return present, absent, absent, false },
	"unspecified": func([]int64) (want, want, want, bool) { return val(1), free, free, false },
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
		return name + " set"
	case wantValue:
		return fmt.Sprintf("%s %d", name, w.v)
	}
	return ""
}

// checkCount applies count-order and count-qualifier to one count object.
func checkCount(p *Pass, ptr string, v any) {
	obj, _ := v.(map[string]any)
	if obj == nil {
		return
	}
	n := readCount(obj)
	order := func(aName string, a *int64, bName string, b *int64) bool {
		if a == nil || b == nil || *a <= *b {
			return true
		}
		p.Reportf(ruleCountOrder, ptr+"/"+bName,
			"%s %d is below %s %d: the bounds must satisfy low <= best <= high; correct the figures (they derive from the wording %q)",
			bName, *b, aName, *a, n.text)
		return false
	}
	if !order(fLow, n.low, fBest, n.best) || !order(fBest, n.best, fHigh, n.high) || !order(fLow, n.low, fHigh, n.high) {
		return
	}
	rule, ok := qualifierRules[n.qualifier]
	if !ok {
		return // an unknown qualifier is a schema finding
	}
	low, best, high, same := rule(numbers(n.text))
	if low.ok(n.low) && best.ok(n.best) && high.ok(n.high) && (!same || n.low == nil || n.best == nil || *n.low == *n.best) {
		return
	}
	var parts []string
	for _, d := range []string{low.describe(fLow), best.describe(fBest), high.describe(fHigh)} {
		if d != "" {
			parts = append(parts, d)
		}
	}
	if same {
		parts = append(parts, "low = best")
	}
	p.Reportf(ruleCountQualifier, ptr,
		"qualifier %q with wording %q needs %s (the rule in the schema's count_qualifier description), but the count has %s: correct the bounds or the qualifier",
		n.qualifier, n.text, strings.Join(parts, ", "), n)
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
		tc, _ := tm[fCount].(map[string]any)
		t := readCount(tc)
		upper, which := t.high, fHigh
		if upper == nil {
			upper, which = t.best, fBest
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
			p.Reportf(ruleComponentsExceed, fmt.Sprintf("/%s/%d/%s", fCasualties, i, fCount),
				"the components of total %s add up to at least %d (%s), more than the total's %s %d (%q): check the figures; where sources disagree keep both and say so in notes",
				total, sum, strings.Join(terms, " + "), which, *upper, t.text)
		}
	}
}

// figure returns the index of the (last) casualty figure with an id, or -1.
func figure(list []any, id string) int {
	for i := len(list) - 1; i >= 0; i-- {
		if m, ok := list[i].(map[string]any); ok && m[fID] == id {
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
		total, ok := m[fComponentOf].(string)
		if !ok {
			continue
		}
		cm, _ := m[fCount].(map[string]any)
		cn := readCount(cm)
		lb := cn.low
		if lb == nil {
			lb = cn.best
		}
		if lb == nil {
			continue
		}
		id, _ := m[fID].(string)
		if _, seen := parts[total]; !seen {
			totals = append(totals, total)
		}
		parts[total] = append(parts[total], component{id, *lb})
	}
	return totals, parts
}
