package synth

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/apmd-data/apmd/internal/datadir"
)

type group struct {
	idx               int
	id, name, acronym string
	variant           string // another spelling, or ""
	media             bool
	typ, typePhrase   string
	founded           int
	areas             []place
	rel               string // relation type, or ""
	relPhrase         string
	other             *group // the group of rel; for a media outlet, the group it speaks for
	outlet            *group // a group's media wing, or nil
	src               int    // index of the source that describes the group
	quotes            []string
	supports          [][]string
}

// makeGroups invents n groups with unique names and acronyms (the validator rejects a name
// shared by two groups); every fifth is the media wing of the group before it.
func makeGroups(seed uint64, n int, srcIDs []string) []*group {
	m := &groupMaker{r: rng(seed, tagGroup, 0), used: map[string]bool{}}
	seen := map[string]bool{}
	for _, p := range places {
		if !seen[p.province] {
			seen[p.province] = true
			m.provinces = append(m.provinces, p)
		}
	}
	groups := make([]*group, n)
	for i := range groups {
		gr := &group{idx: i, src: i % len(srcIDs)}
		groups[i] = gr
		if i%5 == 4 {
			m.outlet(gr, groups[i-1])
		} else {
			m.armedGroup(gr, groups[:i])
		}
		gr.id = "grp-" + datadir.Slug(gr.name)
	}
	for _, gr := range groups {
		gr.quotes, gr.supports = gr.evidence()
	}
	return groups
}

// groupMaker draws the groups of one dataset from one random stream.
type groupMaker struct {
	r         *rand.Rand
	used      map[string]bool // the names and acronyms taken, lower-cased
	provinces []place
}

// unique takes the names if none is taken yet.
func (m *groupMaker) unique(names ...string) bool {
	for _, s := range names {
		if s != "" && m.used[strings.ToLower(s)] {
			return false
		}
	}
	for _, s := range names {
		if s != "" {
			m.used[strings.ToLower(s)] = true
		}
	}
	return true
}

// outlet makes gr the media wing of parent.
func (m *groupMaker) outlet(gr, parent *group) {
	r := m.r
	for try := 0; ; try++ {
		core := groupCores[r.IntN(len(groupCores))]
		gr.name = core + " " + outletWords[r.IntN(len(outletWords))]
		if try > 20 {
			gr.name += " " + strconv.Itoa(gr.idx)
		}
		if m.unique(gr.name) {
			break
		}
	}
	gr.media, gr.typ = true, "media_outlet"
	gr.rel, gr.other = "media_wing_of", parent
	parent.outlet = gr
}

// armedGroup makes gr an armed group, with its areas and, sometimes, a relation to one of the
// groups before it.
func (m *groupMaker) armedGroup(gr *group, before []*group) {
	r := m.r
	for try := 0; !m.name(gr, try); try++ {
	}
	t := groupTypes[r.IntN(len(groupTypes))]
	gr.typ, gr.typePhrase = t.typ, t.phrase
	gr.founded = 1985 + r.IntN(16)
	a := m.provinces[r.IntN(len(m.provinces))]
	gr.areas = []place{a}
	if b := m.provinces[r.IntN(len(m.provinces))]; b.province != a.province {
		gr.areas = append(gr.areas, b)
	}
	if len(before) > 0 && r.IntN(10) < 4 {
		var others []*group
		for _, o := range before {
			if !o.media {
				others = append(others, o)
			}
		}
		rel := relations[r.IntN(len(relations))]
		gr.rel, gr.relPhrase, gr.other = rel.typ, rel.phrase, others[r.IntN(len(others))]
	}
}

