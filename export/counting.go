package export

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/apmd-data/apmd/internal/jsonpos"
	"github.com/apmd-data/apmd/schema"
)

// The counting rule of docs/counting.md: from the casualty figures of one incident and
// outcome, as the sources word them (a total beside its components, one figure per source),
// to one low / best / high that a default sum() may add up. This file is the only place that
// applies it; the analysis tables call it, and a test checks it against an independent
// computation from the records.

// basisMixed is the basis column's value where the figures used rest on different bases (an
// export value beside the schema's bases; the vocabulary values themselves are schema's, see
// schema/values.go).
const basisMixed = "mixed"

// Flags of a counted outcome.
const (
	flagConflict = "conflict"
	flagPartial  = "partial"
)

// opt is an integer that may be absent (a blank cell).
type opt struct {
	v  int64
	ok bool
}

func (o opt) cell() Cell {
	if !o.ok {
		return Cell{Null: true}
	}
	return Cell{Value: strconv.FormatInt(o.v, 10)}
}

// figure is one casualty figure as the counting rule reads it.
type figure struct {
	id, outcome, role, basis, source string
	low, best, high                  opt
	// derived is set when the best figure is not stated by the source but derived by the
	// qualifier rule (more than N gives N + 1).
	derived bool
}

// readFigure reads a casualty figure of a record. A figure without a role (every 1.0.0
// record, and a 1.1.0 record that leaves it out) gets one from its fields: a figure with
// component_of is a component, a figure of all victims is a total, any other is partial. A
// figure without a basis is reported, unless its qualifier is 'unspecified', which the
// schema defines as the basis 'implied' does (a count the wording implies without a number).
func readFigure(m map[string]any) figure {
	f := figure{id: str(m[schema.FieldID]), outcome: str(m[schema.FieldOutcome]), role: str(m[schema.FieldRole]), basis: str(m[schema.FieldBasis]), source: str(m[schema.FieldSource])}
	count, _ := m[schema.FieldCount].(map[string]any)
	f.low, f.best, f.high = integer(count[schema.FieldLow]), integer(count[schema.FieldBest]), integer(count[schema.FieldHigh])
	qualifier := str(count[schema.FieldQualifier])
	f.derived = f.best.ok && qualifier == schema.QualifierMoreThan
	if f.role == "" {
		switch {
		case m[schema.FieldComponentOf] != nil:
			f.role = schema.RoleComponent
		case str(m[schema.FieldVictims]) == schema.VictimsAll:
			f.role = schema.RoleTotal
		default:
			f.role = schema.RolePartial
		}
	}
	if f.basis == "" {
		f.basis = schema.BasisReported
		if qualifier == schema.QualifierUnspecified {
			f.basis = schema.BasisImplied
		}
	}
	return f
}

// tally is one incident's count of one outcome by the rule.
type tally struct {
	low, best, high opt
	bestDerived     bool
	basis           string
	flags           []string
	ids             []string // the figures used
}

// countOutcome applies the rule to the figures of one incident and one outcome.
//
//   - Components never count: they are inside their total.
//   - If any source gives a total, only totals count: low is the lowest low (blank if a total
//     has none), best the lowest stated best, high the highest high (open if any is open);
//     figures that differ are flagged 'conflict'.
//   - Otherwise each source's partial figures are added up (low: the sum of the lows given;
//     best: the sum of the bests when every figure has one), and the sources' sums, which
//     may overlap, give low = the highest sum of lows, best = the highest sum of bests, high
//     open; flagged 'partial'.
//   - The basis is the one basis of the figures used, or 'mixed'.
func countOutcome(figs []figure) tally {
	var totals, partials []figure
	for _, f := range figs {
		switch f.role {
		case schema.RoleTotal:
			totals = append(totals, f)
		case schema.RolePartial:
			partials = append(partials, f)
		}
	}
	var t tally
	var used []figure
	switch {
	case len(totals) > 0:
		t, used = countTotals(totals), totals
	case len(partials) > 0:
		t, used = countPartials(partials), partials
	}
	for _, f := range used {
		t.ids = append(t.ids, f.id)
		switch {
		case t.basis == "":
			t.basis = f.basis
		case t.basis != f.basis:
			t.basis = basisMixed
		}
	}
	return t
}

// countTotals counts the totals of one outcome (there is at least one): the lowest low, the
// lowest best, the highest high, flagged 'conflict' when they differ.
func countTotals(totals []figure) tally {
	var t tally
	t.low, t.high = totals[0].low, totals[0].high
	for _, f := range totals[1:] {
		t.low = opt{min(t.low.v, f.low.v), t.low.ok && f.low.ok}
		t.high = opt{max(t.high.v, f.high.v), t.high.ok && f.high.ok}
		if f.low != totals[0].low || f.best != totals[0].best || f.high != totals[0].high {
			t.flags = []string{flagConflict}
		}
	}
	t.best, t.bestDerived = pickBest(totals, func(a, b int64) bool { return a < b })
	return t
}

