package export

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/apmd-data/apmd"
	"github.com/xuri/excelize/v2"
)

// countingDir is a dataset that exercises every branch of the counting rule of
// docs/counting.md (see its manifest's description).
const countingDir = "../testdata/export/counting"

// streamTo exports a dataset folder with Stream, every format, into a new folder.
func streamTo(t *testing.T, fsys fs.FS) string {
	t.Helper()
	return exportTo(t, fsys, Options{}).dir
}

// csvTable reads an exported CSV file as maps from column name to cell, keyed by id.
func csvTable(t *testing.T, file string) (header []string, rows map[string]map[string]string, ids []string) {
	t.Helper()
	header, recs := readCSV(t, file)
	rows = map[string]map[string]string{}
	for _, r := range recs {
		m := map[string]string{}
		for i, v := range r {
			m[header[i]] = unneutralize(v)
		}
		rows[m["id"]] = m
		ids = append(ids, m["id"])
	}
	return header, rows, ids
}

// handRecords reads the records of one kind folder with encoding/json, apart from the
// exporter's own reading.
func handRecords(t *testing.T, fsys fs.FS, folder string) []map[string]any {
	t.Helper()
	var out []map[string]any
	err := fs.WalkDir(fsys, folder, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".json" {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, m)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// handCount is the counting rule of docs/counting.md written again, as plainly as it reads,
// from the records alone: for one incident and one outcome, the cells its row must hold.
func handCount(inc map[string]any, outcome string) map[string]string {
	type fig struct {
		id, source, basis string
		low, best, high   *float64
		derived           bool
	}
	num := func(c map[string]any, k string) *float64 {
		if v, ok := c[k].(float64); ok {
			return &v
		}
		return nil
	}
	var totals, partials []fig
	cas, _ := inc["casualties"].([]any)
	for _, x := range cas {
		c := x.(map[string]any)
		if c["outcome"] != outcome {
			continue
		}
		count := c["count"].(map[string]any)
		f := fig{id: c["id"].(string), source: c["source"].(string), low: num(count, "low"), best: num(count, "best"), high: num(count, "high")}
		f.derived = count["qualifier"] == "more_than" && f.best != nil
		f.basis, _ = c["basis"].(string)
		if f.basis == "" {
			f.basis = "reported"
			if count["qualifier"] == "unspecified" {
				f.basis = "implied"
			}
		}
		role, _ := c["role"].(string)
		if role == "" { // schema 1.0.0: derived
			switch {
			case c["component_of"] != nil:
				role = "component"
			case c["victims"] == "all_victims":
				role = "total"
			default:
				role = "partial"
			}
		}
		switch role {
		case "total":
			totals = append(totals, f)
		case "partial":
			partials = append(partials, f)
		}
	}
	out := map[string]string{}
	show := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	var used []fig
	var low, best, high *float64
	derived := false
	switch {
	case len(totals) > 0:
		used = totals
		low, high = totals[0].low, totals[0].high
		for _, f := range totals {
			if low == nil || f.low == nil {
				low = nil
			} else if *f.low < *low {
				low = f.low
			}
			if high == nil || f.high == nil {
				high = nil
			} else if *f.high > *high {
				high = f.high
			}
			if show(f.low)+"/"+show(f.best)+"/"+show(f.high) != show(totals[0].low)+"/"+show(totals[0].best)+"/"+show(totals[0].high) {
				out["flags"] = "conflict"
			}
		}
		for _, f := range totals {
			if f.best != nil && (best == nil || *f.best < *best) {
				best = f.best
			}
		}
		if best != nil {
			derived = true
			for _, f := range totals {
				if f.best != nil && *f.best == *best && !f.derived {
					derived = false
				}
			}
		}
	case len(partials) > 0:
		used = partials
		out["flags"] = "partial"
		sources := map[string][]fig{}
		for _, f := range partials {
			sources[f.source] = append(sources[f.source], f)
		}
		for _, figs := range sources {
			var sumLow, sumBest float64
			hasLow, hasBest, der := false, true, false
			for _, f := range figs {
				if f.low != nil {
					sumLow += *f.low
					hasLow = true
				}
				if f.best == nil {
					hasBest = false
				} else {
					sumBest += *f.best
				}
				der = der || f.derived
			}
			if hasLow && (low == nil || sumLow > *low) {
				low = &sumLow
			}
			if hasBest {
				if best == nil || sumBest > *best {
					best, derived = &sumBest, der
				} else if sumBest == *best {
					derived = derived && der
				}
			}
		}
	}
	out["low"], out["best"], out["high"] = show(low), show(best), show(high)
	if best != nil {
		out["best_derived"] = strconv.FormatBool(derived)
	}
	var ids, bases []string
	for _, f := range used {
		ids = append(ids, f.id)
		if !slices.Contains(bases, f.basis) {
			bases = append(bases, f.basis)
		}
	}
	out["casualty_ids"] = strings.Join(ids, " | ")
	switch len(bases) {
	case 0:
	case 1:
		out["basis"] = bases[0]
	default:
		out["basis"] = "mixed"
	}
	return out
}

// handYear is the year both bounds of a date object (or of its reading) lie in.
func handYear(d map[string]any) string {
	if d == nil {
		return ""
	}
	start, end := d["value"], d["value"]
	if start == nil {
		start, end = d["start"], d["end"]
	}
	s, _ := start.(string)
	e, _ := end.(string)
	if len(s) < 4 || len(e) < 4 || s[:4] != e[:4] {
		return ""
	}
	return s[:4]
}

// TestCountingRule computes every incident's counted figures, years and links again from the
// records, with handCount, and compares them with the events and aggregates that Stream writes,
// on the counting fixture and on the bundled dataset.
func TestCountingRule(t *testing.T) {
	for _, tc := range []struct {
		name string
		fsys fs.FS
	}{{"counting", os.DirFS(countingDir)}, {"embedded", apmd.Data()}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := streamTo(t, tc.fsys)
			_, events, eventIDs := csvTable(t, filepath.Join(dir, tableEvents+".csv"))
			_, aggregates, aggregateIDs := csvTable(t, filepath.Join(dir, tableAggregates+".csv"))
			incidents := handRecords(t, tc.fsys, "incidents")
			groups := map[string]string{}
			for _, g := range handRecords(t, tc.fsys, "groups") {
				groups[g["id"].(string)] = g["name"].(string)
			}
			// Links as either side states them.
			links := map[string]map[string][]string{}
			link := func(a, rel, b string) {
				if links[a] == nil {
					links[a] = map[string][]string{}
				}
				if !slices.Contains(links[a][rel], b) {
					links[a][rel] = append(links[a][rel], b)
				}
			}
			kinds := map[string]string{}
			for _, inc := range incidents {
				id := inc["id"].(string)
				kinds[id] = inc["kind"].(string)
				rel, _ := inc["related"].([]any)
				for _, x := range rel {
					r := x.(map[string]any)
					other, relation := r["incident"].(string), r["relation"].(string)
					switch relation {
					case "part_of":
						link(id, "part_of", other)
						link(other, "includes", id)
					case "includes":
						link(id, "includes", other)
						link(other, "part_of", id)
					case "possibly_same_as", "same_as":
						link(id, relation, other)
						link(other, relation, id)
					}
				}
			}
			var wantEvents, wantAggregates []string
			var sumBest, sumLow float64
			for _, inc := range incidents {
				id := inc["id"].(string)
				rows := events
				if inc["kind"] == "aggregate" {
					rows = aggregates
					wantAggregates = append(wantAggregates, id)
				} else {
					wantEvents = append(wantEvents, id)
				}
				row := rows[id]
				if row == nil {
					t.Errorf("%s: no row", id)
					continue
				}
				for _, outcome := range []string{"killed", "injured", "killed_or_injured", "abducted"} {
					want := handCount(inc, outcome)
					for _, k := range []string{"low", "best", "high", "best_derived", "basis", "flags", "casualty_ids"} {
						if got := row[outcome+"_"+k]; got != want[k] {
							t.Errorf("%s %s_%s: exported %q, counted by hand %q", id, outcome, k, got, want[k])
						}
					}
					if outcome == "killed" && inc["kind"] == "event" {
						if v, err := strconv.ParseFloat(want["best"], 64); err == nil {
							sumBest += v
						}
						if v, err := strconv.ParseFloat(want["low"], 64); err == nil {
							sumLow += v
						}
					}
				}
				date, _ := inc["date"].(map[string]any)
				reading, _ := date["reading"].(map[string]any)
				year, readingYear := handYear(date), handYear(reading)
				yearBest, basis := year, "text"
				if year == "" {
					yearBest, basis = readingYear, "reading"
				}
				if yearBest == "" {
					basis = ""
				}
				for col, want := range map[string]string{"year": year, "reading_year": readingYear, "year_best": yearBest, "year_basis": basis} {
					if row[col] != want {
						t.Errorf("%s %s: exported %q, want %q", id, col, row[col], want)
					}
				}
				var perps, perpNames, inspired []string
				claimed := "false"
				ps, _ := inc["perpetrators"].([]any)
				for _, x := range ps {
					p := x.(map[string]any)
					g, _ := p["group"].(string)
					switch {
					case p["attribution"] == "inspired":
						inspired = append(inspired, g)
					case g != "":
						perps = append(perps, g)
						perpNames = append(perpNames, groups[g])
					}
					if p["attribution"] == "claimed" {
						claimed = "true"
					}
				}
				sorted := func(rel string) string {
					l := slices.Clone(links[id][rel])
					sort.Strings(l)
					if rel == "includes" {
						l = slices.DeleteFunc(l, func(x string) bool { return kinds[x] != "event" })
					}
					return strings.Join(l, " | ")
				}
				checks := map[string]string{
					"perpetrator_group_ids":   strings.Join(perps, " | "),
					"perpetrator_group_names": strings.Join(perpNames, " | "),
					"inspired_group_ids":      strings.Join(inspired, " | "),
					"claimed":                 claimed,
					"part_of":                 sorted("part_of"),
					"possibly_same_as":        sorted("possibly_same_as"),
				}
				if inc["kind"] == "aggregate" {
					checks["event_ids"] = sorted("includes")
				}
				for col, want := range checks {
					if row[col] != want {
						t.Errorf("%s %s: exported %q, want %q", id, col, row[col], want)
					}
				}
			}
			slices.Sort(wantEvents)
			slices.Sort(wantAggregates)
			if !slices.Equal(eventIDs, wantEvents) || !slices.Equal(aggregateIDs, wantAggregates) {
				t.Errorf("events %v, aggregates %v; want %v and %v, in id order", eventIDs, aggregateIDs, wantEvents, wantAggregates)
			}
			var gotBest, gotLow float64
			for _, r := range events {
				b, _ := strconv.ParseFloat(r["killed_best"], 64)
				l, _ := strconv.ParseFloat(r["killed_low"], 64)
				gotBest, gotLow = gotBest+b, gotLow+l
			}
			if gotBest != sumBest || gotLow != sumLow {
				t.Errorf("killed over events: best %v low %v, counted by hand %v and %v", gotBest, gotLow, sumBest, sumLow)
			}
			t.Logf("killed over events: best %v, low %v (%d events, %d aggregates)", gotBest, gotLow, len(events), len(aggregates))
		})
	}
}

