package validate

import (
	"fmt"
	"slices"

	"github.com/apmd-data/apmd/schema"
)

// attributionCheck keeps "claimed" honest across records, in both directions: a perpetrator
// whose attribution is "claimed" lists a claim of responsibility (or a count of operations) by
// its group about the incident, and a claim of responsibility about an incident is listed by a
// perpetrator of its claimant's group there; every claim a perpetrator or a casualty figure
// rests on is about that incident. A mismatch is reported on both records, so that the one a
// pull request touches gets the annotation.
var attributionCheck = &Check{
	Name:  "attribution",
	Doc:   "a 'claimed' perpetrator and a claim of responsibility name each other; the claims an incident rests on are about it",
	Rules: []*Rule{ruleClaimAttribution},
	Run:   collectAttributions,
	Facts: attributionFacts,
	Cross: checkAttributions,
}

// attributionsOf is what the attribution check keeps of an incident (the perpetrators that
// are claimed, disputed or name claims, and the claims its figures rest on) or of a claim (its
// type, claimant group and incidents). It is kept for every such record of a large dataset, so
// it holds no pointer strings (they are built when a finding needs one) and only the
// vocabulary values the rules compare.
type attributionsOf struct {
	perpetrators []perpetratorFact
	claimLinks   []claimLink
	// Of a claim (doubtful: an earlier check found its type, claimant or incidents wrong):
	doubtful  bool
	claimType string // schema.ClaimResponsibility, schema.ClaimOperationsCount or ""
	claimant  string
	incidents []indexed
	at        place // the claim's incidents (or type), or the incident's perpetrators
}

// perpetratorFact is one perpetrator of an incident: its group, its attribution when that is
// "claimed" or "disputed" ("" otherwise), and the claims it lists.
type perpetratorFact struct {
	index       int32
	at          place
	group       string
	attribution string
	claims      []string
	// doubtful: an earlier check (the schema's) found the entry wrong; it is not compared.
	doubtful bool
}

func (pf perpetratorFact) ptr() string {
	return fmt.Sprintf("/%s/%d", schema.FieldPerpetrators, pf.index)
}

// claimLink is a claim an incident rests on: listed by perpetrator perp (item item of its
// claims), or, when perp is -1, named by casualty figure item.
type claimLink struct {
	perp, item int32
	at         place
	value      string
}

func (l claimLink) ptr() string {
	if l.perp < 0 {
		return fmt.Sprintf("/%s/%d/%s", schema.FieldCasualties, l.item, schema.FieldClaim)
	}
	return fmt.Sprintf("/%s/%d/%s/%d", schema.FieldPerpetrators, l.perp, schema.FieldClaims, l.item)
}

// indexed is the string value of an array item, with its index and place.
type indexed struct {
	index int32
	at    place
	value string
}

var attributionFacts = &Facts[attributionsOf]{}

func collectAttributions(p *Pass) {
	if !p.content() {
		return
	}
	var kept *attributionsOf
	switch p.Kind {
	case schema.Incident:
		kept = incidentAttributions(p)
	case schema.Claim:
		kept = claimAttributions(p)
	}
	if kept != nil {
		attributionFacts.Keep(p, kept)
	}
}

