package validate

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// partialDate parses YYYY, YYYY-MM or YYYY-MM-DD into the first and last day it may mean.
// ok is false for text that is not such a date (the schema reports it); exists is false for a
// day the calendar lacks (2024-02-30).
func partialDate(s string) (lo, hi time.Time, ok, exists bool) {
	parts := strings.Split(s, "-")
	if len(parts) > 3 || len(parts[0]) != 4 {
		return
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || (i > 0 && len(p) != 2) {
			return
		}
		n[i] = v
	}
	switch len(parts) {
	case 1:
		lo = time.Date(n[0], 1, 1, 0, 0, 0, 0, time.UTC)
		hi = lo.AddDate(1, 0, -1)
	case 2:
		if n[1] < 1 || n[1] > 12 {
			return
		}
		lo = time.Date(n[0], time.Month(n[1]), 1, 0, 0, 0, 0, time.UTC)
		hi = lo.AddDate(0, 1, -1)
	case 3:
		if n[1] < 1 || n[1] > 12 || n[2] < 1 || n[2] > 31 {
			return
		}
		lo = time.Date(n[0], time.Month(n[1]), n[2], 0, 0, 0, 0, time.UTC)
		hi = lo
		if lo.Day() != n[2] {
			return lo, hi, true, false
		}
	}
	return lo, hi, true, true
}

func day(t time.Time) string { return t.Format("2006-01-02") }

// span is the earliest and latest day a date object allows; a zero bound is open.
type span struct{ lo, hi time.Time }

// checkDate applies the date rules to one date object and returns the days it allows.
func (c *recordCheck) checkDate(ptr string, v any) span {
	obj, _ := v.(map[string]any)
	if obj == nil {
		return span{}
	}
	typ, _ := obj[fDateType].(string)
	prec, _ := obj[fDatePrecision].(string)
	var sp span
	bound := func(member string) (lo, hi time.Time, ok bool) {
		s, _ := obj[member].(string)
		if s == "" {
			return
		}
		lo, hi, ok, exists := partialDate(s)
		if ok && !exists {
			c.add(ruleDateInvalid, ptr+"/"+member, false,
				"%q is not a day of the calendar (%s has %d days): correct the day, or give only the month (%q) with precision \"month\"",
				s, lo.AddDate(0, 0, -lo.Day()).Format("January 2006"), lo.AddDate(0, 0, -lo.Day()).Day(), s[:7])
			return lo, hi, false
		}
		return lo, hi, ok
	}
	if typ == "point" {
		lo, hi, ok := bound(fDateValue)
		if ok {
			sp = span{lo, hi}
			val := obj[fDateValue].(string)
			given := map[int]string{4: "year", 7: "month", 10: "day"}[len(val)]
			if prec != "unknown" && prec != "" && given != prec {
				c.add(ruleDatePrecision, ptr+"/"+fDatePrecision, false,
					"precision is %q but the value %q gives the %s: set precision to %q, or give the value to the %s",
					prec, val, given, given, prec)
			}
		}
		return sp
	}
	slo, _, sok := bound(fDateStart)
	_, ehi, eok := bound(fDateEnd)
	if sok {
		sp.lo = slo
	}
	if eok {
		sp.hi = ehi
	}
	if sok && eok && slo.After(ehi) {
		c.add(ruleIntervalOrder, ptr+"/"+fDateEnd, false,
			"the interval ends (%q, at the latest %s) before it starts (%q, at the earliest %s): swap start and end, or correct one of them",
			obj[fDateEnd], day(ehi), obj[fDateStart], day(slo))
	}
	return sp
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
func (c *recordCheck) checkCount(ptr string, v any) {
	obj, _ := v.(map[string]any)
	if obj == nil {
		return
	}
	n := readCount(obj)
	order := func(aName string, a *int64, bName string, b *int64) bool {
		if a == nil || b == nil || *a <= *b {
			return true
		}
		c.add(ruleCountOrder, ptr+"/"+bName, false,
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
	c.add(ruleCountQualifier, ptr, false,
		"qualifier %q with wording %q needs %s (the rule in the schema's count_qualifier description), but the count has %s: correct the bounds or the qualifier",
		n.qualifier, n.text, strings.Join(parts, ", "), n)
}

// checkComponents warns when the components of a casualty total add up to more than it.
func (c *recordCheck) checkComponents(list []any) {
	type comp struct {
		id  string
		low int64
	}
	byID := map[string]int{}
	for i, item := range list {
		if m, ok := item.(map[string]any); ok {
			if id, ok := m[fID].(string); ok {
				byID[id] = i
			}
		}
	}
	parts := map[string][]comp{}
	var totals []string
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
		parts[total] = append(parts[total], comp{id, *lb})
	}
	for _, total := range totals {
		i, ok := byID[total]
		if !ok {
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
		for _, p := range parts[total] {
			sum += p.low
			terms = append(terms, fmt.Sprintf("%s %d", p.id, p.low))
		}
		if sum > *upper {
			c.add(ruleComponentsExceed, fmt.Sprintf("/%s/%d/%s", fCasualties, i, fCount), false,
				"the components of total %s add up to at least %d (%s), more than the total's %s %d (%q): check the figures; where sources disagree keep both and say so in notes",
				total, sum, strings.Join(terms, " + "), which, *upper, t.text)
		}
	}
}