// TestCountingFixture pins what the counting fixture must give, worked out by hand from its
// source texts: one line per branch of the rule.
func TestCountingFixture(t *testing.T) {
	dir := streamTo(t, os.DirFS(countingDir))
	_, events, _ := csvTable(t, filepath.Join(dir, tableEvents+".csv"))
	_, aggregates, _ := csvTable(t, filepath.Join(dir, tableAggregates+".csv"))
	for _, c := range []struct {
		rows     map[string]map[string]string
		id, col  string
		want     string
		branchOf string
	}{
		{events, "inc-testabad-airfield-attack", "killed_best", "114", "a total 'over 113' beside its components 13 + 28 + 72: counted once"},
		{events, "inc-testabad-airfield-attack", "killed_high", "", "'over 113' is open-ended"},
		{events, "inc-testabad-airfield-attack", "killed_best_derived", "true", "114 is derived from 'over 113'"},
		{events, "inc-testabad-airfield-attack", "killed_casualty_ids", "cas-airfield-killed-total", "only the total is used"},
		{events, "inc-testabad-airfield-attack", "year", "", "the strict bounds (up to August 2021) fix no year"},
		{events, "inc-testabad-airfield-attack", "reading_year", "2021", "the reading is August 2021"},
		{events, "inc-testabad-airfield-attack", "year_best", "2021", "year_best falls back on the reading"},
		{events, "inc-testabad-airfield-attack", "year_basis", "reading", "and says so"},
		{events, "inc-2023-05-09-samplegarh-market-attack", "killed_low", "12", "two sources: 12 and at least 15"},
		{events, "inc-2023-05-09-samplegarh-market-attack", "killed_best", "12", "the lowest best"},
		{events, "inc-2023-05-09-samplegarh-market-attack", "killed_high", "", "'at least 15' is open"},
		{events, "inc-2023-05-09-samplegarh-market-attack", "killed_flags", "conflict", "the sources disagree"},
		{events, "inc-2023-05-09-samplegarh-market-attack", "injured_low", "35", "40 and 'between 35 and 50'"},
		{events, "inc-2023-05-09-samplegarh-market-attack", "injured_best", "40", "the only stated best"},
		{events, "inc-2023-05-09-samplegarh-market-attack", "injured_high", "50", "the highest high"},
		{events, "inc-2023-05-09-samplegarh-market-attack", "perpetrator_group_names", "Example Front | Sample Movement", "two perpetrators, with names"},
		{events, "inc-2023-05-09-samplegarh-market-attack", "perpetrator_individuals", "Rahim Example", "a named gunman"},
		{events, "inc-2023-06-01-testabad-road-bombing", "killed_low", "3", "partial only: a named commander and two guards (3) against 'a commander' (1)"},
		{events, "inc-2023-06-01-testabad-road-bombing", "killed_best", "3", "the highest per-source sum"},
		{events, "inc-2023-06-01-testabad-road-bombing", "killed_flags", "partial", "a lower bound"},
		{events, "inc-2023-06-01-testabad-road-bombing", "part_of", "inc-exampleshire-attacks-on-officials", "stated by the event"},
		{events, "inc-2023-07-testabad-checkpoint-attack", "killed_best", "20", "a claimed figure counts"},
		{events, "inc-2023-07-testabad-checkpoint-attack", "killed_basis", "claimed", "and says so"},
		{events, "inc-2023-07-testabad-checkpoint-attack", "claimed", "true", "a claimed attribution"},
		{events, "inc-2023-07-testabad-checkpoint-attack", "part_of", "inc-exampleshire-attacks-on-officials", "stated by the aggregate only"},
		{events, "inc-2023-08-samplegarh-wedding-attack", "killed_low", "1", "'deadly': at least one"},
		{events, "inc-2023-08-samplegarh-wedding-attack", "killed_best", "", "no number, no best"},
		{events, "inc-2023-08-samplegarh-wedding-attack", "killed_basis", "implied", "implied by the wording"},
		{events, "inc-2023-08-samplegarh-wedding-attack", "possibly_same_as", "inc-2023-testabad-wedding-bombing", "a possible duplicate"},
		{events, "inc-2023-testabad-wedding-bombing", "possibly_same_as", "inc-2023-08-samplegarh-wedding-attack", "named from the other side"},
		{events, "inc-2023-testabad-wedding-bombing", "killed_best", "7", "schema 1.0.0: the all-victims figure is the total, its component not added"},
		{events, "inc-2023-testabad-wedding-bombing", "injured_best", "10", "schema 1.0.0: a civilians figure is partial"},
		{events, "inc-2023-testabad-wedding-bombing", "injured_low", "", "'about 10' gives no low"},
		{events, "inc-2023-testabad-wedding-bombing", "injured_flags", "partial", "no total"},
		{events, "inc-2023-testabad-wedding-bombing", "year", "2023", "both bounds in 2023"},
		{events, "inc-2023-09-exampleshire-camp-raid", "target_group_names", "Example Front", "a targeted group"},
		{events, "inc-2023-09-exampleshire-camp-raid", "perpetrator_group_types", "state_actor", "a state actor"},
		{events, "inc-2023-09-exampleshire-camp-raid", "killed_low", "2", "'several fighters'"},
		{events, "inc-2024-01-01-exampleville-attack", "perpetrator_group_ids", "", "a perpetrator with no group, and a group that only inspired him"},
		{events, "inc-2024-01-01-exampleville-attack", "perpetrator_individuals", "John Sample", "the individual"},
		{events, "inc-2024-01-01-exampleville-attack", "perpetrator_attributions", "attributed", "one attribution: the inspiring group's is not a perpetrator's"},
		{events, "inc-2024-01-01-exampleville-attack", "inspired_group_names", "Example Front", "the inspiring group"},
		{events, "inc-2024-01-01-exampleville-attack", "country", "US", "out of the area"},
		{aggregates, "inc-exampleshire-attacks-on-officials", "event_count_low", "24", "'dozens of attacks'"},
		{aggregates, "inc-exampleshire-attacks-on-officials", "event_ids", "inc-2023-06-01-testabad-road-bombing | inc-2023-07-testabad-checkpoint-attack", "its events, from both sides"},
		{aggregates, "inc-exampleshire-attacks-on-officials", "killed_best", "50", "an aggregate's own total"},
		{aggregates, "inc-exampleshire-attacks-on-officials", "city", "Testabad | Samplegarh", "several places"},
		{aggregates, "inc-example-front-claimed-operations", "event_count_best", "151", "'over 150 violent incidents'"},
	} {
		if got := c.rows[c.id][c.col]; got != c.want {
			t.Errorf("%s %s = %q, want %q (%s)", c.id, c.col, got, c.want, c.branchOf)
		}
	}
	best, low := 0, 0
	for _, r := range events {
		b, _ := strconv.Atoi(r["killed_best"])
		l, _ := strconv.Atoi(r["killed_low"])
		best, low = best+b, low+l
	}
	// 114 + 12 + 3 + 20 + 7 stated bests; lows add 1 + 2 + 1 for 'deadly', 'several', 'deadly'.
	if best != 156 || low != 160 {
		t.Errorf("killed over events: best %d low %d, want 156 and 160", best, low)
	}
}

