package export

import (
	"fmt"
	"slices"
	"strings"

	"github.com/apmd-data/apmd/schema"
)

// The analysis tables come before the normalised ones: one row per single event, one per
// aggregate, one per claim, with names beside ids and one killed and one injured figure per
// incident by the counting rule (counting.go), so that a researcher's default sum() or
// per-year table gives the right answer. Their columns take titles, descriptions and allowed
// values from the schema where a column copies a property; a computed column's description is
// written beside its computation, in these files. Every value leads back to record ids and figure ids.
//
// This file holds what the three tables share: their names, how a table is laid out (a
// builder that adds a column and the function that fills it), the kinds of column (a copied
// value, a list, group names beside ids, the date) and the record readers they use. The
// columns of each table are in analysis_incidents.go (events, aggregates) and
// analysis_claims.go (claims_flat); how the rows are made, in analysis_rows.go.

// Names of the analysis tables.
const (
	tableEvents     = "events"
	tableAggregates = "aggregates"
	tableClaimsFlat = "claims_flat"
)

// homeCountries is the dataset's area, as its name says (Afghanistan–Pakistan): the README
// sheet lists the incidents that lie outside it.
var homeCountries = []string{"AF", "PK"}

// analysisTables lays out the analysis tables from the schema trees of the record kinds.
func analysisTables(nodes map[schema.Kind]*schema.Node) ([]*Table, error) {
	inc, grp, clm := nodes[schema.Incident], nodes[schema.Group], nodes[schema.Claim]
	events := newAnalysisTable(tableEvents, "Events",
		"One row per single event (incidents of kind 'event'), GTD-like: date, year, place, groups with their names, and one killed and one injured figure per event by the counting rule (totals counted once, never their components). Sum its figures; never add rows of aggregates to them. Each figure names the casualty figures it is made from.",
		schema.Incident, schema.KindEvent)
	incidentColumns(events, inc, grp)
	aggregates := newAnalysisTable(tableAggregates, "Aggregates",
		"One row per aggregate: several events a source reports only in summary ('dozens of attacks'), with the number of events they stand for as the source words it, the period, places, groups and figures by the same counting rule. An aggregate's events may include rows of events (event_ids): never add the two tables' figures together.",
		schema.Incident, schema.KindAggregate)
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

// memberColumns lays out an object property of the record (a count as the source words it)
// as one column per member, named and titled after both.
func memberColumns(b *analysisBuilder, parent *schema.Node, name string) {
	n := nodeAt(parent, name)
	if n == nil {
		return
	}
	for _, p := range n.Properties {
		c := fromSchema(name+"_"+p.Name, p.Node)
		c.Title = joinTitle(n.Title, p.Title)
		b.add(c, valueAt(name, p.Name))
	}
}

// groupNames adds the column of the canonical names of the groups in column ids.
func (b *analysisBuilder) groupNames(ids int, name, title string) {
	b.add(listColumn(name, title, "The canonical names (groups.name) of "+b.t.Columns[ids].Name+", in the same order.", nil),
		names(ids, groupName))
}

// names is a late column: for each id in column ids, what name says of its group.
func names(ids int, name func(groupInfo) string) acol {
	return acol{late: func(ix *crossIndex, row []Cell) (Cell, error) {
		return joinList(mapIDs(row[ids], func(id string) string { return name(ix.groups[id]) }))
	}}
}

// groupName is what a group's names column shows of it.
func groupName(g groupInfo) string { return g.name }

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

func text(s string) Cell {
	if s == "" {
		return Cell{Null: true}
	}
	return Cell{Value: s}
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
