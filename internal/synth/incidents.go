package synth

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/apmd-data/apmd/internal/datadir"
)

var countryNames = map[string]string{"AF": "Afghanistan", "PK": "Pakistan"}

// head is what other records need to know of incident i without building it: its id, file
// and how it is broken. It comes from the first draws of the incident's random stream.
type head struct {
	i         int
	r         *rand.Rand
	place     place
	form      attackForm
	target    target
	precision string // "day", "month", or "interval" for an aggregate
	id, file  string
	brk       []*breakKind // the ways to try, in order; nil when the incident is not broken
	exceed    bool         // generate components that exceed their total (a break)
}

func (g *gen) head(i int) *head {
	h := &head{i: i, r: rng(g.opts.Seed, tagIncident, uint64(i))}
	r := h.r
	h.brk = g.breaks.pick(kindIncident, uint64(i), g.leaf(i))
	h.exceed = len(h.brk) > 0 && h.brk[0].Name == breakComponents
	h.place = places[r.IntN(len(places))]
	h.form = attackForms[r.IntN(len(attackForms))]
	if h.exceed {
		for h.form.eventType == "kidnapping" {
			h.form = attackForms[r.IntN(len(attackForms))]
		}
	}
	h.target = targets[r.IntN(len(targets))]
	if h.form.eventType == "armed_clash" {
		h.target = targets[r.IntN(4)] // police or military
	}
	h.precision = "day"
	switch p := r.IntN(20); {
	case p == 0 && !hasClaim(i) && !h.exceed:
		h.precision = "interval"
	case p < 3:
		h.precision = "month"
	}
	t := g.day(i)
	date := t.Format("2006-01-02")
	if h.precision != "day" {
		date = t.Format("2006-01")
	}
	where := datadir.Slug(h.place.city)
	if h.precision == "interval" {
		where = datadir.Slug(h.place.province)
	}
	h.id = "inc-" + date + "-" + where + "-" + datadir.Slug(h.form.eventType) + "-" + pad6(i)
	h.file = datadir.Folder(kindIncident) + "/" + strconv.Itoa(t.Year()) + "/" + h.id + ".json"
	return h
}

func pad6(i int) string {
	s := strconv.Itoa(i)
	if len(s) < 6 {
		s = strings.Repeat("0", 6-len(s)) + s
	}
	return s
}

// built is one incident and its claim, ready to write.
type built struct {
	rec, claim     obj
	claimID, cfile string
	para           string
	latest         int // last day (since base) any of its dates can fall on
}

func (g *gen) incident(h *head) *built {
	r, i := h.r, h.i
	src := g.srcIDs[g.sourceOf(i)]
	t := g.day(i)
	b := &built{latest: g.dayNum(i)}
	aggregate := h.precision == "interval"
	date, dateText := g.incidentDate(h, t, b)
	loc, where, title := incidentPlace(h, t, aggregate)
	attackIn := "the attack in " + h.place.city
	if aggregate {
		attackIn = "the attacks in " + h.place.province
	}

	var rec obj
	rec.add("id", h.id)
	rec.add("schema_version", Version)
	rec.add("title", title)
	eventType, method := h.form.eventType, h.form.method
	tg := h.target
	var q1 string
	if aggregate {
		rec.add("kind", "aggregate")
		eventType, method = "armed_assault", ""
		q1 = dateText + ", militants carried out dozens of attacks on " + tg.people + " " + where + "."
	} else {
		rec.add("kind", "event")
		q1 = dateText + ", " + h.form.noun + " targeted " + tg.description + " " + where + "."
	}
	rec.add("date", date)
	rec.add("locations", []any{loc})
	rec.add("event_type", eventType)
	s1 := []string{"/kind", "/date", "/locations", "/event_type"}
	if method != "" {
		rec.add("method", method)
		s1 = append(s1, "/method")
	}
	rec.add("targets", []any{obj{{"type", tg.typ}, {"description", tg.description}}})
	s1 = append(s1, "/targets")
	quotes, supports := []string{q1}, [][]string{s1}
	if p, q, ok := g.perpetrator(h, b, r, attackIn); ok {
		rec.add("perpetrators", []any{p})
		quotes = append(quotes, q)
		supports = append(supports, []string{"/perpetrators"})
	}
	cas, q := g.casualties(h, src, aggregate)
	rec.add("casualties", cas)
	quotes = append(quotes, q)
	supports = append(supports, []string{"/casualties"})
	if g.relatesToPrev(i) {
		rec.add("related", []any{obj{
			{"incident", g.head(i - 1).id},
			{"relation", "possibly_same_as"},
			{"reasoning", "Reported by the same source within days of each other; the two reports may describe the same event."},
		}})
	}
	rec.add("evidence", evidenceList(src, quotes, supports))
	b.rec = rec
	b.para = g.paragraph(i, quotes, b)
	return b
}

