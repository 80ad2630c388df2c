package export

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/apmd-data/apmd/schema"
)

// countSummary is what the README sheet's "Before you count" block says of the data: row
// counts, sums, and the cases that trip a default count, gathered as the analysis rows go by.
type countSummary struct {
	rows        map[string]int   // table → rows
	total       map[string]int64 // "events.killed_best" → its sum
	has         map[string]bool  // a sum has at least one value
	withYear    int              // events with a year
	withReading int              // events with a year_best from a reading only
	multiPerp   map[string]int   // table → rows with several perpetrator groups
	partOf      int              // events part of an aggregate
	pairs       map[[2]string]bool
	flagged     map[string]int // "conflict" / "partial" → events with such a killed figure
	outside     []string       // "title (table, countries)"
	stateActors []string       // names of the groups of type state_actor
}

func newCountSummary(ix *crossIndex) *countSummary {
	s := &countSummary{rows: map[string]int{}, total: map[string]int64{}, has: map[string]bool{},
		multiPerp: map[string]int{}, pairs: map[[2]string]bool{}, flagged: map[string]int{}}
	for _, g := range ix.groups {
		if g.typ == schema.GroupStateActor {
			s.stateActors = append(s.stateActors, g.name)
		}
	}
	slices.Sort(s.stateActors)
	return s
}

// summed are the columns whose sums over events the block gives.
var summed = []string{"killed_best", "killed_low", "injured_best", "injured_low"}

// add takes one finished row of an analysis table.
func (s *countSummary) add(t *Table, row []Cell) {
	s.rows[t.Name]++
	if t.Name != tableEvents && t.Name != tableAggregates {
		return
	}
	get := func(name string) Cell {
		if i := columnIndex(t, name); i >= 0 {
			return row[i]
		}
		return Cell{Null: true}
	}
	list := func(name string) []string {
		if c := get(name); !c.Null {
			return strings.Split(c.Value, Separator)
		}
		return nil
	}
	var away []string
	for _, code := range list("country") {
		if !slices.Contains(homeCountries, code) {
			away = append(away, code)
		}
	}
	if len(away) > 0 {
		s.outside = append(s.outside, fmt.Sprintf("%s (%s, %s)", get("title").Value, t.Name, strings.Join(away, ", ")))
	}
	for _, rel := range []string{"possibly_same_as", "same_as"} {
		for _, other := range list(rel) {
			p := [2]string{row[0].Value, other}
			slices.Sort(p[:])
			s.pairs[p] = true
		}
	}
	if len(list("perpetrator_group_ids")) > 1 {
		s.multiPerp[t.Name]++
	}
	if t.Name != tableEvents {
		return
	}
	for _, name := range summed {
		if c := get(name); !c.Null {
			n, _ := strconv.ParseInt(c.Value, 10, 64)
			s.total[name] += n
			s.has[name] = true
		}
	}
	if !get("year").Null {
		s.withYear++
	} else if !get("year_best").Null {
		s.withReading++
	}
	if !get("part_of").Null {
		s.partOf++
	}
	for _, f := range list("killed_flags") {
		s.flagged[f]++
	}
}

// sums says what the best and low columns of outcomes sum to over events.
func (s *countSummary) sums(outcomes ...string) string {
	var parts []string
	for _, o := range outcomes {
		best, low := o+"_best", o+"_low"
		switch {
		case !s.has[best] && !s.has[low]:
			parts = append(parts, "no event has a figure of people "+o)
		case !s.has[best]:
			parts = append(parts, fmt.Sprintf("%s sums to %d (%s is blank in every row)", low, s.total[low], best))
		default:
			parts = append(parts, fmt.Sprintf("%s sums to %d and %s to %d", best, s.total[best], low, s.total[low]))
		}
	}
	return strings.Join(parts, "; ")
}