// TestClaimsFlat checks the claims view's names and titles against the records.
func TestClaimsFlat(t *testing.T) {
	dir := streamTo(t, os.DirFS(countingDir))
	_, claims, _ := csvTable(t, filepath.Join(dir, tableClaimsFlat+".csv"))
	for _, c := range []struct{ id, col, want string }{
		{"clm-example-front-checkpoint", "claimant", "Example Front"},
		{"clm-example-front-checkpoint", "channel_outlet_name", "Example Voice"},
		{"clm-example-front-checkpoint", "incident_titles", "Example Front attack on a checkpoint near Testabad (its claim)"},
		{"clm-example-front-checkpoint", "disputed_by_group_names", "Exampleland Army"},
		{"clm-example-front-checkpoint", "year", "2023"},
		{"clm-example-front-checkpoint", "count_best", "20"},
		{"clm-army-denies-airfield-role", "claimant", "Colonel Jane Sample"},
		{"clm-army-denies-airfield-role", "claimant_group_name", "Exampleland Army"},
		{"clm-analysts-example-front-threat", "claimant", "Security analysts"},
		{"clm-analysts-example-front-threat", "type", "threat_assessment"},
		{"clm-analysts-example-front-threat", "group_names", "Example Front"},
	} {
		if got := claims[c.id][c.col]; got != c.want {
			t.Errorf("%s %s = %q, want %q", c.id, c.col, got, c.want)
		}
	}
}

