package validate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apmd-data/apmd/internal/english"
	"github.com/apmd-data/apmd/schema"
)

// datesCheck checks the dates of a record (every value of the shared definition "date") and,
// across records, dates against the publication of the sources that report them.
var datesCheck = &Check{
	Name:  "dates",
	Doc:   "dates exist, agree with their precision, intervals are ordered, and no date follows the publication of a source reporting it",
	Rules: []*Rule{ruleDateInvalid, ruleDatePrecision, ruleIntervalOrder, ruleEventAfterSource, ruleIntervalValue},
	Run:   checkDates,
	Facts: dateFacts,
	Cross: checkDatesAgainstSources,
}

// datesOf is what the dates check keeps of a record: its dates with the sources whose quotes
// support them, and, for a source, the last day it may have been published. A large dataset
// keeps hundreds of thousands: days are counted from 1970-01-01.
type datesOf struct {
	dated       []datedFact
	publishedAt place
	publishedBy int32 // when published is set (not open or unknown)
	published   bool
}

// datedFact is a date of a record (its value, the earliest day lo) with the sources whose
// quotes support it: source, and the others in rest. A value that is lo written to the year,
// month or day (nearly all) is kept as its length, any other in rest.
type datedFact struct {
	ptr    string
	source string
	rest   *dateRest
	at     place
	lo     int32
	digits uint8 // the length of the value, when rest holds none
}

type dateRest struct {
	sources []string
	value   string
}

// newDatedFact returns the fact of a date, of value value, that allows no day before lo.
func newDatedFact(p *Pass, ptr string, at place, lo time.Time, value string, sources []string) datedFact {
	d := datedFact{ptr: ptr, source: sources[0], at: at, lo: dayNumber(lo)}
	var rest dateRest
	if n := len(value); (n == 4 || n == 7 || n == 10) && day(lo)[:n] == value {
		d.digits = uint8(n)
	} else {
		rest.value = strings.Clone(value)
	}
	if len(sources) > 1 {
		rest.sources = keepSlice(p, sources[1:])
	}
	if d.digits == 0 || rest.sources != nil {
		d.rest = &keepSlice(p, []dateRest{rest})[0]
	}
	return d
}

// value is the date's value (its text, or its start's or end's in an interval).
func (d *datedFact) value() string {
	if d.rest != nil && d.digits == 0 {
		return d.rest.value
	}
	return day(dayTime(d.lo))[:d.digits]
}

// sources lists the sources of the quotes that support the date.
func (d *datedFact) sources() []string {
	if d.rest == nil {
		return []string{d.source}
	}
	return append([]string{d.source}, d.rest.sources...)
}

// dayNumber counts the days from 1970-01-01 to t, a day's start (UTC); dayTime is its inverse.
func dayNumber(t time.Time) int32 { return int32(t.Unix() / 86400) }
func dayTime(n int32) time.Time   { return time.Unix(int64(n)*86400, 0).UTC() }

var dateFacts = &Facts[datesOf]{}

func checkDates(p *Pass) {
	if !p.content() {
		return
	}
	var kept datesOf
	for _, d := range p.Defs() {
		if d.node.Def == schema.DefDateReading {
			checkDate(p, d.ptr, d.v) // a reading is a date too: it exists and is ordered
			continue
		}
		if d.node.Def != schema.DefDate {
			continue
		}
		sp := checkDate(p, d.ptr, d.v)
		if p.Kind == schema.Source {
			if d.ptr == "/"+schema.FieldPublished {
				if !sp.hi.IsZero() {
					kept.publishedBy, kept.published = dayNumber(sp.hi), true
				}
				kept.publishedAt = p.Pos(d.ptr)
			}
			continue
		}
		if sp.lo.IsZero() {
			continue
		}
		var srcs []string // the sources of the quotes that support the date
		for _, ev := range p.Evidence() {
			for _, s := range ev.supports {
				if s.resolves && within(d.ptr, s.ptr) {
					srcs = append(srcs, p.intern(ev.source))
				}
			}
		}
		if len(srcs) > 0 {
			kept.dated = append(kept.dated, newDatedFact(p, d.ptr, p.Pos(d.ptr), sp.lo, dateText(d.v), srcs))
		}
	}
	if len(kept.dated) > 0 || kept.published {
		kept.dated = keepSlice(p, kept.dated)
		dateFacts.Keep(p, &kept)
	}
}

