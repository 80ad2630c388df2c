package export

import (
	"fmt"
	"slices"
	"strings"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/schema"
)

// The analysis tables come before the normalised ones: one row per single event, one per
// aggregate, one per claim, with names beside ids and one killed and one injured figure per
// incident by the counting rule (counting.go), so that a researcher's default sum() or
// per-year table gives the right answer. Their columns take titles, descriptions and allowed
// values from the schema where a column copies a property; a computed column's description is
// written here, beside its computation. Every value leads back to record ids and figure ids.

// Names of the analysis tables.
const (
	tableEvents     = "events"
	tableAggregates = "aggregates"
	tableClaimsFlat = "claims_flat"
)

// Values of the schema the analysis reads: incident kinds, relations, attributions, claimant
// kinds, group types.
const (
	kindEvent           = "event"
	kindAggregate       = "aggregate"
	relPartOf           = "part_of"
	relIncludes         = "includes"
	relPossiblySameAs   = "possibly_same_as"
	relSameAs           = "same_as"
	attributionClaimed  = "claimed"
	attributionInspired = "inspired"
	claimantGroup       = "group"
	groupStateActor     = "state_actor"
)

// homeCountries is the dataset's area, as its name says (Afghanistan–Pakistan): the README
// sheet lists the incidents that lie outside it.
var homeCountries = []string{"AF", "PK"}

// analysisSpec is how an analysis table's rows are made: one function per column.
type analysisSpec struct {
	kind schema.Kind // the record kind a row is made from
	only string      // for incidents: the kind of incident (event or aggregate)
	cols []acol
}

// acol makes one column of an analysis table: get from the record alone, or late, at the
// end, from what the other records say (group names, incident titles, links made from the
// other side).
type acol struct {
	get  func(f *facts) (Cell, error)
	late func(ix *crossIndex, row []Cell) (Cell, error)
}

// facts is what the columns read of one record.
type facts struct {
	rec     map[string]any
	date    dateBounds
	tallies map[string]tally // by outcome
}

// analysisBuilder lays out one analysis table.
type analysisBuilder struct {
	t    *Table
	spec *analysisSpec
	err  error
}

// need returns the schema node at a path (see nodeAt) that the table cannot do without; when
// the schema lacks it, the layout fails (with a stand-in node meanwhile).
func (b *analysisBuilder) need(n *schema.Node, path ...string) *schema.Node {
	if found := nodeAt(n, path...); found != nil {
		return found
	}
	if b.err == nil {
		b.err = fmt.Errorf("analysis table %s: the schema has no %s", b.t.Name, strings.Join(path, "/"))
	}
	return &schema.Node{Type: "string"}
}

func newAnalysisTable(name, title, desc string, kind schema.Kind, only string) *analysisBuilder {
	spec := &analysisSpec{kind: kind, only: only}
	return &analysisBuilder{t: &Table{Name: name, Title: title, Description: desc, PrimaryKey: []string{colID}, analysis: spec}, spec: spec}
}

// add adds a column and returns its position.
func (b *analysisBuilder) add(c *Column, a acol) int {
	b.t.Columns = append(b.t.Columns, c)
	b.spec.cols = append(b.spec.cols, a)
	return len(b.t.Columns) - 1
}

// nodeAt returns the schema node at a path of property names ("*" for an array's items), or
// nil when this schema version has no such property.
func nodeAt(n *schema.Node, path ...string) *schema.Node {
	for _, p := range path {
		if n == nil {
			return nil
		}
		if p == "*" {
			n = n.Items
			continue
		}
		prop := n.Prop(p)
		if prop == nil {
			return nil
		}
		n = prop.Node
	}
	return n
}

// fromSchema is a column that copies a property: its title, description, type and
// constraints are the schema's.
func fromSchema(name string, n *schema.Node) *Column {
	typ, err := columnType(n)
	if err != nil {
		typ = TypeString
	}
	return &Column{Name: name, Type: typ, Title: n.Title, Description: n.Description, Node: n}
}

// required marks a column every row fills (a key).
func required(c *Column) *Column {
	c.Required = true
	return c
}

// valueAt reads a plain value at a path of the record.
func valueAt(path ...string) acol {
	return acol{get: func(f *facts) (Cell, error) {
		v := lookup(f.rec, path)
		if v == nil {
			return Cell{Null: true}, nil
		}
		if n := integer(v); n.ok {
			return n.cell(), nil // an integer written 1e2 or 1.0 is written as digits
		}
		s, err := plain(v)
		return Cell{Value: s}, err
	}}
}

