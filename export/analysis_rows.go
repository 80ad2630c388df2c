package export

import (
	"fmt"
	"slices"
	"strings"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/schema"
)

// How the rows of the analysis tables are made as the records go by: the cross index of
// groups, incidents and their links, the part of each row a record gives (spilled to a file),
// and finish, which completes the rows from the index and hands them on. The layout of the
// tables is in analysis.go, analysis_incidents.go and analysis_claims.go.

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
	schema.RelationPartOf:         {schema.RelationPartOf, schema.RelationIncludes},
	schema.RelationIncludes:       {schema.RelationIncludes, schema.RelationPartOf},
	schema.RelationPossiblySameAs: {schema.RelationPossiblySameAs, schema.RelationPossiblySameAs},
	schema.RelationSameAs:         {schema.RelationSameAs, schema.RelationSameAs},
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
		a.ix.groups[id] = groupInfo{name: strings.Clone(str(m[schema.FieldName])), typ: strings.Clone(str(m[schema.FieldType]))}
	case schema.Incident:
		a.ix.incidents[id] = incidentInfo{title: strings.Clone(str(m[schema.FieldTitle])), event: str(m[schema.FieldKind]) == schema.KindEvent}
		for _, rel := range items(m, schema.FieldRelated) {
			a.ix.link(id, str(rel[schema.FieldRelation]), strings.Clone(str(rel[schema.FieldIncident])))
		}
	}
	f := &a.facts
	*f = facts{rec: m}
	done := false
	for _, t := range a.tables {
		spec := t.analysis
		if spec.kind != r.Kind || (spec.only != "" && spec.only != str(m[schema.FieldKind])) {
			continue
		}
		if !done {
			f.date = readDate(m[schema.FieldDate])
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
