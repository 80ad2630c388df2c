package validate

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/internal/jsonpos"
	"github.com/apmd-data/apmd/schema"
)

// refsCheck checks ids and the references between records, found by the shared definitions
// they use (source_id, group_id, incident_id, claim_id, casualty_id).
var refsCheck = &Check{
	Name:  "references",
	Doc:   "ids are unique and every reference names a record (or, inside an incident, a casualty figure) that exists",
	Rules: []*Rule{ruleIDDuplicate, ruleRefUnresolved, ruleRefSelf},
	Run:   collectRefs,
	Facts: refFacts,
	Cross: checkRefs,
}

// refsOf is what the references check keeps of a record: its casualty figures' ids and its
// references to other records not resolved yet (see Index.resolved), each with its place.
type refsOf struct {
	casualties []casualty
	refs       []reference
}

// casualty is the id of a casualty figure with its place. An id made the usual way, from its
// incident's ("cas-2024-12-11-x-1" in inc-2024-12-11-x), is kept as its number alone (id is
// ""): a large dataset has hundreds of thousands.
type casualty struct {
	ptr string
	at  place
	id  string
	n   int32
}

// keepCasualty returns what the references check keeps of casualty id s of incident inc.
func keepCasualty(inc string, c located) casualty {
	stem := datadir.CasualtyPrefix + strings.TrimPrefix(inc, datadir.Prefix(schema.Incident)) + "-"
	if rest, ok := strings.CutPrefix(c.value, stem); ok {
		if n, err := strconv.Atoi(rest); err == nil && n >= 0 && n <= math.MaxInt32 && strconv.Itoa(n) == rest {
			return casualty{ptr: c.ptr, at: c.at, n: int32(n)}
		}
	}
	return casualty{ptr: c.ptr, at: c.at, id: strings.Clone(c.value)}
}

// value returns the id of a casualty figure of incident inc.
func (c casualty) value(inc string) string {
	if c.id != "" {
		return c.id
	}
	return datadir.CasualtyPrefix + strings.TrimPrefix(inc, datadir.Prefix(schema.Incident)) + "-" + strconv.Itoa(int(c.n))
}

// located is a string value of a record with its place.
type located struct {
	ptr   string
	at    place
	value string
}

// reference is a reference to another record; the prefix of the id it names says the kind.
type reference = located

var refFacts = &Facts[refsOf]{}

func collectRefs(p *Pass) {
	if !p.content() {
		return
	}
	var kept refsOf
	var casualties []located // the ids of the incident's casualty figures
	var local []reference    // references to casualty figures, which live in the same incident
	for _, d := range p.Defs() {
		s, ok := d.v.(string)
		if !ok || !strings.HasSuffix(d.node.Def, "_id") {
			continue
		}
		kind := strings.TrimSuffix(d.node.Def, "_id")
		prefix := datadir.Prefix(schema.Kind(kind))
		if kind == "casualty" {
			prefix = datadir.CasualtyPrefix
		}
		switch {
		case d.name == schema.FieldID:
			if kind == "casualty" {
				casualties = append(casualties, located{d.ptr, p.Pos(d.ptr), s})
			}
		case s == p.Record.ID && kind != string(schema.Source):
			p.Reportf(ruleRefSelf, d.ptr, "%q refers to this record itself: refer to another %s", s, kind)
		case !datadir.IsSlug(s) || !strings.HasPrefix(s, prefix):
			// a malformed id is a schema finding, with its own suggestion
		case kind == "casualty":
			local = append(local, located{ptr: d.ptr, value: s})
		case p.index.resolves(s):
			// settled: the record it names is there already
		default:
			kept.refs = append(kept.refs, located{d.ptr, p.Pos(d.ptr), p.intern(s)})
		}
	}
	checkCasualtyRefs(p, casualties, local)
	if len(casualties) > 0 || len(kept.refs) > 0 {
		// Exact sizes: a large dataset keeps millions of references.
		var buf [8]casualty // most incidents have fewer figures: no garbage
		cs := buf[:0]
		for _, c := range casualties {
			cs = append(cs, keepCasualty(p.Record.ID, c))
		}
		kept.casualties, kept.refs = keepSlice(p, cs), keepSlice(p, kept.refs)
		refFacts.Keep(p, &kept)
	}
}