// incidentDate is the date of incident h (a day, a month, or two months for an aggregate),
// and its wording; it sets the last day the date may mean.
func (g *gen) incidentDate(h *head, t time.Time, b *built) (obj, string) {
	endOfMonth := func(m time.Time) int {
		last := time.Date(m.Year(), m.Month()+1, 0, 0, 0, 0, 0, time.UTC)
		return int(last.Sub(g.base).Hours() / 24)
	}
	switch h.precision {
	case "interval":
		start := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		end := start.AddDate(0, 2, 0)
		text := "Between " + monthText(start) + " and " + monthText(end)
		b.latest = endOfMonth(end)
		return obj{{"type", "interval"}, {"start", start.Format("2006-01")}, {"end", end.Format("2006-01")}, {"precision", "month"}, {"text", text}}, text
	case "month":
		text := "In " + monthText(t)
		b.latest = endOfMonth(t)
		return obj{{"type", "point"}, {"value", t.Format("2006-01")}, {"precision", "month"}, {"text", text}}, text
	}
	text := "On " + dayText(t)
	return obj{{"type", "point"}, {"value", t.Format("2006-01-02")}, {"precision", "day"}, {"text", text}}, text
}

// incidentPlace is the location of incident h, how a quote says where it was, and the title.
func incidentPlace(h *head, t time.Time, aggregate bool) (loc obj, where, title string) {
	r, pl, tg := h.r, h.place, h.target
	country := countryNames[pl.country]
	loc = obj{{"country", pl.country}, {"province", pl.province}}
	switch {
	case aggregate:
		loc = append(loc, member{"precision", "province"})
		where = "in " + pl.province + " province, " + country
		return loc, where, "Attacks on " + tg.people + " in " + pl.province + " province, " + monthText(t)
	case r.IntN(10) < 4:
		site := pl.sites[r.IntN(len(pl.sites))]
		loc = append(loc, member{"city", pl.city}, member{"place", site}, member{"precision", "place"})
		where = "at " + site + " in " + pl.city
	default:
		loc = append(loc, member{"city", pl.city}, member{"precision", "city"})
		where = "in " + pl.city
	}
	if pl.city != pl.province {
		where += ", " + pl.province
	}
	where += ", " + country
	noun := strings.TrimPrefix(strings.TrimPrefix(h.form.noun, "a "), "an ")
	return loc, where, strings.ToUpper(noun[:1]) + noun[1:] + " on " + tg.description + " in " + pl.city
}

// perpetrator is the perpetrator of incident h, if it has one, with the quote that names it;
// one incident in three is claimed (or the claim denied), and gets its claim record.
func (g *gen) perpetrator(h *head, b *built, r *rand.Rand, attackIn string) (obj, string, bool) {
	i := h.i
	if !hasClaim(i) && r.IntN(5) == 0 {
		return nil, "", false
	}
	perp := g.perps[int(float64(len(g.perps))*math.Pow(r.Float64(), 2.5))]
	p := obj{{"group", perp.id}}
	m := perp.mention(r.IntN(2) == 0)
	var q string
	switch {
	case hasClaim(i) && r.IntN(7) == 0:
		p.add("attribution", "disputed")
		q = "Officials blamed " + m + ", which denied any involvement in " + attackIn + "."
		b.claimID = "clm-" + strings.TrimPrefix(h.id, "inc-")
		b.claim = g.claim(h, b, perp, "denial", attackIn)
	case hasClaim(i):
		p.add("attribution", "claimed")
		q = m + " claimed responsibility for " + attackIn + "."
		b.claimID = "clm-" + strings.TrimPrefix(h.id, "inc-")
		b.claim = g.claim(h, b, perp, "responsibility", attackIn)
	case r.IntN(2) == 0:
		p.add("attribution", "attributed")
		q = "Officials said " + m + " carried out " + attackIn + "."
	default:
		p.add("attribution", "suspected")
		q = "Police suspect " + m + " of being behind " + attackIn + "."
	}
	if b.claim != nil {
		p.add("claims", []string{b.claimID})
	}
	return p, q, true
}

