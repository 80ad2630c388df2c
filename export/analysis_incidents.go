package export

import (
	"fmt"
	"slices"
	"strings"

	"github.com/apmd-data/apmd/schema"
)

// The columns of the events and aggregates tables (one row per incident of kind 'event' or
// 'aggregate'; the two share their layout): what, when and where, who did it and to whom,
// the counted figures of each outcome, and the links between incidents. The building blocks
// are in analysis.go; the counting rule in counting.go.

// incidentColumns lays out events or aggregates.
func incidentColumns(b *analysisBuilder, inc, grp *schema.Node) {
	aggregate := b.spec.only == schema.KindAggregate
	b.add(required(fromSchema(colID, b.need(inc, "id"))), valueAt("id"))
	b.add(fromSchema("title", b.need(inc, "title")), valueAt("title"))
	if aggregate {
		memberColumns(b, inc, "event_count")
	}
	dateColumns(b, b.need(inc, "date"))
	placeColumns(b, inc)
	b.add(fromSchema("event_type", b.need(inc, "event_type")), valueAt("event_type"))
	if n := nodeAt(inc, "method"); n != nil {
		b.add(fromSchema("method", n), valueAt("method"))
	}
	perpetratorColumns(b, inc, grp)
	targetColumns(b, inc)
	cas := nodeAt(inc, "casualties", "*")
	if outcome := nodeAt(cas, "outcome"); outcome != nil {
		for _, o := range outcome.Enum {
			outcomeColumns(b, o, outcome.Vocabulary[o], nodeAt(cas, "basis"), nodeAt(cas, "id"))
		}
	}
	linkColumns(b, inc, aggregate)
	b.add(listColumn("source_ids", "Sources", "The sources the record's evidence quotes and its figures cite (sources.id), in order of first use.", nodeAt(inc, "casualties", "*", "source")),
		acol{get: func(f *facts) (Cell, error) { return joinList(sources(f.rec)) }})
}

// placeColumns lays out where the incident happened: one column per level of its locations.
func placeColumns(b *analysisBuilder, inc *schema.Node) {
	loc := nodeAt(inc, "locations", "*")
	for _, name := range []string{"country", "province", "city", "place", "region"} {
		if n := nodeAt(loc, name); n != nil {
			b.add(listColumn(name, n.Title, n.Description+" Each distinct value of the incident's locations, in their order.", n), list("locations", "*", name))
		}
	}
}

// perpetratorColumns lays out who carried out the incident: the groups with their names and
// types, the individuals, the attributions and the claims; then, where the schema has the
// attribution 'inspired', the groups that only inspired it.
func perpetratorColumns(b *analysisBuilder, inc, grp *schema.Node) {
	perp := b.need(inc, "perpetrators", "*")
	attribution := b.need(perp, "attribution")
	groupID := b.need(perp, "group")
	ids := b.add(listColumn("perpetrator_group_ids", "Perpetrator groups",
		"The groups said to have carried out the incident (perpetrators' 'group'), whatever the attribution, except groups that only inspired it. An incident with several lists them all: a per-group sum counts it once for each.", groupID),
		acol{get: func(f *facts) (Cell, error) { return joinList(perpetrators(f.rec, false)) }})
	b.groupNames(ids, "perpetrator_group_names", "Perpetrator group names")
	b.add(listColumn("perpetrator_group_types", "Perpetrator group types",
		"The types (groups.type) of perpetrator_group_ids, in the same order: filter out 'state_actor' to keep armed non-state groups.", b.need(grp, "type")),
		names(ids, func(g groupInfo) string { return g.typ }))
	if n := nodeAt(perp, "individual"); n != nil {
		b.add(listColumn("perpetrator_individuals", n.Title, n.Description, n), list("perpetrators", "*", "individual"))
	}
	b.add(listColumn("perpetrator_attributions", attribution.Title,
		attribution.Description+" One value for each perpetrator that is not only an inspiration, in their order.", attribution),
		acol{get: attributions})
	b.add(&Column{Name: "claimed", Type: TypeBoolean, Title: "Claimed",
		Description: "true when a perpetrator's attribution is 'claimed': the group itself claimed responsibility (GTD claimed = 1; the claims are in perpetrator_claim_ids); else false.", Required: true},
		acol{get: claimed})
	if n := nodeAt(perp, "claims"); n != nil {
		b.add(listColumn("perpetrator_claim_ids", "Perpetrator claims", n.Description, n.Items), list("perpetrators", "*", "claims", "*"))
	}
	if slices.Contains(attribution.Enum, schema.AttributionInspired) {
		ids := b.add(listColumn("inspired_group_ids", "Inspiring groups",
			"Groups said only to have inspired or radicalised the perpetrator (attribution 'inspired'); never among the perpetrators.", groupID),
			acol{get: func(f *facts) (Cell, error) { return joinList(perpetrators(f.rec, true)) }})
		b.groupNames(ids, "inspired_group_names", "Inspiring group names")
	}
}