// name draws a name, acronym and spelling variant for an armed group (try says how many
// drawings clashed before): true when none is taken.
func (m *groupMaker) name(gr *group, try int) bool {
	r := m.r
	pre := groupPrefixes[r.IntN(len(groupPrefixes))]
	core := groupCores[r.IntN(len(groupCores))]
	region := groupRegions[r.IntN(len(groupRegions))]
	if try > 20 {
		core += " " + strconv.Itoa(gr.idx)
	}
	gr.name = pre + "-" + core
	gr.acronym = initials(pre) + initials(core)
	if region != "" {
		gr.name += " " + region
		gr.acronym += initials(region)
	}
	if try > 20 {
		gr.acronym += strconv.Itoa(gr.idx)
	}
	gr.variant = ""
	if v := strings.Replace(gr.name, "Tehrik", "Tehreek", 1); v != gr.name {
		gr.variant = v
	}
	return m.unique(gr.name, gr.acronym, gr.variant)
}

// initials abbreviates a name part the way the sources do: "Tehrik-e" gives "Te", "Noor" gives "N".
func initials(s string) string {
	var b strings.Builder
	for i, w := range strings.Split(s, "-") {
		if w == "" {
			continue
		}
		c := w[:1]
		if i > 0 {
			c = strings.ToLower(c)
		}
		b.WriteString(c)
	}
	return b.String()
}

// mention is how an incident's text names the group: in full or by its acronym.
func (gr *group) mention(full bool) string {
	if full || gr.acronym == "" {
		return gr.name
	}
	return gr.acronym
}

func (gr *group) evidence() (quotes []string, supports [][]string) {
	if gr.media {
		quotes = append(quotes, gr.name+" is the media wing of "+gr.other.name+".")
		supports = append(supports, []string{"/name", "/names", "/type", "/relations"})
		return
	}
	q := gr.name + " (" + gr.acronym + ")"
	if gr.variant != "" {
		q += ", also spelled " + gr.variant + ","
	}
	q += " is " + gr.typePhrase + " founded in " + strconv.Itoa(gr.founded) + " that operates in " + gr.areas[0].province
	if len(gr.areas) > 1 {
		q += " and " + gr.areas[1].province
	}
	quotes = append(quotes, q+".")
	supports = append(supports, []string{"/name", "/names", "/type", "/founded", "/areas"})
	if gr.other != nil {
		quotes = append(quotes, "The "+gr.acronym+" "+gr.relPhrase+" "+gr.other.name+".")
		supports = append(supports, []string{"/relations"})
	}
	return
}

func (gr *group) record(srcIDs []string) obj {
	src := []string{srcIDs[gr.src]}
	var o obj
	o.add("id", gr.id)
	o.add("schema_version", Version)
	o.add("name", gr.name)
	names := []any{obj{{"name", gr.name}, {"kind", "full"}, {"sources", src}}}
	if gr.acronym != "" {
		names = append(names, obj{{"name", gr.acronym}, {"kind", "acronym"}, {"sources", src}})
	}
	if gr.variant != "" {
		names = append(names, obj{{"name", gr.variant}, {"kind", "variant"}, {"sources", src}})
	}
	o.add("names", names)
	o.add("type", gr.typ)
	if gr.founded > 0 {
		y := strconv.Itoa(gr.founded)
		o.add("founded", obj{{"type", "point"}, {"value", y}, {"precision", "year"}, {"text", "in " + y}})
	}
	if len(gr.areas) > 0 {
		var areas []any
		for _, a := range gr.areas {
			areas = append(areas, obj{{"country", a.country}, {"province", a.province}, {"precision", "province"}})
		}
		o.add("areas", areas)
	}
	if gr.other != nil {
		o.add("relations", []any{obj{{"type", gr.rel}, {"group", gr.other.id}}})
	}
	o.add("evidence", evidenceList(srcIDs[gr.src], gr.quotes, gr.supports))
	return o
}

func evidenceList(src string, quotes []string, supports [][]string) []any {
	out := make([]any, len(quotes))
	for i, q := range quotes {
		out[i] = obj{{"source", src}, {"quote", q}, {"supports", supports[i]}}
	}
	return out
}