// checkDatesAgainstSources reports the dates that fall after the publication of a source whose
// quote supports them: at each date, and, once for all of them, at the source's publication
// date (the pull request may have changed either).
func checkDatesAgainstSources(x *Index) error {
	type late struct{ file, ptr string }
	lateFor := map[string][]late{} // source id → the dates after its publication
	var sources []string
	for _, r := range x.records {
		f, ok := dateFacts.Of(r)
		if !ok {
			continue
		}
		for _, d := range f.dated {
			by := d.sources()
			for i, s := range by {
				src := x.first(s)
				if src == nil || slices.Contains(by[:i], s) {
					continue // a source named twice is compared once
				}
				sf, ok := dateFacts.Of(src)
				if !ok || !sf.published {
					continue
				}
				if d.lo > sf.publishedBy {
					x.Reportf(ruleEventAfterSource, r.file, d.at, d.ptr,
						"the date %q (at the earliest %s) is after %s was published (at the latest %s), yet that source's quote supports it: correct the date, or the source's publication date",
						d.value(), day(dayTime(d.lo)), s, day(dayTime(sf.publishedBy)))
					if lateFor[s] == nil {
						sources = append(sources, s)
					}
					lateFor[s] = append(lateFor[s], late{r.file, d.ptr})
				}
			}
		}
	}
	for _, s := range sources {
		src := x.first(s)
		sf, _ := dateFacts.Of(src)
		var which []string
		for _, l := range lateFor[s] {
			which = append(which, l.file+" "+l.ptr)
		}
		x.Reportf(ruleEventAfterSource, src.file, sf.publishedAt, "/"+schema.FieldPublished,
			"dates that this source's quotes support fall after its publication (at the latest %s): %s; correct this publication date, or those dates",
			day(dayTime(sf.publishedBy)), english.List(clipList(which, 5)))
	}
	return nil
}

// clipList keeps the first n items of a list, and says how many more there are.
func clipList(items []string, n int) []string {
	if len(items) <= n {
		return items
	}
	return append(items[:n:n], fmt.Sprintf("%d more", len(items)-n))
}

func dateText(v any) string {
	m, _ := v.(map[string]any)
	for _, k := range []string{schema.FieldDateValue, schema.FieldDateStart, schema.FieldDateEnd} {
		if s, ok := m[k].(string); ok {
			return strings.Clone(s)
		}
	}
	return ""
}

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
func checkDate(p *Pass, ptr string, v any) span {
	obj, _ := v.(map[string]any)
	if obj == nil {
		return span{}
	}
	typ, _ := obj[schema.FieldDateType].(string)
	prec, _ := obj[schema.FieldDatePrecision].(string)
	var sp span
	bound := func(member string) (lo, hi time.Time, ok bool) {
		s, _ := obj[member].(string)
		if s == "" {
			return
		}
		lo, hi, ok, exists := partialDate(s)
		if ok && !exists {
			p.Reportf(ruleDateInvalid, ptr+"/"+member,
				"%q is not a day of the calendar (%s has %d days): correct the day, or give only the month (%q) with precision \"month\"",
				s, lo.AddDate(0, 0, -lo.Day()).Format("January 2006"), lo.AddDate(0, 0, -lo.Day()).Day(), s[:7])
			return lo, hi, false
		}
		return lo, hi, ok
	}
	if typ == "point" {
		lo, hi, ok := bound(schema.FieldDateValue)
		if ok {
			sp = span{lo, hi}
			val := obj[schema.FieldDateValue].(string)
			given := map[int]string{4: "year", 7: "month", 10: "day"}[len(val)]
			if prec != "unknown" && prec != "" && given != prec {
				p.Reportf(ruleDatePrecision, ptr+"/"+schema.FieldDatePrecision,
					"precision is %q but the value %q gives the %s: set precision to %q, or give the value to the %s",
					prec, val, given, given, prec)
			}
		}
		return sp
	}
	if _, ok := obj[schema.FieldDateValue]; ok && !p.reported(ptr+"/"+schema.FieldDateValue) {
		p.Reportf(ruleIntervalValue, ptr+"/"+schema.FieldDateValue,
			"an interval has no value: give its bounds in start and end (either may be left open), or make the date a point (type \"point\") with this value")
	}
	slo, _, sok := bound(schema.FieldDateStart)
	_, ehi, eok := bound(schema.FieldDateEnd)
	if sok {
		sp.lo = slo
	}
	if eok {
		sp.hi = ehi
	}
	if sok && eok && slo.After(ehi) {
		p.Reportf(ruleIntervalOrder, ptr+"/"+schema.FieldDateEnd,
			"the interval ends (%q, at the latest %s) before it starts (%q, at the earliest %s): swap start and end, or correct one of them",
			obj[schema.FieldDateEnd], day(ehi), obj[schema.FieldDateStart], day(slo))
	}
	return sp
}