// incidentAttributions keeps what the rules compare of an incident; nil when there is nothing.
func incidentAttributions(p *Pass) *attributionsOf {
	var kept attributionsOf
	list, _ := p.Object[schema.FieldPerpetrators].([]any)
	for i, e := range list {
		pm, _ := e.(map[string]any)
		f := perpetratorFact{index: int32(i)}
		ptr := f.ptr()
		switch pm[schema.FieldAttribution] {
		case schema.AttributionClaimed:
			f.attribution = schema.AttributionClaimed
		case schema.AttributionDisputed:
			f.attribution = schema.AttributionDisputed
		}
		f.doubtful = p.reported(ptr+"/"+schema.FieldAttribution) || p.reported(ptr+"/"+schema.FieldGroup) || p.reported(ptr)
		claims, _ := pm[schema.FieldClaims].([]any)
		if f.attribution == "" && len(claims) == 0 && !f.doubtful {
			continue // nothing to compare
		}
		f.at = p.Pos(ptr)
		g, _ := pm[schema.FieldGroup].(string)
		f.group = p.intern(g)
		for j, c := range claims {
			if s, ok := c.(string); ok {
				f.claims = append(f.claims, p.intern(s))
				l := claimLink{perp: int32(i), item: int32(j), value: p.intern(s)}
				l.at = p.Pos(l.ptr())
				kept.claimLinks = append(kept.claimLinks, l)
			}
		}
		f.claims = keepSlice(p, f.claims)
		kept.perpetrators = append(kept.perpetrators, f)
	}
	figures, _ := p.Object[schema.FieldCasualties].([]any)
	for i, e := range figures {
		fm, _ := e.(map[string]any)
		if c, ok := fm[schema.FieldClaim].(string); ok {
			l := claimLink{perp: -1, item: int32(i), value: p.intern(c)}
			l.at = p.Pos(l.ptr())
			kept.claimLinks = append(kept.claimLinks, l)
		}
	}
	if len(kept.perpetrators) == 0 && len(kept.claimLinks) == 0 {
		return nil
	}
	kept.at = p.Pos("/" + schema.FieldPerpetrators)
	kept.perpetrators, kept.claimLinks = keepSlice(p, kept.perpetrators), keepSlice(p, kept.claimLinks)
	return &kept
}

// claimAttributions keeps a claim's type, claimant group and incidents.
func claimAttributions(p *Pass) *attributionsOf {
	var kept attributionsOf
	switch p.Object[schema.FieldType] {
	case schema.ClaimResponsibility:
		kept.claimType = schema.ClaimResponsibility
	case schema.ClaimOperationsCount:
		kept.claimType = schema.ClaimOperationsCount
	}
	if c, ok := p.Object[schema.FieldClaimant].(map[string]any); ok {
		g, _ := c[schema.FieldGroup].(string)
		kept.claimant = p.intern(g)
	}
	incs, _ := p.Object[schema.FieldIncidents].([]any)
	for j, e := range incs {
		if s, ok := e.(string); ok {
			kept.incidents = append(kept.incidents, indexed{int32(j), p.Pos(fmt.Sprintf("/%s/%d", schema.FieldIncidents, j)), p.intern(s)})
		}
	}
	kept.at = p.Pos("/" + schema.FieldType)
	if _, ok := p.Object[schema.FieldIncidents]; ok {
		kept.at = p.Pos("/" + schema.FieldIncidents)
	}
	kept.incidents = keepSlice(p, kept.incidents)
	kept.doubtful = p.reported("") || p.reportedWithin("/"+schema.FieldType) || p.reportedWithin("/"+schema.FieldClaimant) || p.reportedWithin("/"+schema.FieldIncidents)
	return &kept
}

// claimsResponsibility reports whether a claim of this type says its claimant carried out the
// incidents it is about.
func claimsResponsibility(typ string) bool {
	return typ == schema.ClaimResponsibility || typ == schema.ClaimOperationsCount
}

// claimRec is a claim record with what the attribution check kept of it.
type claimRec struct {
	r *record
	f *attributionsOf
}