// checkCasualtyRefs checks the references to casualty figures, which live in the same incident.
func checkCasualtyRefs(p *Pass, casualties []located, refs []reference) {
	var ids []string
	for _, c := range casualties {
		ids = append(ids, c.value)
	}
	for _, r := range refs {
		found := false
		for _, id := range ids {
			found = found || id == r.value
		}
		switch {
		case strings.HasSuffix(r.ptr, "/"+schema.FieldComponentOf) && r.value == casualtyIDAt(p.Object, r.ptr):
			p.Reportf(ruleRefSelf, r.ptr, "casualty figure %q is given as a component of itself: name the total it is part of, or remove component_of", r.value)
		case !found:
			p.Reportf(ruleRefUnresolved, r.ptr, "no casualty figure %q in this incident (its figures: %s): refer to one of them.%s",
				r.value, quoteList(ids), didYouMean(r.value, ids))
		}
	}
}

// casualtyIDAt returns the id of the casualty figure that holds the member at ptr.
func casualtyIDAt(obj map[string]any, ptr string) string {
	v, _ := jsonpos.Resolve(obj, jsonpos.ParentPointer(ptr)+"/"+schema.FieldID)
	s, _ := v.(string)
	return s
}

func checkRefs(x *Index) error {
	reportDuplicateIDs(x)
	u := &unresolved{x: x}
	for _, r := range x.records {
		f, ok := refFacts.Of(r)
		if !ok {
			continue
		}
		for _, t := range targets(f.refs) {
			kind := datadir.KindOfPrefix(t.value)
			if x.resolves(t.value) {
				continue
			}
			why := u.why(string(kind), t.value)
			for _, ref := range f.refs {
				if ref.value == t.value {
					x.Reportf(ruleRefUnresolved, r.file, ref.at, ref.ptr, "no %s record has the id %q. %s", kind, t.value, why)
				}
			}
		}
	}
	return nil
}

// targets returns the distinct records references name, in the order they are first named.
func targets(refs []reference) []reference {
	var out []reference
	for _, r := range refs {
		dup := false
		for _, t := range out {
			dup = dup || t.value == r.value
		}
		if !dup {
			out = append(out, r)
		}
	}
	return out
}

// reportDuplicateIDs reports every record, and every casualty figure, whose id an earlier one
// (by path) already has: on both, so that the one a pull request adds is annotated wherever the
// two sort.
func reportDuplicateIDs(x *Index) {
	// The casualty figures of the records, by id then in the order of the records: each id's
	// first figure comes first. A large dataset has hundreds of thousands.
	type figure struct {
		id   string
		r, i int32 // the record (its index in x.records) and the figure (in its casualties)
	}
	var figures []figure
	for ri, r := range x.records {
		if r.id == "" || r.kind == schema.Manifest || !r.decoded {
			continue
		}
		if first := x.first(r.id); first != r {
			x.Reportf(ruleIDDuplicate, r.file, r.idPos, "/"+schema.FieldID,
				"id %q is already the id of %s: ids must be unique; give this record another id (and rename its file)", r.id, first.file)
			x.Reportf(ruleIDDuplicate, first.file, first.idPos, "/"+schema.FieldID,
				"id %q is also the id of %s: ids must be unique; give one of the two records another id (and rename its file)", r.id, r.file)
			continue
		}
		if f, _ := refFacts.Of(r); f != nil {
			for i, c := range f.casualties {
				figures = append(figures, figure{c.value(r.id), int32(ri), int32(i)})
			}
		}
	}
	slices.SortFunc(figures, func(a, b figure) int {
		return cmp.Or(strings.Compare(a.id, b.id), cmp.Compare(a.r, b.r), cmp.Compare(a.i, b.i))
	})
	casualtyOf := func(g figure) (*record, casualty) {
		r := x.records[g.r]
		f, _ := refFacts.Of(r)
		return r, f.casualties[g.i]
	}
	for first, k := 0, 1; k < len(figures); k++ {
		if figures[k].id != figures[first].id {
			first = k
			continue
		}
		fr, fc := casualtyOf(figures[first])
		r, c := casualtyOf(figures[k])
		id := figures[k].id
		x.Reportf(ruleIDDuplicate, r.file, c.at, c.ptr,
			"casualty id %q is already used in %s: casualty ids are unique across the dataset; give this figure another id", id, fr.file)
		if fr.file != r.file {
			x.Reportf(ruleIDDuplicate, fr.file, fc.at, fc.ptr,
				"casualty id %q is also used in %s (at %s): casualty ids are unique across the dataset; give one of the two figures another id", id, r.file, c.ptr)
		}
	}
}