// count writes n and a noun, singular when n is 1.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// beforeYouCount is the README sheet's block on counting: what a row is, which rows to sum,
// dates and readings, several perpetrators, state actors, incidents outside the area. Its
// numbers are the data's; the rule itself is docs/counting.md.
func beforeYouCount(s *countSummary) [][2]string {
	ev, ag := s.rows[tableEvents], s.rows[tableAggregates]
	out := [][2]string{
		{"What a row is", fmt.Sprintf("events has one row per single event (%s); aggregates one row per aggregate (%s): several events a source reports only in summary ('dozens of attacks'), with event_count_* saying how many, as the source words it. Count events by counting rows of events. Never add the two tables together: %s part of an aggregate (events.part_of, aggregates.event_ids), whose figures may already hold theirs.",
			count(ev, "row", "rows"), count(ag, "row", "rows"), count(s.partOf, "event is", "events are"))},
		{"Which rows to sum", fmt.Sprintf("Sum killed_best (or killed_low, injured_best…) over the rows of events. Each is one figure per event by one rule: a total counts once, its components never (they are inside it); where sources give different totals, best is the lowest, low–high spans them and killed_flags says 'conflict'; where no source gives a total, the partial figures (a victim category, named victims) give a lower bound, flagged 'partial'. Over events, %s. Do not sum the casualties table: it keeps every figure as its source words it, totals beside their components.",
			s.sums("killed", "injured"))},
		{"Blank and doubtful figures", fmt.Sprintf("A blank best is a figure the wording gives no number for ('deadly', 'dozens', 'key leaders'); the low still counts it, so summed lows can exceed summed bests. killed_basis says whether figures rest only on a party's claim ('claimed') or are only implied by the wording ('implied'): filter on it to leave them out. Events whose killed figure is flagged: conflict %d, partial %d. killed_casualty_ids names the figures used; each is a row of casualties, and its quotes are the evidence rows of its incident.",
			s.flagged[flagConflict], s.flagged[flagPartial])},
		{"Best figures", "best is the number the source states: exact N, at least N and about N give N. For 'more than N' (\"over 113\") best is the least value the wording allows, N + 1, flagged killed_best_derived: ACLED records the most conservative figure and GTD a single confirmed figure, and N itself is what the wording rules out. Where the wording gives no number ('dozens', 'deadly', 'key leaders'), best is blank, as GTD leaves nkill blank without a usable figure, and only low counts (2 for 'several', 24 for 'dozens', 1 for 'deadly'). A named victim ('claimed the life of …') is at least one death, never an exact count with a ceiling (UCDP: best 1, no high). The rule for every qualifier is in the Codebook (count_qualifier) and docs/counting.md."},
		{"Possible duplicates", fmt.Sprintf("%s linked possibly_same_as or same_as (both rows stay; each names the other). Drop one of each pair for a lower bound on events and deaths.",
			count(len(s.pairs), "pair of incidents is", "pairs of incidents are"))},
		{"Dates and readings", fmt.Sprintf("year is set only where the text fixes the year (both strict bounds, date_start and date_end, lie in one year): %d of %s. Where the curators read the text more narrowly, the reading is in reading_start, reading_end and reading_year, never in the bounds, and the inferences table gives the reasoning. year_best is year, else reading_year, and year_basis says which ('text' or 'reading'); a reading gives a year_best to %s that the text leaves without a year. Group by year_best for a per-year table; keep year_basis 'text' for stated years only. Dates are ISO text, partial where the source is (2021-08), never padded to a made-up day.",
			s.withYear, count(ev, "event", "events"), count(s.withReading, "event", "events"))},
		{"Several perpetrators", fmt.Sprintf("An incident can have several perpetrator groups (%s and %s do): perpetrator_group_ids lists them all, joined with \"%s\", so a per-group sum counts the incident once for each group. Split the list (pandas: .str.split(\"%s\", regex=False) then .explode()) and decide whether that is what you want. Groups that only inspired the attacker are in inspired_group_ids, never among the perpetrators. claimed is true only where a perpetrator's attribution is 'claimed' (the group itself claimed it); the claims themselves are rows of claims_flat.",
			count(s.multiPerp[tableEvents], "event", "events"), count(s.multiPerp[tableAggregates], "aggregate", "aggregates"), Separator, Separator)},
	}
	if len(s.stateActors) > 0 {
		out = append(out, [2]string{"State actors among groups", fmt.Sprintf("The groups table holds states and their forces beside armed groups (type 'state_actor': %s). Their operations are incidents like any other; filter on perpetrator_group_types to keep non-state actors only. Groups attacked (e.g. operations against a group) are in target_group_ids.",
			strings.Join(s.stateActors, ", "))})
	}
	if len(s.outside) > 0 {
		out = append(out, [2]string{"Outside the area", fmt.Sprintf("Some incidents lie outside %s: %s. Filter on country to keep the area.",
			strings.Join(homeCountries, " and "), strings.Join(s.outside, "; "))})
	}
	return out
}