// each collects the distinct plain values at a path through lists ("*": each item), in the
// order of the record.
func each(m map[string]any, path ...string) []string {
	var out []string
	var walk func(v any, path []string)
	walk = func(v any, path []string) {
		if len(path) == 0 {
			if s, err := plain(v); err == nil && v != nil && !slices.Contains(out, s) {
				out = append(out, s)
			}
			return
		}
		if path[0] == "*" {
			arr, _ := v.([]any)
			for _, item := range arr {
				walk(item, path[1:])
			}
			return
		}
		obj, _ := v.(map[string]any)
		walk(obj[path[0]], path[1:])
	}
	walk(m, path)
	return out
}

// list is a column of the distinct values at a path, joined with Separator.
func list(path ...string) acol {
	return acol{get: func(f *facts) (Cell, error) { return joinList(each(f.rec, path...)) }}
}

// listColumn is a list column: the schema node describes each item.
func listColumn(name, title, desc string, item *schema.Node) *Column {
	return &Column{Name: name, Type: TypeString, Title: title, Description: desc, Node: item, List: true}
}

// analysisTables lays out the analysis tables from the schema trees of the record kinds.
func analysisTables(nodes map[schema.Kind]*schema.Node) ([]*Table, error) {
	inc, grp, clm := nodes[schema.Incident], nodes[schema.Group], nodes[schema.Claim]
	events := newAnalysisTable(tableEvents, "Events",
		"One row per single event (incidents of kind 'event'), GTD-like: date, year, place, groups with their names, and one killed and one injured figure per event by the counting rule (totals counted once, never their components). Sum its figures; never add rows of aggregates to them. Each figure names the casualty figures it is made from.",
		schema.Incident, kindEvent)
	incidentColumns(events, inc, grp)
	aggregates := newAnalysisTable(tableAggregates, "Aggregates",
		"One row per aggregate: several events a source reports only in summary ('dozens of attacks'), with the number of events they stand for as the source words it, the period, places, groups and figures by the same counting rule. An aggregate's events may include rows of events (event_ids): never add the two tables' figures together.",
		schema.Incident, kindAggregate)
	incidentColumns(aggregates, inc, grp)
	claims := newAnalysisTable(tableClaimsFlat, "Claims (flat)",
		"One row per claim, with the claimant's name, the channel's name, the date, and the incidents and groups it is about with their titles and names.",
		schema.Claim, "")
	claimColumns(claims, clm, grp, inc)
	var out []*Table
	for _, b := range []*analysisBuilder{events, aggregates, claims} {
		if b.err != nil {
			return nil, b.err
		}
		out = append(out, b.t)
	}
	return out, nil
}