// unresolved explains references to records that do not exist. A file named like the missing
// id is usually a record whose id or syntax is broken: saying so points at the real mistake
// rather than at every reference to it. The file stems and the ids of each kind (for
// suggestions) are gathered at the first unresolved reference: a valid dataset never needs them.
type unresolved struct {
	x     *Index
	stems map[string]*record
	idsOf map[string][]string // kind → ids
	n     int
}

func (u *unresolved) why(kind, id string) string {
	if u.stems == nil {
		u.stems, u.idsOf = map[string]*record{}, map[string][]string{}
		for _, r := range u.x.records {
			u.stems[stemOf(r.file)] = r
			if r.id != "" && u.x.first(r.id) == r {
				k := string(datadir.KindOfPrefix(r.id))
				u.idsOf[k] = append(u.idsOf[k], r.id)
			}
		}
	}
	folder := datadir.Folder(schema.Kind(kind))
	why := fmt.Sprintf("Refer to an existing %s (ids are the file names under %s/ without .json), or add the record", kind, folder)
	if s := u.stems[id]; s != nil && !s.decoded {
		return fmt.Sprintf("%s, which would define it, cannot be read: fix the errors reported for it", s.file)
	} else if s != nil && s.id != id {
		return fmt.Sprintf("%s has the id %q instead: correct one of the two", s.file, s.id)
	}
	if u.n++; u.n <= 500 {
		// Suggestions cost a scan of the ids; a dataset with thousands of broken references
		// gets them for the first few hundred only.
		why = strings.TrimPrefix(didYouMean(id, u.idsOf[kind])+" ", " ") + why
	}
	return why
}

// namesCheck checks the names of groups across records.
var namesCheck = &Check{
	Name:  "names",
	Doc:   "no name belongs to two groups",
	Rules: []*Rule{ruleGroupNameShare},
	Run:   collectNames,
	Facts: nameFacts,
	Cross: checkNames,
}

// nameFacts keeps a group's names (name and names[].name), with their places.
var nameFacts = &Facts[[]located]{}

func collectNames(p *Pass) {
	if !p.content() || p.Kind != schema.Group {
		return
	}
	var names []located
	if s, ok := p.Object[schema.FieldName].(string); ok {
		names = append(names, located{"/" + schema.FieldName, p.Pos("/" + schema.FieldName), strings.Clone(s)})
	}
	list, _ := p.Object[schema.FieldNames].([]any)
	for i, e := range list {
		m, _ := e.(map[string]any)
		if s, ok := m[schema.FieldName].(string); ok {
			ptr := fmt.Sprintf("/%s/%d/%s", schema.FieldNames, i, schema.FieldName)
			names = append(names, located{ptr, p.Pos(ptr), strings.Clone(s)})
		}
	}
	names = keepSlice(p, names)
	nameFacts.Keep(p, &names)
}

func checkNames(x *Index) error {
	type owner struct {
		id, file, name, ptr string
		at                  place
	}
	owners := map[string]owner{}
	for _, r := range x.records {
		names, ok := nameFacts.Of(r)
		if !ok || r.kind != schema.Group || x.first(r.id) != r {
			continue
		}
		for _, n := range *names {
			key := strings.ToLower(normalized(n.value)) // the white space normalised as quotes are
			first, ok := owners[key]
			switch {
			case !ok:
				owners[key] = owner{r.id, r.file, n.value, n.ptr, n.at}
			case first.id != r.id:
				// On both groups: the pull request may add either.
				const msg = "the name %q is also a name of %s (%s, as %q): one name cannot belong to two groups; if both records are the same group merge them, otherwise keep the name only on the group the sources mean"
				x.Reportf(ruleGroupNameShare, r.file, n.at, n.ptr, msg, n.value, first.id, first.file, first.name)
				x.Reportf(ruleGroupNameShare, first.file, first.at, first.ptr, msg, first.name, r.id, r.file, n.value)
			}
		}
	}
	return nil
}