// paragraph is the passage of its source's text that reports incident i: its quotes, its
// claim's, and sometimes a sentence that supports nothing.
func (g *gen) paragraph(i int, quotes []string, b *built) string {
	para := strings.Join(quotes, " ")
	if b.claim != nil {
		cq, _ := b.claim.get("evidence")
		para += " " + cq.([]any)[0].(obj)[1].v.(string)
	}
	if n := hash(g.opts.Seed, tagIncident, uint64(i)) % uint64(2*len(fillers)); n < uint64(len(fillers)) {
		para += " " + fillers[n]
	}
	return para
}

// claim builds the claim record of incident h, dated the day of the attack or the next.
func (g *gen) claim(h *head, b *built, perp *group, typ, attackIn string) obj {
	r := h.r
	src := g.srcIDs[g.sourceOf(h.i)]
	d := g.dayNum(h.i) + r.IntN(2)
	t := g.base.AddDate(0, 0, d)
	var date obj
	var when, on string
	if h.precision == "month" {
		when, on = monthText(g.day(h.i)), "in "
		date = obj{{"type", "point"}, {"value", g.day(h.i).Format("2006-01")}, {"precision", "month"}, {"text", on + when}}
	} else {
		when, on = dayText(t), "on "
		date = obj{{"type", "point"}, {"value", t.Format("2006-01-02")}, {"precision", "day"}, {"text", on + when}}
		b.latest = max(b.latest, d)
	}
	var channel obj
	var q, statement string
	switch {
	case typ == "denial":
		channel = obj{{"kind", "spokesperson"}}
		q = "A spokesman for " + perp.name + " denied " + on + when + " that the group was involved in " + attackIn + "."
		statement = perp.name + " denied involvement in " + attackIn + "."
	case perp.outlet != nil:
		channel = obj{{"kind", "media_outlet"}, {"outlet", perp.outlet.id}}
		q = "In a statement published by " + perp.outlet.name + " " + on + when + ", " + perp.name + " said its fighters carried out " + attackIn + "."
		statement = perp.name + " claimed responsibility for " + attackIn + " through " + perp.outlet.name + "."
	default:
		channel = obj{{"kind", "spokesperson"}}
		q = "A spokesman for " + perp.name + " said " + on + when + " that the group carried out " + attackIn + "."
		statement = perp.name + " claimed responsibility for " + attackIn + "."
	}
	var o obj
	o.add("id", b.claimID)
	o.add("schema_version", Version)
	o.add("type", typ)
	o.add("claimant", obj{{"kind", "group"}, {"group", perp.id}})
	o.add("channel", channel)
	o.add("date", date)
	o.add("statement", statement)
	o.add("incidents", []string{h.id})
	o.add("groups", []string{perp.id})
	o.add("status", "unverified")
	o.add("evidence", evidenceList(src, []string{q}, [][]string{{"/type", "/claimant", "/channel", "/date", "/statement", "/incidents", "/groups"}}))
	o.add("inferences", []any{obj{{"field", "/status"}, {"reasoning", "The source reports the statement but neither confirms nor disputes it, so the claim is left unverified."}}})
	b.cfile = datadir.Folder(kindClaim) + "/" + strconv.Itoa(g.day(h.i).Year()) + "/" + b.claimID + ".json"
	return o
}