func checkAttributions(x *Index) error {
	claims := map[string]claimRec{}
	for _, r := range x.records {
		if f, ok := attributionFacts.Of(r); ok && r.kind == schema.Claim && x.first(r.id) == r {
			claims[r.id] = claimRec{r, f}
		}
	}
	about := func(c claimRec, incident string) bool {
		return slices.ContainsFunc(c.f.incidents, func(l indexed) bool { return l.value == incident })
	}
	for _, r := range x.records {
		f, ok := attributionFacts.Of(r)
		if !ok || r.kind != schema.Incident {
			continue
		}
		for _, l := range f.claimLinks {
			if c, ok := claims[l.value]; ok && !about(c, r.id) && !c.f.doubtful && !dangling(x, c) {
				x.Reportf(ruleClaimAttribution, r.file, l.at, l.ptr(),
					"this incident rests on the claim %s, which is not about it (its incidents: %s): add %s to that claim's incidents, or link the claim that is",
					l.value, quoteList(values(c.f.incidents)), r.id)
				x.Reportf(ruleClaimAttribution, c.r.file, c.f.at, "/"+schema.FieldIncidents,
					"%s rests on this claim (at %s), but the claim is not about it: add %q to incidents, or correct that incident's link", r.id, l.ptr(), r.id)
			}
		}
		for _, pf := range f.perpetrators {
			if pf.attribution != schema.AttributionClaimed || pf.group == "" || broken(x, claims, pf) {
				continue // a link that names no record is reported by the references check
			}
			// A responsibility claim by the group that is only not about this incident is the
			// link's finding above; otherwise the perpetrator lacks its claim.
			if slices.ContainsFunc(pf.claims, func(id string) bool {
				c, ok := claims[id]
				return ok && claimsResponsibility(c.f.claimType) && c.f.claimant == pf.group
			}) {
				continue
			}
			x.Reportf(ruleClaimAttribution, r.file, pf.at, pf.ptr()+"/"+schema.FieldAttribution,
				"%s is %q, but lists no claim of responsibility by %s about this incident: list that claim in claims (a claim record of type %q whose claimant is %s and whose incidents include %s), or give the attribution the source's own (%q)",
				pf.group, schema.AttributionClaimed, pf.group, schema.ClaimResponsibility, pf.group, r.id, "attributed")
		}
	}
	checkClaimsClaimed(x, claims)
	return nil
}

// checkClaimsClaimed reports a claim of responsibility whose incident does not list its
// claimant's group as a claimed (or disputed) perpetrator with this claim.
func checkClaimsClaimed(x *Index, claims map[string]claimRec) {
	for id, c := range claims {
		if c.f.claimType != schema.ClaimResponsibility || c.f.claimant == "" || c.f.doubtful {
			continue
		}
		for _, inc := range c.f.incidents {
			ir := x.first(inc.value)
			if ir == nil || ir.kind != schema.Incident {
				continue // an unresolved reference: the references check reports it
			}
			f, _ := attributionFacts.Of(ir)
			if f != nil && slices.ContainsFunc(f.perpetrators, func(pf perpetratorFact) bool { return broken(x, claims, pf) }) {
				continue // the incident's own links are broken: the references check reports them
			}
			matched := f != nil && slices.ContainsFunc(f.perpetrators, func(pf perpetratorFact) bool {
				return pf.group == c.f.claimant && (pf.attribution == schema.AttributionClaimed || pf.attribution == schema.AttributionDisputed) && slices.Contains(pf.claims, id)
			})
			if matched {
				continue
			}
			x.Reportf(ruleClaimAttribution, c.r.file, inc.at, fmt.Sprintf("/%s/%d", schema.FieldIncidents, inc.index),
				"%s claims responsibility for %s, but that incident does not list %s as a %q perpetrator with this claim: add it there ({\"group\": %q, \"attribution\": %q, \"claims\": [%q]}), or correct the claim's type",
				c.f.claimant, inc.value, c.f.claimant, schema.AttributionClaimed, c.f.claimant, schema.AttributionClaimed, id)
			at := noPosition
			if f != nil {
				at = f.at
			}
			x.Reportf(ruleClaimAttribution, ir.file, at, "/"+schema.FieldPerpetrators,
				"%s claims responsibility for this incident (%s), but no perpetrator %s is %q with that claim: add {\"group\": %q, \"attribution\": %q, \"claims\": [%q]}, or correct the claim",
				c.f.claimant, id, c.f.claimant, schema.AttributionClaimed, c.f.claimant, schema.AttributionClaimed, id)
		}
	}
}

// dangling reports whether a claim names an incident that no record has: the references
// check reports it, and the claim's incidents cannot be compared.
func dangling(x *Index, c claimRec) bool {
	return slices.ContainsFunc(c.f.incidents, func(l indexed) bool { return x.first(l.value) == nil })
}

// broken reports whether a perpetrator names a group or a claim that no record has, or is
// wrong by the schema: comparing it would only repeat those findings.
func broken(x *Index, claims map[string]claimRec, pf perpetratorFact) bool {
	if pf.doubtful || (pf.group != "" && x.first(pf.group) == nil) {
		return true
	}
	return slices.ContainsFunc(pf.claims, func(id string) bool {
		c, ok := claims[id]
		return !ok || c.f.doubtful || dangling(x, c)
	})
}

func values(ls []indexed) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.value
	}
	return out
}