// TestAnalysisWorkbook reads the streamed workbook back: the analysis sheets come right after
// the README, their numbers are numbers, the README has its counting block with numbers as
// numbers, the Codebook has blank cells rather than empty texts, and every sheet prints.
func TestAnalysisWorkbook(t *testing.T) {
	dir := streamTo(t, os.DirFS(countingDir))
	f, err := excelize.OpenFile(filepath.Join(dir, WorkbookFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) < 5 || !slices.Equal(sheets[:5], []string{readmeSheet, tableEvents, tableAggregates, tableClaimsFlat, codebookSheet}) {
		t.Errorf("sheets %v: want README, events, aggregates, claims_flat, Codebook first", sheets)
	}
	header, events, ids := csvTable(t, filepath.Join(dir, tableEvents+".csv"))
	rows, err := f.GetRows(tableEvents, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(ids)+1 || !slices.Equal(rows[0], header) {
		t.Fatalf("events sheet: %d rows, header %v", len(rows), rows[0])
	}
	for r, id := range ids {
		for i, name := range header {
			if !strings.HasPrefix(name, "killed_") && !strings.HasPrefix(name, "injured_") && name != "year_best" {
				continue
			}
			want := events[id][name]
			got := ""
			if i < len(rows[r+1]) {
				got = rows[r+1][i]
			}
			ref, _ := excelize.CoordinatesToCellName(i+1, r+2)
			typ, _ := f.GetCellType(tableEvents, ref)
			switch {
			case strings.HasSuffix(name, "_best_derived"):
				if b, err := strconv.ParseBool(got); err == nil {
					got = strconv.FormatBool(b)
				}
			case want != "" && (strings.HasSuffix(name, "_low") || strings.HasSuffix(name, "_best") || strings.HasSuffix(name, "_high") || name == "year_best") && typ != excelize.CellTypeUnset:
				t.Errorf("events!%s (%s): cell type %v, want a number", ref, name, typ)
			}
			if got != want {
				t.Errorf("events!%s (%s): sheet %q, CSV %q", ref, name, got, want)
			}
		}
	}

	readme, err := f.GetRows(readmeSheet)
	if err != nil {
		t.Fatal(err)
	}
	text := sheetText(t, f, readmeSheet)
	for _, want := range []string{"Before you count", "What a row is", "Which rows to sum", "killed_best sums to 156", "Dates and readings", "Several perpetrators", "State actors among groups\t", "Exampleland Army", "Outside the area\t", "Exampleville"} {
		if !strings.Contains(text, want) {
			t.Errorf("README sheet lacks %q", want)
		}
	}
	counts := 0
	for i, r := range readme {
		if len(r) == 3 && r[0] == tableEvents {
			ref, _ := excelize.CoordinatesToCellName(3, i+1)
			if typ, _ := f.GetCellType(readmeSheet, ref); typ != excelize.CellTypeUnset || r[2] != strconv.Itoa(len(ids)) {
				t.Errorf("README!%s: the events row count %q is stored as %v, want the number %d", ref, r[2], typ, len(ids))
			}
			counts++
		}
	}
	if counts != 1 {
		t.Errorf("README sheet lists the events table %d times", counts)
	}

	// The Codebook: an absent value is no cell at all.
	cb, err := f.GetRows(codebookSheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range cb {
		for j, v := range r {
			if v != "" {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if typ, _ := f.GetCellType(codebookSheet, ref); typ != excelize.CellTypeUnset {
				t.Errorf("Codebook!%s is an empty text, want a blank cell", ref)
			}
		}
	}

	for _, sheet := range sheets {
		opts, err := f.GetPageLayout(sheet)
		if err != nil || opts.Orientation == nil || *opts.Orientation != "landscape" || opts.FitToWidth == nil || *opts.FitToWidth < 1 {
			t.Errorf("%s: page layout %+v %v: want landscape, fitted to width", sheet, opts, err)
		}
	}
	titles := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			titles[dn.Scope] = dn.RefersTo
		}
	}
	for _, sheet := range sheets[1:] {
		if !strings.HasSuffix(titles[sheet], "$1:$1") {
			t.Errorf("%s: print titles %q, want the header row repeated", sheet, titles[sheet])
		}
	}
}

// TestAnalysisDataPackage validates the streamed descriptor against the Data Package v2
// profile and the files, and checks the analysis resources: keys to the normalised tables,
// integer fields that hold integers, categories as plain values.
func TestAnalysisDataPackage(t *testing.T) {
	dir := streamTo(t, os.DirFS(countingDir))
	b := validatePackage(t, profile(t), dir)
	var pkg struct {
		Resources []struct {
			Name   string
			Schema struct {
				Fields []struct {
					Name, Type, Description string
					Categories              []any
				}
				PrimaryKey  []string
				ForeignKeys []struct {
					Fields    []string
					Reference struct{ Resource string }
				}
			}
		}
	}
	if err := json.Unmarshal(b, &pkg); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range pkg.Resources {
		names = append(names, r.Name)
		for _, f := range r.Schema.Fields {
			for _, c := range f.Categories {
				if _, ok := c.(string); !ok {
					t.Errorf("%s.%s: category %v, want a plain value (definitions go to the description)", r.Name, f.Name, c)
				}
			}
		}
		keys := map[string]string{}
		for _, fk := range r.Schema.ForeignKeys {
			keys[strings.Join(fk.Fields, ",")] = fk.Reference.Resource
		}
		want := map[string]map[string]string{
			tableEvents:     {"id": "incidents"},
			tableAggregates: {"id": "incidents"},
			tableClaimsFlat: {"id": "claims", "claimant_group_id": "groups", "channel_outlet_id": "groups"},
		}[r.Name]
		for k, ref := range want {
			if keys[k] != ref {
				t.Errorf("%s: foreign key %s → %q, want %s", r.Name, k, keys[k], ref)
			}
		}
		if want != nil {
			_, rows := readCSV(t, filepath.Join(dir, r.Name+".csv"))
			for i, f := range r.Schema.Fields {
				for _, row := range rows {
					if v := row[i]; v != "" && f.Type == TypeInteger {
						if _, err := strconv.ParseInt(v, 10, 64); err != nil {
							t.Errorf("%s.%s: %q is not an integer", r.Name, f.Name, v)
						}
					}
				}
			}
		}
	}
	if len(names) < 3 || !slices.Equal(names[:3], []string{tableEvents, tableAggregates, tableClaimsFlat}) {
		t.Errorf("resources %v: want the analysis tables first", names)
	}
}