// casualties returns the incident's casualty figures and the sentence that reports them: a
// total, sometimes with components (which add up to at most the total, unless the incident
// is broken that way), and sometimes the injured.
func (g *gen) casualties(h *head, src string, aggregate bool) ([]any, string) {
	r := h.r
	casID := "cas-" + strings.TrimPrefix(h.id, "inc-") + "-"
	figure := func(k int, outcome, victims string, c obj) obj {
		return obj{{"id", casID + strconv.Itoa(k)}, {"outcome", outcome}, {"victims", victims}, {"count", c}, {"source", src}}
	}
	subject := "The attack"
	if aggregate {
		subject = "The attacks"
	}
	tg := h.target
	if h.form.eventType == "kidnapping" {
		c, text := count(r, heavyTail(r), plainQualifiers)
		return []any{figure(1, "abducted", tg.victims, c)}, "The abductors seized " + phrase(text) + " " + tg.people + "."
	}
	var out []any
	var s string
	components := h.exceed || (!aggregate && r.IntN(10) < 3)
	if components {
		c, text := count(r, 4+heavyTail(r), boundedQualifiers)
		out = append(out, figure(1, "killed", "all_victims", c))
		upper, _ := c.get("high")
		if upper == nil {
			upper, _ = c.get("best")
		}
		u := upper.(int)
		c1 := 1 + r.IntN(max(1, u/2))
		if h.exceed {
			c1 = u + 1 + r.IntN(5)
		}
		s = subject + " killed " + phrase(text) + " people, including " + strconv.Itoa(c1) + " " + tg.people
		f := figure(2, "killed", tg.victims, exact(c1))
		f = append(f, member{"component_of", casID + "1"})
		out = append(out, f)
		if c2 := u - c1; c2 > 0 && tg.victims != "civilians" && r.IntN(2) == 0 {
			c2 = 1 + r.IntN(c2)
			s += " and " + strconv.Itoa(c2) + " civilians"
			f := figure(3, "killed", "civilians", exact(c2))
			f = append(f, member{"component_of", casID + "1"})
			out = append(out, f)
		}
	} else {
		c, text := count(r, heavyTail(r), allQualifiers)
		out = append(out, figure(1, "killed", tg.victims, c))
		if text == "deadly" {
			s = "The deadly " + strings.ToLower(subject[4:]) + " left an unknown number of " + tg.people + " dead"
		} else {
			s = subject + " killed " + phrase(text) + " " + tg.people
		}
	}
	if r.IntN(2) == 0 {
		c, text := count(r, 2*heavyTail(r), plainQualifiers)
		out = append(out, figure(len(out)+1, "injured", "all_victims", c))
		if components {
			s += ","
		}
		s += " and injured " + phrase(text) + " others"
	}
	return out, s + "."
}

// heavyTail draws a casualty number: mostly small, sometimes in the hundreds, as in GTD.
func heavyTail(r *rand.Rand) int {
	return 2 + min(600, int(math.Exp(r.NormFloat64()*1.1+1.3)))
}

type qualifier struct {
	name   string
	weight int
}

var (
	allQualifiers = []qualifier{{"exact", 45}, {"at_least", 15}, {"more_than", 8}, {"approximately", 8}, {"range", 5},
		{"at_most", 3}, {"fewer_than", 2}, {"several", 5}, {"many", 5}, {"unspecified", 4}}
	// boundedQualifiers give a best or a high, which components are checked against.
	boundedQualifiers = []qualifier{{"exact", 50}, {"at_least", 20}, {"more_than", 10}, {"approximately", 10}, {"range", 10}}
	plainQualifiers   = []qualifier{{"exact", 50}, {"at_least", 20}, {"more_than", 10}, {"approximately", 10}, {"several", 10}}
)

func exact(n int) obj {
	return obj{{"low", n}, {"best", n}, {"high", n}, {"qualifier", "exact"}, {"text", strconv.Itoa(n)}}
}

// count words the number n with a qualifier drawn from qs and sets the bounds by the rule in
// the schema's count_qualifier description.
func count(r *rand.Rand, n int, qs []qualifier) (obj, string) {
	total := 0
	for _, q := range qs {
		total += q.weight
	}
	pick := r.IntN(total)
	var name string
	for _, q := range qs {
		if pick < q.weight {
			name = q.name
			break
		}
		pick -= q.weight
	}
	N := strconv.Itoa(n)
	c := func(text string, bounds ...member) (obj, string) {
		o := obj(bounds)
		o = append(o, member{"qualifier", name}, member{"text", text})
		return o, text
	}
	switch name {
	case "more_than":
		return c([]string{"more than ", "over "}[r.IntN(2)]+N, member{"low", n + 1}, member{"best", n + 1})
	case "at_least":
		return c("at least "+N, member{"low", n}, member{"best", n})
	case "approximately":
		return c([]string{"about ", "nearly ", "some "}[r.IntN(3)]+N, member{"best", n})
	case "at_most":
		return c("up to "+N, member{"high", n})
	case "fewer_than":
		return c("fewer than "+N, member{"high", n - 1})
	case "range":
		hi := n + 1 + r.IntN(n/2+1)
		return c("between "+N+" and "+strconv.Itoa(hi), member{"low", n}, member{"high", hi})
	case "several":
		return c("several", member{"low", 2})
	case "many":
		if n >= 200 {
			return c("hundreds", member{"low", 200})
		}
		return c("dozens", member{"low", 24})
	case "unspecified":
		return c("deadly", member{"low", 1})
	}
	return c(N, member{"low", n}, member{"best", n}, member{"high", n})
}

// phrase puts a count's wording into a sentence: "dozens" reads "dozens of".
func phrase(text string) string {
	if text == "dozens" || text == "hundreds" {
		return text + " of"
	}
	return text
}