// incidentColumns lays out events or aggregates.
func incidentColumns(b *analysisBuilder, inc, grp *schema.Node) {
	aggregate := b.spec.only == kindAggregate
	b.add(required(fromSchema(colID, b.need(inc, "id"))), valueAt("id"))
	b.add(fromSchema("title", b.need(inc, "title")), valueAt("title"))
	if aggregate {
		if n := nodeAt(inc, "event_count"); n != nil {
			for _, p := range n.Properties {
				c := fromSchema("event_count_"+p.Name, p.Node)
				c.Title = joinTitle(n.Title, p.Title)
				b.add(c, valueAt("event_count", p.Name))
			}
		}
	}
	dateColumns(b, b.need(inc, "date"))
	loc := nodeAt(inc, "locations", "*")
	for _, name := range []string{"country", "province", "city", "place", "region"} {
		if n := nodeAt(loc, name); n != nil {
			b.add(listColumn(name, n.Title, n.Description+" Each distinct value of the incident's locations, in their order.", n), list("locations", "*", name))
		}
	}
	b.add(fromSchema("event_type", b.need(inc, "event_type")), valueAt("event_type"))
	if n := nodeAt(inc, "method"); n != nil {
		b.add(fromSchema("method", n), valueAt("method"))
	}

	perp := b.need(inc, "perpetrators", "*")
	attribution := b.need(perp, "attribution")
	inspired := slices.Contains(attribution.Enum, attributionInspired)
	groupID := b.need(perp, "group")
	perpIDs := b.add(listColumn("perpetrator_group_ids", "Perpetrator groups",
		"The groups said to have carried out the incident (perpetrators' 'group'), whatever the attribution, except groups that only inspired it. An incident with several lists them all: a per-group sum counts it once for each.", groupID),
		acol{get: func(f *facts) (Cell, error) { return joinList(perpetrators(f.rec, false)) }})
	b.add(listColumn("perpetrator_group_names", "Perpetrator group names",
		"The canonical names (groups.name) of perpetrator_group_ids, in the same order.", nil),
		names(perpIDs, func(g groupInfo) string { return g.name }))
	b.add(listColumn("perpetrator_group_types", "Perpetrator group types",
		"The types (groups.type) of perpetrator_group_ids, in the same order: filter out 'state_actor' to keep armed non-state groups.", b.need(grp, "type")),
		names(perpIDs, func(g groupInfo) string { return g.typ }))
	if n := nodeAt(perp, "individual"); n != nil {
		b.add(listColumn("perpetrator_individuals", n.Title, n.Description, n), list("perpetrators", "*", "individual"))
	}
	b.add(listColumn("perpetrator_attributions", attribution.Title,
		attribution.Description+" One value for each perpetrator that is not only an inspiration, in their order.", attribution),
		acol{get: func(f *facts) (Cell, error) {
			var out []string
			for _, p := range items(f.rec, "perpetrators") {
				if a := str(p["attribution"]); a != attributionInspired {
					out = append(out, a)
				}
			}
			return joinList(out)
		}})
	b.add(&Column{Name: "claimed", Type: TypeBoolean, Title: "Claimed",
		Description: "true when a perpetrator's attribution is 'claimed': the group itself claimed responsibility (GTD claimed = 1; the claims are in perpetrator_claim_ids); else false.", Required: true},
		acol{get: func(f *facts) (Cell, error) {
			for _, p := range items(f.rec, "perpetrators") {
				if str(p["attribution"]) == attributionClaimed {
					return Cell{Value: "true"}, nil
				}
			}
			return Cell{Value: "false"}, nil
		}})
	if n := nodeAt(perp, "claims"); n != nil {
		b.add(listColumn("perpetrator_claim_ids", "Perpetrator claims", n.Description, n.Items), list("perpetrators", "*", "claims", "*"))
	}
	if inspired {
		ids := b.add(listColumn("inspired_group_ids", "Inspiring groups",
			"Groups said only to have inspired or radicalised the perpetrator (attribution 'inspired'); never among the perpetrators.", groupID),
			acol{get: func(f *facts) (Cell, error) { return joinList(perpetrators(f.rec, true)) }})
		b.add(listColumn("inspired_group_names", "Inspiring group names", "The canonical names (groups.name) of inspired_group_ids, in the same order.", nil),
			names(ids, func(g groupInfo) string { return g.name }))
	}
	if n := nodeAt(inc, "targets", "*", "type"); n != nil {
		b.add(listColumn("target_types", n.Title, n.Description+" Each distinct value of the incident's targets.", n), list("targets", "*", "type"))
	}
	if n := nodeAt(inc, "targets", "*", "group"); n != nil {
		ids := b.add(listColumn("target_group_ids", n.Title, n.Description, n), list("targets", "*", "group"))
		b.add(listColumn("target_group_names", "Targeted group names", "The canonical names (groups.name) of target_group_ids, in the same order.", nil),
			names(ids, func(g groupInfo) string { return g.name }))
	}

	cas := nodeAt(inc, "casualties", "*")
	if outcome := nodeAt(cas, "outcome"); outcome != nil {
		for _, o := range outcome.Enum {
			outcomeColumns(b, o, outcome.Vocabulary[o], nodeAt(cas, "basis"), nodeAt(cas, "id"))
		}
	}

	if aggregate {
		b.add(listColumn("event_ids", "Events of the aggregate",
			"The single events (rows of events) that are part of this aggregate: linked 'part_of' it or 'includes' from it, whichever record states the link. Their figures may be inside the aggregate's.", nodeAt(inc, "id")),
			links(func(ix *crossIndex, id string) []string {
				var out []string
				for _, e := range ix.linked(id, relIncludes) {
					if ix.incidents[e].event {
						out = append(out, e)
					}
				}
				return out
			}))
	}
	b.add(listColumn("part_of", "Part of",
		"The aggregates this incident is one of the events of: linked 'part_of' from it or 'includes' from the aggregate, whichever record states the link.", nodeAt(inc, "id")),
		links(func(ix *crossIndex, id string) []string { return ix.linked(id, relPartOf) }))
	b.add(listColumn("possibly_same_as", "Possibly the same as",
		"Incidents that may be this one reported differently ('possibly_same_as', stated by either record). Both rows stay; drop one of each pair for a lower bound.", nodeAt(inc, "id")),
		links(func(ix *crossIndex, id string) []string { return ix.linked(id, relPossiblySameAs) }))
	b.add(listColumn("same_as", "Same as",
		"Incidents that are this one, recorded twice on purpose ('same_as', stated by either record): count one of them.", nodeAt(inc, "id")),
		links(func(ix *crossIndex, id string) []string { return ix.linked(id, relSameAs) }))
	b.add(listColumn("source_ids", "Sources", "The sources the record's evidence quotes and its figures cite (sources.id), in order of first use.", nodeAt(inc, "casualties", "*", "source")),
		acol{get: func(f *facts) (Cell, error) { return joinList(sources(f.rec)) }})
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

// dateColumns lays out the date of an incident or a claim: strict bounds, year, reading,
// year_best.
func dateColumns(b *analysisBuilder, date *schema.Node) {
	if date == nil {
		return
	}
	value := nodeAt(date, "start")
	dcol := func(name, title, desc string, n *schema.Node) *Column {
		return &Column{Name: name, Type: TypeString, Title: title, Description: desc, Node: n}
	}
	b.add(dcol("date_start", "Date: start",
		"Earliest date the text allows (ISO 8601, partial dates kept partial): a point date's value, or an interval's start; blank when open.", value),
		acol{get: func(f *facts) (Cell, error) { return text(f.date.start), nil }})
	b.add(dcol("date_end", "Date: end",
		"Latest date the text allows: a point date's value, or an interval's end; blank when open.", value),
		acol{get: func(f *facts) (Cell, error) { return text(f.date.end), nil }})
	if n := nodeAt(date, "precision"); n != nil {
		b.add(fromSchema("date_precision", n), valueAt("date", "precision"))
	}
	if n := nodeAt(date, "text"); n != nil {
		b.add(fromSchema("date_text", n), valueAt("date", "text"))
	}
	b.add(&Column{Name: "year", Type: TypeInteger, Title: "Year",
		Description: "The year the text fixes: set only where both strict bounds (date_start, date_end) lie in one year; blank otherwise (an open bound fixes no year)."},
		acol{get: func(f *facts) (Cell, error) { return f.date.year.cell(), nil }})
	if reading := nodeAt(date, "reading"); reading != nil {
		b.add(dcol("reading_start", "Reading: start",
			"Start of the curators' reading of the date, where the text allows a narrower one (a point reading's value, or the reading interval's start): their best estimate, never a bound; the record's inferences give the reasoning.", value),
			acol{get: func(f *facts) (Cell, error) { return text(f.date.readingStart), nil }})
		b.add(dcol("reading_end", "Reading: end", "End of the curators' reading of the date (a point reading's value, or the reading interval's end).", value),
			acol{get: func(f *facts) (Cell, error) { return text(f.date.readingEnd), nil }})
		if n := nodeAt(reading, "precision"); n != nil {
			b.add(fromSchema("reading_precision", n), valueAt("date", "reading", "precision"))
		}
		b.add(&Column{Name: "reading_year", Type: TypeInteger, Title: "Reading: year",
			Description: "The year the curators' reading fixes: set only where both ends of the reading lie in one year."},
			acol{get: func(f *facts) (Cell, error) { return f.date.readingYear.cell(), nil }})
	}
	b.add(&Column{Name: "year_best", Type: TypeInteger, Title: "Year (best)",
		Description: "year where the text fixes it, else reading_year; year_basis says which. Group by it for a per-year table; keep year_basis 'text' for stated years only."},
		acol{get: func(f *facts) (Cell, error) { return f.date.yearBest.cell(), nil }})
	b.add(&Column{Name: "year_basis", Type: TypeString, Title: "Year basis",
		Node: &schema.Node{Type: "string", Enum: []string{yearText, yearReading}, Vocabulary: map[string]string{
			yearText:    "year_best is year: the date's strict bounds lie in one year.",
			yearReading: "year_best is reading_year: only the curators' reading of the date lies in one year (see inferences).",
		}},
		Description: "Where year_best comes from; blank when there is no year_best."},
		acol{get: func(f *facts) (Cell, error) { return text(f.date.yearBasis), nil }})
}

// claimColumns lays out claims_flat.
func claimColumns(b *analysisBuilder, clm, grp, inc *schema.Node) {
	b.add(required(fromSchema(colID, b.need(clm, "id"))), valueAt("id"))
	b.add(fromSchema("type", b.need(clm, "type")), valueAt("type"))
	b.add(fromSchema("status", b.need(clm, "status")), valueAt("status"))
	claimant := b.need(clm, "claimant")
	display := b.add(&Column{Name: "claimant", Type: TypeString, Title: "Claimant (name)",
		Description: "Who made the statement, by name: the group's canonical name (groups.name) when the claimant is a group, else the name the source gives (claimant_source_name)."},
		acol{get: func(f *facts) (Cell, error) { return text(str(lookup(f.rec, []string{"claimant", "name"}))), nil }})
	kind := b.add(fromSchema("claimant_kind", b.need(claimant, "kind")), valueAt("claimant", "kind"))
	if n := nodeAt(claimant, "name"); n != nil {
		b.add(fromSchema("claimant_source_name", n), valueAt("claimant", "name"))
	}
	if n := nodeAt(claimant, "role"); n != nil {
		b.add(fromSchema("claimant_role", n), valueAt("claimant", "role"))
	}
	gid := b.add(fromSchema("claimant_group_id", b.need(claimant, "group")), valueAt("claimant", "group"))
	b.add(&Column{Name: "claimant_group_name", Type: TypeString, Title: "Claimant group name",
		Description: "The canonical name (groups.name) of claimant_group_id."},
		names(gid, func(g groupInfo) string { return g.name }))
	b.spec.cols[display].late = func(ix *crossIndex, row []Cell) (Cell, error) {
		if g, ok := ix.groups[row[gid].Value]; ok && row[kind].Value == claimantGroup {
			return text(g.name), nil
		}
		return row[display], nil
	}
	if channel := nodeAt(clm, "channel"); channel != nil {
		b.add(fromSchema("channel_kind", b.need(channel, "kind")), valueAt("channel", "kind"))
		oid := b.add(fromSchema("channel_outlet_id", b.need(channel, "outlet")), valueAt("channel", "outlet"))
		b.add(&Column{Name: "channel_outlet_name", Type: TypeString, Title: "Outlet name",
			Description: "The canonical name (groups.name) of channel_outlet_id."},
			names(oid, func(g groupInfo) string { return g.name }))
	}
	dateColumns(b, nodeAt(clm, "date"))
	b.add(fromSchema("statement", b.need(clm, "statement")), valueAt("statement"))
	if n := nodeAt(clm, "count"); n != nil {
		for _, p := range n.Properties {
			c := fromSchema("count_"+p.Name, p.Node)
			c.Title = joinTitle(n.Title, p.Title)
			b.add(c, valueAt("count", p.Name))
		}
	}
	about := b.need(clm, "incidents")
	iid := b.add(listColumn("incident_ids", about.Title, about.Description, b.need(inc, "id")), list("incidents", "*"))
	b.add(listColumn("incident_titles", "Incident titles", "The titles (incidents.title) of incident_ids, in the same order.", nil),
		acol{late: func(ix *crossIndex, row []Cell) (Cell, error) {
			return joinList(mapIDs(row[iid], func(id string) string { return ix.incidents[id].title }))
		}})
	groups := b.need(clm, "groups")
	grpIDs := b.add(listColumn("group_ids", groups.Title, groups.Description, b.need(grp, "id")), list("groups", "*"))
	b.add(listColumn("group_names", "Group names", "The canonical names (groups.name) of group_ids, in the same order.", nil),
		names(grpIDs, func(g groupInfo) string { return g.name }))
	if disputed := nodeAt(clm, "disputed_by"); disputed != nil {
		text, group := b.need(disputed, "*", "text"), b.need(disputed, "*", "group")
		b.add(listColumn("disputed_by", disputed.Title, text.Description+" Each disputing party's words, in order.", text), list("disputed_by", "*", "text"))
		ids := b.add(listColumn("disputed_by_group_ids", "Disputing groups", group.Description, group), list("disputed_by", "*", "group"))
		b.add(listColumn("disputed_by_group_names", "Disputing group names", "The canonical names (groups.name) of disputed_by_group_ids, in the same order.", nil),
			names(ids, func(g groupInfo) string { return g.name }))
	}
	b.add(listColumn("source_ids", "Sources", "The sources the record's evidence quotes (sources.id), in order of first use.", nodeAt(clm, "evidence", "*", "source")),
		acol{get: func(f *facts) (Cell, error) { return joinList(sources(f.rec)) }})
}

func text(s string) Cell {
	if s == "" {
		return Cell{Null: true}
	}
	return Cell{Value: s}
}

// names is a late column: for each id in column ids, what name says of its group.
func names(ids int, name func(groupInfo) string) acol {
	return acol{late: func(ix *crossIndex, row []Cell) (Cell, error) {
		return joinList(mapIDs(row[ids], func(id string) string { return name(ix.groups[id]) }))
	}}
}

// links is a late column: the incidents linked to the row's.
func links(linked func(ix *crossIndex, id string) []string) acol {
	return acol{late: func(ix *crossIndex, row []Cell) (Cell, error) { return joinList(linked(ix, row[0].Value)) }}
}

// mapIDs maps each id of a joined cell; an id the index does not know maps to "".
func mapIDs(c Cell, f func(id string) string) []string {
	if c.Null || c.Value == "" {
		return nil
	}
	ids := strings.Split(c.Value, Separator)
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = f(id)
	}
	return out
}

