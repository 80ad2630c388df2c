package validate

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/apmd-data/apmd/schema"
)

// codingCheck applies the coding rules of schema 1.1.0 that one record can answer for: a date's
// reading is the curators' estimate, so it is named in inferences and lies inside the strict
// bounds; a casualty figure's role and basis agree with its links; an event count belongs to an
// aggregate; a perpetrator names someone, and a group that only inspired is not also a
// perpetrator; the sources said to state an area or a relation quote it. Records of 1.0.0,
// which have none of these fields, pass untouched.
var codingCheck = &Check{
	Name: "coding",
	Doc:  "readings are inferences inside the strict bounds; figure roles and bases agree with their links; event counts, perpetrators and the sources of areas and relations are coherent",
	Rules: []*Rule{ruleReadingNotInferred, ruleReadingOutside, ruleFigureRole, ruleFigureBasis,
		ruleEventCountSingle, rulePerpetratorEmpty, ruleProvenance},
	Run: checkCoding,
}

func checkCoding(p *Pass) {
	if !p.content() {
		return
	}
	checkReadings(p)
	switch p.Kind {
	case schema.Incident:
		checkFigures(p)
		checkPerpetrators(p)
		if _, ok := p.Object[schema.FieldEventCount]; ok && p.Object[schema.FieldKind] != schema.KindAggregate {
			p.Reportf(ruleEventCountSingle, "/"+schema.FieldEventCount,
				"an event count on a single event (kind %q): it is one event; remove event_count, or make the record an aggregate if the source summarises several events",
				p.Object[schema.FieldKind])
		}
	case schema.Group:
		checkProvenance(p, schema.FieldAreas)
		checkProvenance(p, schema.FieldRelations)
	}
}

// checkReadings checks every date's reading against the record's inferences and the date's
// strict bounds.
func checkReadings(p *Pass) {
	var inferred []string // read when first needed
	for _, d := range p.Defs() {
		date, _ := d.v.(map[string]any)
		reading, ok := date[schema.FieldReading].(map[string]any)
		if d.node.Def != schema.DefDate || !ok {
			continue
		}
		rp := d.ptr + "/" + schema.FieldReading
		if inferred == nil {
			inferred = inferenceFields(p.Object)
		}
		if !slices.ContainsFunc(inferred, func(f string) bool { return f == rp || strings.HasPrefix(f, rp+"/") }) {
			p.Reportf(ruleReadingNotInferred, rp,
				"a reading is the curators' estimate, not what the text states: add an inference with field %q that gives the reasoning, or remove the reading", rp)
		}
		strict, rd := dateSpan(date), dateSpan(reading)
		if rd.lo.IsZero() && rd.hi.IsZero() {
			continue // not a date the calendar has: the dates check reports it
		}
		if out, which := outside(strict, rd); out {
			p.Reportf(ruleReadingOutside, rp,
				"the reading (%s) reaches %s the strict bounds (%s): a reading narrows the bounds and never leaves them; narrow the reading, or widen the bounds if the text allows it",
				describeSpan(rd), which, describeSpan(strict))
		}
	}
}

// dateSpan returns the days a date object (or a reading) allows; a zero bound is open.
func dateSpan(obj map[string]any) span {
	var sp span
	get := func(member string) (lo, hi time.Time, ok bool) {
		s, _ := obj[member].(string)
		lo, hi, ok, exists := partialDate(s)
		return lo, hi, ok && exists
	}
	if obj[schema.FieldDateType] == "point" {
		if lo, hi, ok := get(schema.FieldDateValue); ok {
			sp = span{lo, hi}
		}
		return sp
	}
	if lo, _, ok := get(schema.FieldDateStart); ok {
		sp.lo = lo
	}
	if _, hi, ok := get(schema.FieldDateEnd); ok {
		sp.hi = hi
	}
	return sp
}

// outside reports whether the reading r leaves the strict bounds s, and at which end.
func outside(s, r span) (bool, string) {
	if !s.lo.IsZero() && (r.lo.IsZero() || r.lo.Before(s.lo)) {
		return true, "before"
	}
	if !s.hi.IsZero() && (r.hi.IsZero() || r.hi.After(s.hi)) {
		return true, "after"
	}
	return false, ""
}

func describeSpan(sp span) string {
	end := func(t time.Time) string {
		if t.IsZero() {
			return "open"
		}
		return day(t)
	}
	return "from " + end(sp.lo) + " to " + end(sp.hi)
}

// inferenceFields returns the pointers the record's inferences name.
func inferenceFields(obj map[string]any) []string {
	out := []string{}
	infs, _ := obj[schema.FieldInferences].([]any)
	for _, e := range infs {
		inf, _ := e.(map[string]any)
		if f, ok := inf[schema.FieldInferenceField].(string); ok {
			out = append(out, f)
		}
	}
	return out
}