// attributions is perpetrator_attributions: the attribution of each perpetrator that is not
// only an inspiration.
func attributions(f *facts) (Cell, error) {
	var out []string
	for _, p := range items(f.rec, "perpetrators") {
		if a := str(p[schema.FieldAttribution]); a != schema.AttributionInspired {
			out = append(out, a)
		}
	}
	return joinList(out)
}

// claimed is the column claimed: whether a perpetrator's attribution is 'claimed'.
func claimed(f *facts) (Cell, error) {
	for _, p := range items(f.rec, "perpetrators") {
		if str(p[schema.FieldAttribution]) == schema.AttributionClaimed {
			return Cell{Value: "true"}, nil
		}
	}
	return Cell{Value: "false"}, nil
}

// perpetrators returns the distinct groups of an incident's perpetrators: those that only
// inspired it (inspired), or the others.
func perpetrators(m map[string]any, inspired bool) []string {
	var out []string
	for _, p := range items(m, "perpetrators") {
		g := str(p[schema.FieldGroup])
		if g != "" && (str(p[schema.FieldAttribution]) == schema.AttributionInspired) == inspired && !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// targetColumns lays out whom the incident was aimed at: the types of target and the
// targeted groups with their names.
func targetColumns(b *analysisBuilder, inc *schema.Node) {
	if n := nodeAt(inc, "targets", "*", "type"); n != nil {
		b.add(listColumn("target_types", n.Title, n.Description+" Each distinct value of the incident's targets.", n), list("targets", "*", "type"))
	}
	if n := nodeAt(inc, "targets", "*", "group"); n != nil {
		ids := b.add(listColumn("target_group_ids", n.Title, n.Description, n), list("targets", "*", "group"))
		b.groupNames(ids, "target_group_names", "Targeted group names")
	}
}

// outcomeColumns lays out the counted figures of one outcome (killed, injured…).
func outcomeColumns(b *analysisBuilder, o, meaning string, basis, casID *schema.Node) {
	word := strings.ToUpper(o[:1]) + strings.ReplaceAll(o[1:], "_", " ")
	what := "people " + strings.ReplaceAll(o, "_", " ")
	if meaning != "" {
		meaning = fmt.Sprintf(" Outcome '%s': %s", o, meaning)
	}
	get := func(pick func(t tally) Cell) acol {
		return acol{get: func(f *facts) (Cell, error) { return pick(f.tallies[o]), nil }}
	}
	b.add(&Column{Name: o + "_low", Type: TypeInteger, Title: word + ": low",
		Description: "Lowest number of " + what + " the sources allow, by the counting rule: the lowest low of the sources' totals, or, where no source gives a total, the highest per-source sum of partial figures. Blank when there is no figure." + meaning},
		get(func(t tally) Cell { return t.low.cell() }))
	b.add(&Column{Name: o + "_best", Type: TypeInteger, Title: word + ": best",
		Description: "Best figure of " + what + " by the counting rule: the lowest best of the sources' totals (the most conservative stated figure; components are never added to their total), or, where no source gives a total, the highest per-source sum of partial figures. Blank when the wording gives no number ('deadly', 'dozens'); the low still counts such a figure. Sum this column over events." + meaning},
		get(func(t tally) Cell { return t.best.cell() }))
	b.add(&Column{Name: o + "_high", Type: TypeInteger, Title: word + ": high",
		Description: "Highest number of " + what + " the sources allow: the highest high of the sources' totals. Blank when open-ended (a total has no upper bound, or there are only partial figures) or when there is no figure." + meaning},
		get(func(t tally) Cell { return t.high.cell() }))
	b.add(&Column{Name: o + "_best_derived", Type: TypeBoolean, Title: word + ": best derived",
		Description: "true when the best figure is not a number the source states but derived from 'more than N' as N + 1, the least value the wording allows; false when it is stated; blank when there is no best."},
		get(func(t tally) Cell {
			if !t.best.ok {
				return Cell{Null: true}
			}
			return Cell{Value: fmt.Sprint(t.bestDerived)}
		}))
	var basisNode *schema.Node
	if basis != nil {
		basisNode = &schema.Node{Type: "string", Enum: append(slices.Clone(basis.Enum), basisMixed), Vocabulary: map[string]string{basisMixed: "The figures used rest on different bases."}}
		for k, v := range basis.Vocabulary {
			basisNode.Vocabulary[k] = v
		}
	}
	b.add(&Column{Name: o + "_basis", Type: TypeString, Title: word + ": basis", Node: basisNode,
		Description: "What the figures used rest on: the source's report, only a party's claim, or wording that only implies a count; 'mixed' when they differ. A figure that does not say is 'reported', or 'implied' when its qualifier is 'unspecified'. Filter on it to leave claimed or implied figures out. Blank when there is no figure."},
		get(func(t tally) Cell { return text(t.basis) }))
	b.add(&Column{Name: o + "_flags", Type: TypeString, Title: word + ": flags", List: true,
		Node: &schema.Node{Type: "string", Enum: []string{flagConflict, flagPartial}, Vocabulary: map[string]string{
			flagConflict: "The sources' totals differ: low and high span them, best is the lowest.",
			flagPartial:  "No source gives a total: the figures are lower bounds (victim categories, named victims) that may overlap.",
		}},
		Description: "How far the figures can be taken at face value; blank when neither applies."},
		acol{get: func(f *facts) (Cell, error) { return joinList(f.tallies[o].flags) }})
	b.add(listColumn(o+"_casualty_ids", word+": figures used",
		"The casualty figures (casualties.id) the counts are made from; each leads to its quotes in evidence. Figures of other roles (components) are in casualties.", casID),
		acol{get: func(f *facts) (Cell, error) { return joinList(f.tallies[o].ids) }})
}

// linkColumns lays out the incidents linked to this one, whichever record states the link:
// an aggregate's events, the aggregates an incident is part of, and the incidents that may be
// or are the same.
func linkColumns(b *analysisBuilder, inc *schema.Node, aggregate bool) {
	if aggregate {
		b.add(listColumn("event_ids", "Events of the aggregate",
			"The single events (rows of events) that are part of this aggregate: linked 'part_of' it or 'includes' from it, whichever record states the link. Their figures may be inside the aggregate's.", nodeAt(inc, "id")),
			links(eventsOf))
	}
	b.add(listColumn("part_of", "Part of",
		"The aggregates this incident is one of the events of: linked 'part_of' from it or 'includes' from the aggregate, whichever record states the link.", nodeAt(inc, "id")),
		links(func(ix *crossIndex, id string) []string { return ix.linked(id, schema.RelationPartOf) }))
	b.add(listColumn("possibly_same_as", "Possibly the same as",
		"Incidents that may be this one reported differently ('possibly_same_as', stated by either record). Both rows stay; drop one of each pair for a lower bound.", nodeAt(inc, "id")),
		links(func(ix *crossIndex, id string) []string { return ix.linked(id, schema.RelationPossiblySameAs) }))
	b.add(listColumn("same_as", "Same as",
		"Incidents that are this one, recorded twice on purpose ('same_as', stated by either record): count one of them.", nodeAt(inc, "id")),
		links(func(ix *crossIndex, id string) []string { return ix.linked(id, schema.RelationSameAs) }))
}

// eventsOf returns the single events an aggregate includes (event_ids), sorted.
func eventsOf(ix *crossIndex, id string) []string {
	var out []string
	for _, e := range ix.linked(id, schema.RelationIncludes) {
		if ix.incidents[e].event {
			out = append(out, e)
		}
	}
	return out
}

// links is a late column: the incidents linked to the row's.
func links(linked func(ix *crossIndex, id string) []string) acol {
	return acol{late: func(ix *crossIndex, row []Cell) (Cell, error) { return joinList(linked(ix, row[0].Value)) }}
}