// countPartials counts the partial figures of one outcome when no source gives a total: the
// highest of the sources' sums, high open, flagged 'partial'.
func countPartials(partials []figure) tally {
	var t tally
	sums := sourceSums(partials)
	for _, s := range sums {
		if s.low.ok && (!t.low.ok || s.low.v > t.low.v) {
			t.low = s.low
		}
	}
	t.best, t.bestDerived = pickBest(sums, func(a, b int64) bool { return a > b })
	t.flags = []string{flagPartial}
	return t
}

// sourceSums adds up the partial figures of each source, one sum per source in the order the
// sources first appear: low, the sum of the lows given; best, the sum of the bests when every
// figure has one (derived when any is).
func sourceSums(partials []figure) []figure {
	var sums []figure
	at := map[string]int{}
	for _, f := range partials {
		i, seen := at[f.source]
		if !seen {
			i = len(sums)
			at[f.source] = i
			sums = append(sums, figure{best: opt{ok: true}})
		}
		s := &sums[i]
		if f.low.ok {
			s.low = opt{s.low.v + f.low.v, true}
		}
		s.best = opt{s.best.v + f.best.v, s.best.ok && f.best.ok}
		s.derived = s.derived || f.derived
	}
	return sums
}

// pickBest returns the best figure that better prefers among those that have one, and
// whether it is derived: only when no figure states that value.
func pickBest(figs []figure, better func(a, b int64) bool) (opt, bool) {
	var best opt
	derived := false
	for _, f := range figs {
		switch {
		case !f.best.ok:
		case !best.ok || better(f.best.v, best.v):
			best, derived = f.best, f.derived
		case f.best.v == best.v:
			derived = derived && f.derived
		}
	}
	return best, best.ok && derived
}

// dateBounds are the strict bounds of a date (the point value as both), its year where the
// bounds fix one, and the same for its reading.
type dateBounds struct {
	start, end                string
	year                      opt
	readingStart, readingEnd  string
	readingYear               opt
	readingPrecision, wording string
	precision                 string
	hasReading                bool
	yearBest                  opt
	yearBasis                 string
}

// Values of year_basis.
const (
	yearText    = "text"
	yearReading = "reading"
)

// readDate reads a date object (schema 'date'): its strict bounds and year, its reading's
// bounds and year, and year_best.
func readDate(v any) dateBounds {
	m, _ := v.(map[string]any)
	var d dateBounds
	d.start, d.end = bounds(m)
	d.year = boundsYear(d.start, d.end)
	d.precision, d.wording = str(m[schema.FieldDatePrecision]), str(m[schema.FieldDateText])
	if r, ok := m[schema.FieldReading].(map[string]any); ok {
		d.hasReading = true
		d.readingStart, d.readingEnd = bounds(r)
		d.readingYear = boundsYear(d.readingStart, d.readingEnd)
		d.readingPrecision = str(r[schema.FieldDatePrecision])
	}
	switch {
	case d.year.ok:
		d.yearBest, d.yearBasis = d.year, yearText
	case d.readingYear.ok:
		d.yearBest, d.yearBasis = d.readingYear, yearReading
	}
	return d
}

// bounds returns a date's start and end: a point value is both; an open bound is "".
func bounds(m map[string]any) (start, end string) {
	if v := str(m[schema.FieldDateValue]); v != "" {
		return v, v
	}
	return str(m[schema.FieldDateStart]), str(m[schema.FieldDateEnd])
}

// boundsYear is the year both bounds lie in, if they do; an open bound fixes no year.
func boundsYear(start, end string) opt {
	if len(start) < 4 || len(end) < 4 || start[:4] != end[:4] {
		return opt{}
	}
	y, err := strconv.ParseInt(start[:4], 10, 64)
	return opt{y, err == nil}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// integer reads a JSON integer (json.Number, possibly written 1e2 or 1.0), absent otherwise.
func integer(v any) opt {
	switch n := v.(type) {
	case json.Number:
		if i, ok := jsonpos.Integer(n); ok {
			return opt{i, true}
		}
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<53 {
			return opt{int64(n), true}
		}
	}
	return opt{}
}

// joinList joins plain values in one cell with Separator (blank when there are none); a
// value holding the separator is refused, as for the normalised tables.
func joinList(items []string) (Cell, error) {
	if len(items) == 0 {
		return Cell{Null: true}, nil
	}
	for _, s := range items {
		if strings.Contains(s, Separator) {
			return Cell{}, errSeparator(s)
		}
	}
	return Cell{Value: strings.Join(items, Separator)}, nil
}