// checkFigures checks the role and basis of each casualty figure against its links: a component,
// and only a component, names the total it is part of, a total of the same source; a figure
// resting on a claim, and only such a figure, names the claim.
func checkFigures(p *Pass) {
	list, _ := p.Object[schema.FieldCasualties].([]any)
	byID := map[string]map[string]any{}
	for _, f := range list {
		if fm, ok := f.(map[string]any); ok {
			if id, ok := fm[schema.FieldID].(string); ok {
				byID[id] = fm
			}
		}
	}
	for i, f := range list {
		fm, _ := f.(map[string]any)
		if fm == nil {
			continue
		}
		ptr := fmt.Sprintf("/%s/%d", schema.FieldCasualties, i)
		role, hasRole := fm[schema.FieldRole].(string)
		total, hasTotal := fm[schema.FieldComponentOf].(string)
		switch {
		case role == schema.RoleComponent && !hasTotal:
			p.Reportf(ruleFigureRole, ptr+"/"+schema.FieldRole,
				"a component names the total it is part of: add component_of with the total's id, or give the figure the role %q or %q", schema.RoleTotal, schema.RolePartial)
		case hasTotal && hasRole && role != schema.RoleComponent:
			p.Reportf(ruleFigureRole, ptr+"/"+schema.FieldRole,
				"the figure is a component of %q (component_of) but its role is %q: set the role to %q, or remove component_of", total, role, schema.RoleComponent)
		case hasTotal && byID[total] != nil:
			t := byID[total]
			if tr, ok := t[schema.FieldRole].(string); ok && tr != schema.RoleTotal {
				p.Reportf(ruleFigureRole, ptr+"/"+schema.FieldComponentOf,
					"%q is not a total (its role is %q): a component belongs to a figure with the role %q", total, tr, schema.RoleTotal)
			} else if ts, _ := t[schema.FieldSource].(string); ts != "" && ts != fm[schema.FieldSource] && p.listed(ts) && p.listed(fm[schema.FieldSource]) {
				p.Reportf(ruleFigureRole, ptr+"/"+schema.FieldComponentOf,
					"the total %q is reported by %s, this component by %v: a component belongs to a total of the same source; give the figure the role %q instead",
					total, ts, fm[schema.FieldSource], schema.RolePartial)
			}
		}
		basis, _ := fm[schema.FieldBasis].(string)
		claim, hasClaim := fm[schema.FieldClaim].(string)
		switch {
		case basis == schema.BasisClaimed && !hasClaim:
			p.Reportf(ruleFigureBasis, ptr+"/"+schema.FieldBasis,
				"a figure that rests on a party's claim names that claim: add claim with the claim's id, or give the basis the source's own report (%q)", schema.BasisReported)
		case hasClaim && basis != schema.BasisClaimed:
			p.Reportf(ruleFigureBasis, ptr+"/"+schema.FieldClaim,
				"the figure names the claim %q but its basis is %q: set the basis to %q, or remove the claim", claim, basis, schema.BasisClaimed)
		}
	}
}

// listed reports whether a record file is named after the id v: a reference to any other is
// the references check's to report, and comparing it would only repeat that finding.
func (p *Pass) listed(v any) bool {
	id, _ := v.(string)
	return p.index.byStem[id] != nil
}

// checkPerpetrators checks that each perpetrator names a group or an individual, and that a
// group listed as having only inspired the perpetrator is not also listed as one.
func checkPerpetrators(p *Pass) {
	list, _ := p.Object[schema.FieldPerpetrators].([]any)
	inspired, acting := map[string]int{}, map[string]int{}
	for i, e := range list {
		pm, _ := e.(map[string]any)
		if pm == nil {
			continue
		}
		ptr := fmt.Sprintf("/%s/%d", schema.FieldPerpetrators, i)
		g, hasGroup := pm[schema.FieldGroup].(string)
		_, hasIndividual := pm[schema.FieldIndividual].(string)
		att, _ := pm[schema.FieldAttribution].(string)
		switch {
		case att == schema.AttributionInspired && !hasGroup:
			p.Reportf(rulePerpetratorEmpty, ptr,
				"an %q entry names the group said to have inspired the perpetrator: add group", schema.AttributionInspired)
		case !hasGroup && !hasIndividual:
			p.Reportf(rulePerpetratorEmpty, ptr,
				"the perpetrator names neither a group nor an individual: add the group, or the individual as the source names him or her")
		case att == schema.AttributionInspired:
			inspired[g] = i
		case hasGroup:
			acting[g] = i
		}
	}
	for g, i := range inspired {
		if j, ok := acting[g]; ok {
			p.Reportf(rulePerpetratorEmpty, fmt.Sprintf("/%s/%d", schema.FieldPerpetrators, i),
				"%s is listed as having inspired the perpetrator and, at /%s/%d, as a perpetrator: a group that inspired an attack is not its perpetrator; keep one of the two",
				g, schema.FieldPerpetrators, j)
		}
	}
}

// checkProvenance checks that every source an area or a relation lists has a quote, from that
// source, whose supports cover the item.
func checkProvenance(p *Pass, field string) {
	list, _ := p.Object[field].([]any)
	for i, e := range list {
		item, _ := e.(map[string]any)
		srcs, _ := item[schema.FieldSources].([]any)
		ptr := fmt.Sprintf("/%s/%d", field, i)
		for j, s := range srcs {
			src, _ := s.(string)
			if src == "" || quotedBy(p, src, ptr) {
				continue
			}
			p.Reportf(ruleProvenance, fmt.Sprintf("%s/%s/%d", ptr, schema.FieldSources, j),
				"%s is said to state this %s, but no quote of %s supports %s: add the quote of %s to evidence with %q in its supports, or remove %s from sources",
				src, strings.TrimSuffix(field, "s"), src, ptr, src, ptr, src)
		}
	}
}

// quotedBy reports whether a quote of source src supports the value at ptr.
func quotedBy(p *Pass, src, ptr string) bool {
	for _, ev := range p.Evidence() {
		if ev.source != src {
			continue
		}
		for _, s := range ev.supports {
			if s.resolves && covered(ptr, []string{s.ptr}) {
				return true
			}
		}
	}
	return false
}