// items returns the objects of a list member of a record.
func items(m map[string]any, name string) []map[string]any {
	arr, _ := m[name].([]any)
	out := make([]map[string]any, 0, len(arr))
	for _, v := range arr {
		if o, ok := v.(map[string]any); ok {
			out = append(out, o)
		}
	}
	return out
}

// perpetrators returns the distinct groups of an incident's perpetrators: those that only
// inspired it (inspired), or the others.
func perpetrators(m map[string]any, inspired bool) []string {
	var out []string
	for _, p := range items(m, "perpetrators") {
		g := str(p["group"])
		if g != "" && (str(p["attribution"]) == attributionInspired) == inspired && !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// sources returns the distinct sources a record's evidence quotes and its figures cite.
func sources(m map[string]any) []string {
	var out []string
	for _, name := range []string{"evidence", "casualties"} {
		for _, s := range each(m, name, "*", "source") {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

func errSeparator(s string) error {
	return fmt.Errorf("list item %q contains the separator %q, so it cannot be joined in one cell", s, Separator)
}

// groupInfo and incidentInfo are what the analysis keeps of each group and incident: a few
// strings, so that memory stays small at hundreds of thousands of records.
type groupInfo struct{ name, typ string }

type incidentInfo struct {
	title string
	event bool
}

// crossIndex is what a row needs from other records.
type crossIndex struct {
	groups    map[string]groupInfo
	incidents map[string]incidentInfo
	links     map[string]map[string][]string // incident → relation → incidents, from both sides
}

// relations are the links the analysis tables show, each with its converse.
var relations = map[string][2]string{
	relPartOf:         {relPartOf, relIncludes},
	relIncludes:       {relIncludes, relPartOf},
	relPossiblySameAs: {relPossiblySameAs, relPossiblySameAs},
	relSameAs:         {relSameAs, relSameAs},
}

// link records that a relates to b, and the converse.
func (ix *crossIndex) link(a, rel, b string) {
	pair, ok := relations[rel] // the constants: a decoded rel may share the memory of its file
	if !ok {
		return
	}
	for _, l := range [][3]string{{a, pair[0], b}, {b, pair[1], a}} {
		m := ix.links[l[0]]
		if m == nil {
			m = map[string][]string{}
			ix.links[l[0]] = m
		}
		if !slices.Contains(m[l[1]], l[2]) {
			m[l[1]] = append(m[l[1]], l[2])
		}
	}
}

// linked returns the incidents linked to id by rel, sorted.
func (ix *crossIndex) linked(id, rel string) []string {
	out := slices.Clone(ix.links[id][rel])
	slices.Sort(out)
	return out
}

// analysis makes the rows of the analysis tables as the records go by: the part of each row
// that its record gives waits in a spill file (in id order, as the records come), and the
// part that needs other records (names, titles, links stated by the other side) is filled
// in by finish. Memory holds the cross index only.
type analysis struct {
	tables []*Table
	tmpDir string
	ix     crossIndex
	outs   map[*Table]*tableOut
	facts  facts
	sum    *countSummary
}

// newAnalysis prepares the analysis tables among tables; its spill files go to tmpDir ("" for
// the system's temporary folder). Nil when there are none.
func newAnalysis(tables []*Table, tmpDir string) *analysis {
	a := &analysis{tmpDir: tmpDir, outs: map[*Table]*tableOut{},
		ix: crossIndex{groups: map[string]groupInfo{}, incidents: map[string]incidentInfo{}, links: map[string]map[string][]string{}}}
	for _, t := range tables {
		if t.analysis != nil {
			a.tables = append(a.tables, t)
		}
	}
	if len(a.tables) == 0 {
		return nil
	}
	return a
}

// add takes one record.
func (a *analysis) add(r *datadir.Record) error {
	if a == nil {
		return nil
	}
	m, _ := r.Value.(map[string]any)
	// The index keeps copies: a decoded string may share the memory of its whole file.
	id := strings.Clone(r.ID)
	switch r.Kind {
	case schema.Group:
		a.ix.groups[id] = groupInfo{name: strings.Clone(str(m["name"])), typ: strings.Clone(str(m["type"]))}
	case schema.Incident:
		a.ix.incidents[id] = incidentInfo{title: strings.Clone(str(m["title"])), event: str(m["kind"]) == kindEvent}
		for _, rel := range items(m, "related") {
			a.ix.link(id, str(rel["relation"]), strings.Clone(str(rel["incident"])))
		}
	}
	f := &a.facts
	*f = facts{rec: m}
	done := false
	for _, t := range a.tables {
		spec := t.analysis
		if spec.kind != r.Kind || (spec.only != "" && spec.only != str(m["kind"])) {
			continue
		}
		if !done {
			f.date = readDate(m["date"])
			if r.Kind == schema.Incident {
				f.tallies = tallies(m)
			}
			done = true
		}
		row := make([]Cell, len(t.Columns))
		for i, c := range spec.cols {
			if c.get == nil {
				row[i] = Cell{Null: true}
				continue
			}
			v, err := c.get(f)
			if err != nil {
				return fmt.Errorf("%w: %s: %s.%s: %w", ErrData, r.File, t.Name, t.Columns[i].Name, err)
			}
			row[i] = v
		}
		if err := a.spill(t, row); err != nil {
			return err
		}
	}
	return nil
}

// tallies counts each outcome of an incident's figures.
func tallies(m map[string]any) map[string]tally {
	by := map[string][]figure{}
	for _, c := range items(m, "casualties") {
		f := readFigure(c)
		by[f.outcome] = append(by[f.outcome], f)
	}
	out := make(map[string]tally, len(by))
	for o, figs := range by {
		out[o] = countOutcome(figs)
	}
	return out
}

func (a *analysis) spill(t *Table, row []Cell) error {
	o := a.outs[t]
	if o == nil {
		o = &tableOut{t: t, widths: make([]int, len(t.Columns))}
		if err := o.startSpill(a.tmpDir); err != nil {
			return err
		}
		a.outs[t] = o
	}
	o.rows++
	if err := writeSpillRow(o.sw, row); err != nil {
		return o.spillFail(t.Name+".csv", err)
	}
	return nil
}

// finish completes the rows with what the other records say and hands them to emit, table
// by table, then removes the spill files.
func (a *analysis) finish(emit emitFunc) error {
	if a == nil {
		return nil
	}
	defer a.close()
	a.sum = newCountSummary(&a.ix)
	for _, t := range a.tables {
		o := a.outs[t]
		if o == nil {
			continue
		}
		s, err := o.sheet()
		if err != nil {
			return err
		}
		for range o.rows {
			row, err := s.next()
			if err != nil {
				return err
			}
			for i, c := range t.analysis.cols {
				if c.late == nil {
					continue
				}
				if row[i], err = c.late(&a.ix, row); err != nil {
					return fmt.Errorf("%w: %s %s: %s: %w", ErrData, t.Name, row[0].Value, t.Columns[i].Name, err)
				}
			}
			a.sum.add(t, row)
			if err := emit(t, slices.Clone(row)); err != nil {
				return err
			}
		}
	}
	return nil
}

// close removes the spill files and lets the index go.
func (a *analysis) close() {
	if a == nil {
		return
	}
	a.ix = crossIndex{}
	for t, o := range a.outs {
		o.removeSpill()
		delete(a.outs, t)
	}
}

// summary is what finish found for the README sheet (nil before finish).
func (a *analysis) summary() *countSummary {
	if a == nil {
		return nil
	}
	return a.sum
}
