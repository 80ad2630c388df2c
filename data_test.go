package apmd_test

// Tests of the curated data itself: they read the real embedded files through apmd.Data
// and loadDataset. Each check returns its problems as strings; TestCuratedData requires none,
// and TestChecksCanFail breaks a copy of the data once per check to show the check notices.

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/apmd-data/apmd"
	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/internal/jsonpos"
	"github.com/apmd-data/apmd/schema"
	"github.com/apmd-data/apmd/validate"
)

// check is one property of a dataset; it returns a line per problem.
type check struct {
	name string
	doc  string
	run  func(d *dataset) []string
}

var checks = []check{
	{"schema", "every record and the manifest validate against the schema version they declare", checkSchema},
	{"evidence", "quotes occur in their source text; supports and inferences resolve; every fact is covered", checkEvidence},
	{"references", "ids exist with the right kind, are unique and match their file; links are mirrored", checkReferences},
	{"sha256", "each source's sha256 matches its stored text", checkSHA},
	{"facts", "names, wordings, victims and individuals occur in the sources that support them; figure discrepancies are flagged", checkFacts},
	{"complete", "every source has its perspective, every area and relation its status and sources, every casualty figure its role and basis (schema 1.1.0 makes them optional; the validator checks they agree with the record)", checkComplete},
}

func load(t *testing.T, fsys fs.FS) *dataset {
	t.Helper()
	d, errs := loadDataset(fsys)
	if d == nil {
		t.Fatalf("load: %v", errs)
	}
	for _, err := range errs {
		t.Errorf("load: %v", err)
	}
	if d.Manifest == nil {
		t.Fatal("no manifest")
	}
	return d
}

func TestCuratedData(t *testing.T) {
	d := load(t, apmd.Data())
	for _, k := range schema.Kinds {
		if len(d.OfKind(k)) == 0 {
			t.Errorf("no %s records", k)
		}
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			for _, p := range c.run(d) {
				t.Error(p)
			}
		})
	}
}

// TestChecksCanFail breaks a copy of the embedded data in one place per case and requires the
// named check to report it.
func TestChecksCanFail(t *testing.T) {
	const (
		airport = "incidents/inc-kabul-airport-attack.json"
		amaqClm = "claims/clm-amaq-haqqani-assassination.json"
		refugee = "incidents/inc-2024-12-11-kabul-refugee-ministry-bombing.json"
		iskp    = "groups/grp-iskp.json"
		mujahid = "claims/clm-mujahid-special-forces-killed-iskp-leaders.json"
		newYear = "incidents/inc-us-new-year-attack-shams-uddin-jabbar.json"
	)
	cases := []struct {
		check, file, old, new, want string
	}{
		{"schema", airport, `"event_type": "unknown"`, `"event_type": "suicide"`, "event_type"},
		{"schema", datadir.ManifestFile, `"version": "`, `"version": "one-`, datadir.ManifestFile}, // any data version
		{"schema", amaqClm, `"schema_version": "1.1.0"`, `"schema_version": "9.9.9"`, "9.9.9"},
		{"evidence", airport, "28 Taliban, and 72", "28 Taliban and 72", "does not occur"},
		// A white-space-only difference between a quote and the text is allowed: nothing to report.
		{"evidence", airport, "US servicemen, 28 Taliban", `US servicemen,\n 28   Taliban`, ""},
		{"evidence", refugee, `"/event_type"`, `"/event_typo"`, "/event_typo"},
		{"evidence", refugee, `"supports": [
        "/event_type"
      ]`, `"supports": [
        "/kind"
      ]`, "/event_type is not supported"},
		{"references", refugee, `"claims": [
        "clm-amaq-haqqani-assassination"`, `"claims": [
        "clm-amaq-haqqani-assassinatio"`, "clm-amaq-haqqani-assassinatio"},
		{"references", amaqClm, `"outlet": "grp-amaq"`, `"outlet": "src-iskp-strikes-again"`, "is a source"},
		{"references", airport, `"component_of": "cas-kabul-airport-killed-total",
      "source": "src-gvs-looming-threat-iskp"
    },
    {
      "id": "cas-kabul-airport-killed-taliban"`, `"component_of": "cas-kabul-refugee-ministry-haqqani-killed",
      "source": "src-gvs-looming-threat-iskp"
    },
    {
      "id": "cas-kabul-airport-killed-taliban"`, "not a figure of this incident"},
		{"references", airport, `"id": "cas-kabul-airport-killed-taliban"`, `"id": "cas-kabul-refugee-ministry-haqqani-killed"`, "used twice"},
		{"references", iskp, `"id": "grp-iskp"`, `"id": "grp-isk"`, "file name"},
		{"references", amaqClm, `"incidents": [
    "inc-2024-12-11-kabul-refugee-ministry-bombing"
  ]`, `"incidents": [
    "inc-kabul-airport-attack"
  ]`, "does not list"},
		{"sha256", "sources/src-iskp-strikes-again.txt", "On December 11, 2024", "On December 12, 2024", "sha256"},
		{"facts", iskp, `"name": "IS-K",`, `"name": "ISK",`, `"ISK"`},
		{"facts", refugee, `"name": "Khalil-ur-Rehman Haqqani"`, `"name": "Khalil Rahman Haqqani"`, "Khalil Rahman Haqqani"},
		{"facts", refugee, `"text": "On December 11, 2024"`, `"text": "On 11 December 2024"`, "On 11 December 2024"},
		{"facts", "incidents/inc-us-new-year-attack-shams-uddin-jabbar.json", `"individual": "Shams Uddin Jabbar"`, `"individual": "Shamsud-Din Jabbar"`, "Shamsud-Din Jabbar"},
		{"facts", airport, "add up to exactly 113", "add up to exactly one hundred and thirteen", "113"},
		{"complete", airport, `"role": "component",`, ``, "no role"},
		{"complete", "sources/src-iskp-strikes-again.json", `"perspective": "reporting",`, ``, "no perspective"},
		{"complete", iskp, `"status": "former",`, ``, "no status"},
	}
	for _, c := range cases {
		name := c.check + "/" + path.Base(c.file) + "/" + strings.NewReplacer("\n", " ", " ", "").Replace(c.new)
		if len(name) > 80 {
			name = name[:80]
		}
		t.Run(name, func(t *testing.T) {
			d := load(t, broken(t, c.file, c.old, c.new))
			var run func(*dataset) []string
			for _, k := range checks {
				if k.name == c.check {
					run = k.run
				}
			}
			problems := run(d)
			t.Logf("%s reports: %q", c.check, problems)
			if c.want == "" {
				if len(problems) > 0 {
					t.Errorf("expected no problems, got %q", problems)
				}
				return
			}
			for _, p := range problems {
				if strings.Contains(p, c.want) {
					return
				}
			}
			t.Errorf("check %s did not report %q; got %q", c.check, c.want, problems)
		})
	}
}

// broken returns a copy of the embedded dataset with old replaced by new (once) in file.
func broken(t *testing.T, file, old, new string) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(apmd.Data(), ".", func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		b, err := fs.ReadFile(apmd.Data(), p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f := m[file]
	if f == nil || !bytes.Contains(f.Data, []byte(old)) {
		t.Fatalf("%s does not contain %q: the test case is stale", file, old)
	}
	f.Data = bytes.Replace(f.Data, []byte(old), []byte(new), 1)
	return m
}

// ---- the checks ----

func checkSchema(d *dataset) []string {
	var out []string
	for _, r := range append([]*datadir.Record{d.Manifest}, d.Records...) {
		set, err := schema.Released().Get(r.Version)
		if err != nil {
			out = append(out, fmt.Sprintf("%s: %v", r.File, err))
			continue
		}
		if err := set.Validate(r.Kind, r.Value); err != nil {
			out = append(out, fmt.Sprintf("%s: %v", r.File, strings.ReplaceAll(fmt.Sprintf("%#v", err), "\n", "; ")))
		}
	}
	return out
}

func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

// texts returns each source's stored text, white space normalised, by source id.
func texts(d *dataset) (map[string]string, []string) {
	out := map[string]string{}
	var problems []string
	for _, r := range d.OfKind(schema.Source) {
		p := textPath(r)
		b, err := fs.ReadFile(d.FS, p)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: stored text: %v", r.File, err))
			continue
		}
		out[r.ID] = normalize(string(b))
	}
	return out, problems
}

type evidence struct {
	Source   string   `json:"source"`
	Quote    string   `json:"quote"`
	Supports []string `json:"supports"`
}

type inference struct {
	Field string `json:"field"`
}

// annotations reads a record's evidence and inferences (the two shared definitions every kind carries).
func annotations(r *datadir.Record) (ev []evidence, inf []inference) {
	m, _ := r.Value.(map[string]any)
	b, _ := json.Marshal(m["evidence"])
	_ = json.Unmarshal(b, &ev)
	b, _ = json.Marshal(m["inferences"])
	_ = json.Unmarshal(b, &inf)
	return ev, inf
}

// covers reports whether pointer p is ptr or one of its ancestors.
func covers(p, ptr string) bool { return p == ptr || strings.HasPrefix(ptr, p+"/") }

func node(r *datadir.Record) *schema.Node {
	set, err := schema.Released().Get(r.Version)
	if err != nil {
		return nil
	}
	return set.Node(r.Kind)
}

func checkEvidence(d *dataset) []string {
	text, out := texts(d)
	for _, r := range d.Records {
		ev, inf := annotations(r)
		var covering []string
		for i, e := range ev {
			t, ok := text[e.Source]
			if !ok {
				out = append(out, fmt.Sprintf("%s: /evidence/%d: source %q has no stored text", r.File, i, e.Source))
			} else if !strings.Contains(t, normalize(e.Quote)) {
				out = append(out, fmt.Sprintf("%s: /evidence/%d: quote does not occur in %s: %q", r.File, i, e.Source, e.Quote))
			}
			for _, p := range e.Supports {
				if _, ok := jsonpos.Resolve(r.Value, p); !ok {
					out = append(out, fmt.Sprintf("%s: /evidence/%d supports %s, which the record does not have", r.File, i, p))
				}
				covering = append(covering, p)
			}
		}
		for i, in := range inf {
			if _, ok := jsonpos.Resolve(r.Value, in.Field); !ok {
				out = append(out, fmt.Sprintf("%s: /inferences/%d names %s, which the record does not have", r.File, i, in.Field))
			}
			covering = append(covering, in.Field)
		}
		n := node(r)
		if n == nil {
			out = append(out, fmt.Sprintf("%s: unknown schema version %q", r.File, r.Version))
			continue
		}
	facts:
		for _, fp := range schema.FactPointers(n, r.Value) {
			for _, p := range covering {
				if covers(p, fp) {
					continue facts
				}
			}
			out = append(out, fmt.Sprintf("%s: %s is not supported by evidence or an inference", r.File, fp))
		}
	}
	return out
}

// visit calls fn for every value of v with the schema node that describes it.
func visit(n *schema.Node, v any, ptr string, fn func(n *schema.Node, v any, ptr string)) {
	if n == nil {
		return
	}
	fn(n, v, ptr)
	switch c := v.(type) {
	case map[string]any:
		for _, p := range n.Properties {
			if pv, ok := c[p.Name]; ok {
				visit(p.Node, pv, jsonpos.JoinPointer(ptr, p.Name), fn)
			}
		}
	case []any:
		for i, item := range c {
			visit(n.Items, item, jsonpos.JoinPointer(ptr, strconv.Itoa(i)), fn)
		}
	}
}

const idSuffix = "_id" // the shared definitions of identifiers are named <kind>_id

func lastToken(ptr string) string { return ptr[strings.LastIndexByte(ptr, '/')+1:] }

// ancestorWithDef returns the pointer of the nearest value at or above ptr that the shared
// definition def describes (e.g. the casualty figure a wording sits in), or "".
func ancestorWithDef(r *datadir.Record, ptr, def string) string {
	n := node(r)
	found := ""
	visit(n, r.Value, "", func(nn *schema.Node, _ any, p string) {
		if nn.Def == def && covers(p, ptr) && len(p) > len(found) {
			found = p
		}
	})
	return found
}

func checkReferences(d *dataset) []string {
	var out []string
	seen := map[string]string{} // id -> file, records and casualty figures alike
	define := func(id, file string) {
		if prev, ok := seen[id]; ok {
			out = append(out, fmt.Sprintf("%s: id %s used twice (also in %s)", file, id, prev))
		}
		seen[id] = file
	}
	for _, r := range d.Records {
		define(r.ID, r.File)
		if datadir.KindOfPrefix(r.ID) != r.Kind {
			out = append(out, fmt.Sprintf("%s: id %q does not start with %q", r.File, r.ID, datadir.Prefix(r.Kind)))
		}
		if path.Base(r.File) != r.ID+".json" {
			out = append(out, fmt.Sprintf("%s: file name does not match id %q", r.File, r.ID))
		}
		if !strings.HasPrefix(r.File, datadir.Folder(r.Kind)+"/") {
			out = append(out, fmt.Sprintf("%s: not in folder %s/", r.File, datadir.Folder(r.Kind)))
		}
	}
	// Casualty figures: their ids, per incident.
	figures := map[string]map[string]bool{} // incident file -> figure ids
	for _, r := range d.OfKind(schema.Incident) {
		figures[r.File] = map[string]bool{}
		visit(node(r), r.Value, "", func(n *schema.Node, v any, ptr string) {
			if s, ok := v.(string); ok && n.Def == "casualty"+idSuffix && lastToken(ptr) == "id" {
				define(s, r.File)
				figures[r.File][s] = true
			}
		})
	}
	for _, r := range d.Records {
		visit(node(r), r.Value, "", func(n *schema.Node, v any, ptr string) {
			s, ok := v.(string)
			if !ok || !strings.HasSuffix(n.Def, idSuffix) || lastToken(ptr) == "id" {
				return
			}
			kind := schema.Kind(strings.TrimSuffix(n.Def, idSuffix))
			if kind == "casualty" {
				if !figures[r.File][s] {
					out = append(out, fmt.Sprintf("%s: %s: %s is not a figure of this incident", r.File, ptr, s))
				}
				return
			}
			target := d.ByID(s)
			switch {
			case target == nil:
				out = append(out, fmt.Sprintf("%s: %s: no %s record %s", r.File, ptr, kind, s))
			case target.Kind != kind:
				out = append(out, fmt.Sprintf("%s: %s: %s is a %s, not a %s", r.File, ptr, s, target.Kind, kind))
			}
		})
	}
	return append(out, checkLinks(d)...)
}

// Field names below are the schema's; linksSchema checks they exist so that a rename fails here.
func checkLinks(d *dataset) []string {
	var out []string
	claimIncidents := map[string]map[string]bool{}
	for _, c := range d.OfKind(schema.Claim) {
		m := c.Value.(map[string]any)
		claimIncidents[c.ID] = map[string]bool{}
		for _, x := range list(m["incidents"]) {
			claimIncidents[c.ID][fmt.Sprint(x)] = true
		}
	}
	inverse := map[string]string{"part_of": "includes", "includes": "part_of"}
	for _, r := range d.OfKind(schema.Incident) {
		m := r.Value.(map[string]any)
		perps := map[string]map[string]bool{} // group -> claims listed
		for i, p := range list(m["perpetrators"]) {
			pm, _ := p.(map[string]any)
			g := fmt.Sprint(pm["group"])
			perps[g] = map[string]bool{}
			for _, c := range list(pm["claims"]) {
				perps[g][fmt.Sprint(c)] = true
				if inc, ok := claimIncidents[fmt.Sprint(c)]; ok && !inc[r.ID] {
					out = append(out, fmt.Sprintf("%s: /perpetrators/%d lists claim %s, which does not list this incident", r.File, i, c))
				}
			}
		}
		for i, rel := range list(m["related"]) {
			rm, _ := rel.(map[string]any)
			other, relation := fmt.Sprint(rm["incident"]), fmt.Sprint(rm["relation"])
			want := relation
			if inv, ok := inverse[relation]; ok {
				want = inv
			}
			o := d.ByID(other)
			if o == nil {
				continue // reported as a missing reference
			}
			back := false
			for _, orel := range list(o.Value.(map[string]any)["related"]) {
				om, _ := orel.(map[string]any)
				back = back || (om["incident"] == r.ID && om["relation"] == want)
			}
			if !back {
				out = append(out, fmt.Sprintf("%s: /related/%d: %s does not link back with %q", r.File, i, other, want))
			}
		}
		// A claim about this incident by a group that is one of its perpetrators must be linked from that perpetrator.
		for _, c := range d.OfKind(schema.Claim) {
			if !claimIncidents[c.ID][r.ID] {
				continue
			}
			cl, _ := c.Value.(map[string]any)["claimant"].(map[string]any)
			g, _ := cl["group"].(string)
			if listed, ok := perps[g]; ok && !listed[c.ID] {
				out = append(out, fmt.Sprintf("%s: claim %s by perpetrator %s is not listed in its perpetrator's claims", r.File, c.ID, g))
			}
		}
	}
	for _, c := range d.OfKind(schema.Claim) {
		for inc := range claimIncidents[c.ID] {
			r := d.ByID(inc)
			if r == nil {
				continue
			}
			linked := false
			for _, p := range list(r.Value.(map[string]any)["perpetrators"]) {
				pm, _ := p.(map[string]any)
				for _, x := range list(pm["claims"]) {
					linked = linked || x == c.ID
				}
			}
			cm := c.Value.(map[string]any)
			if !linked && (cm["type"] == "responsibility" || cm["type"] == "operations_count") {
				out = append(out, fmt.Sprintf("%s: claims responsibility for %s, which does not list this claim under a perpetrator", c.File, inc))
			}
		}
	}
	return out
}

func list(v any) []any { l, _ := v.([]any); return l }

func TestLinksSchema(t *testing.T) {
	// checkLinks and checkFacts name schema fields and vocabulary values; they must exist.
	set, err := schema.Released().Get(schema.Released().Latest())
	if err != nil {
		t.Fatal(err)
	}
	inc, clm, grp := set.Node(schema.Incident), set.Node(schema.Claim), set.Node(schema.Group)
	need := func(n *schema.Node, names ...string) *schema.Node {
		for _, name := range names {
			p := n.Prop(name)
			if p == nil {
				t.Fatalf("schema has no property %q", name)
			}
			n = p.Node
			if n.Items != nil {
				n = n.Items
			}
		}
		return n
	}
	need(inc, "perpetrators", "claims")
	need(inc, "perpetrators", "group")
	need(inc, "perpetrators", "individual")
	rel := need(inc, "related", "relation")
	for _, v := range []string{"part_of", "includes"} {
		if rel.Vocabulary[v] == "" {
			t.Errorf("relation %q is not in the schema", v)
		}
	}
	need(inc, "casualties", "count", "text")
	need(inc, "casualties", "named_victims", "name")
	need(inc, "casualties", "component_of")
	need(inc, "casualties", "source")
	need(inc, "casualties", "notes")
	need(clm, "incidents")
	need(clm, "claimant", "group")
	typ := need(clm, "type")
	for _, v := range []string{"responsibility", "operations_count"} {
		if typ.Vocabulary[v] == "" {
			t.Errorf("claim type %q is not in the schema", v)
		}
	}
	need(grp, "names", "sources")
	need(grp, "names", "name")
	if d := need(inc, "date"); d.Def != "date" || d.Prop("text") == nil {
		t.Errorf("incident date is not the shared date with a text")
	}
	if c := need(inc, "casualties", "count"); c.Def != "count" || c.Prop("best") == nil {
		t.Errorf("casualty count is not the shared count")
	}
}

func checkSHA(d *dataset) []string {
	var out []string
	for _, r := range d.OfKind(schema.Source) {
		b, err := fs.ReadFile(d.FS, textPath(r))
		if err != nil {
			out = append(out, fmt.Sprintf("%s: %v", r.File, err))
			continue
		}
		sum := sha256.Sum256(b)
		if got, want := hex.EncodeToString(sum[:]), r.Value.(map[string]any)["sha256"]; got != want {
			out = append(out, fmt.Sprintf("%s: sha256 %v, but %s hashes to %s", r.File, want, textPath(r), got))
		}
	}
	return out
}

// supportingSources returns the sources whose evidence supports ptr (itself or an ancestor).
func supportingSources(r *datadir.Record, ptr string) []string {
	ev, _ := annotations(r)
	var out []string
	for _, e := range ev {
		for _, p := range e.Supports {
			if covers(p, ptr) {
				out = append(out, e.Source)
				break
			}
		}
	}
	return out
}

func checkFacts(d *dataset) []string {
	text, out := texts(d)
	occurs := func(s string, srcs []string) bool {
		for _, src := range srcs {
			if strings.Contains(text[src], normalize(s)) {
				return true
			}
		}
		return false
	}
	for _, r := range d.Records {
		m := r.Value.(map[string]any)
		if r.Kind == schema.Group {
			for i, nm := range list(m["names"]) {
				nmm, _ := nm.(map[string]any)
				for _, src := range list(nmm["sources"]) {
					if !occurs(fmt.Sprint(nmm["name"]), []string{fmt.Sprint(src)}) {
						out = append(out, fmt.Sprintf("%s: /names/%d: %q does not occur in %s", r.File, i, nmm["name"], src))
					}
				}
			}
		}
		visit(node(r), r.Value, "", func(n *schema.Node, v any, ptr string) {
			vm, _ := v.(map[string]any)
			var wording, what string
			switch {
			case n.Def == "date" || n.Def == "count":
				wording, _ = vm["text"].(string)
				what = n.Def + " wording"
			case lastToken(ptr) == "individual":
				wording, _ = v.(string)
				what = "individual"
			case strings.HasSuffix(path.Dir(ptr), "/named_victims"):
				wording, _ = vm["name"].(string)
				what = "named victim"
			}
			if wording == "" {
				return
			}
			var srcs []string
			if fig := ancestorWithDef(r, ptr, "casualty"); fig != "" {
				f, _ := jsonpos.Resolve(r.Value, fig)
				srcs = []string{fmt.Sprint(f.(map[string]any)["source"])}
			} else {
				srcs = supportingSources(r, ptr)
			}
			if !occurs(wording, srcs) {
				out = append(out, fmt.Sprintf("%s: %s: %s %q does not occur in a source that supports it (%v)", r.File, ptr, what, wording, srcs))
			}
		})
	}
	return append(out, checkTotals(d)...)
}

// checkTotals compares each total with its components. Where the components' best values
// disagree with the total's bounds, the total's notes must say so (naming the components' sum):
// the dataset never corrects a source, it flags the discrepancy.
func checkTotals(d *dataset) []string {
	var out []string
	for _, r := range d.OfKind(schema.Incident) {
		figs := list(r.Value.(map[string]any)["casualties"])
		for i, f := range figs {
			fm := f.(map[string]any)
			sum, parts := int64(0), 0
			for _, g := range figs {
				gm := g.(map[string]any)
				if gm["component_of"] == fm["id"] {
					parts++
					b, _ := gm["count"].(map[string]any)["best"].(json.Number).Int64()
					sum += b
				}
			}
			if parts == 0 {
				continue
			}
			c := fm["count"].(map[string]any)
			low, hasLow := num(c["low"])
			high, hasHigh := num(c["high"])
			if (hasLow && sum < low) || (hasHigh && sum > high) {
				notes, _ := fm["notes"].(string)
				// The sum must be named apart from the total's own wording ("over 113" contains 113).
				rest := strings.ReplaceAll(notes, fmt.Sprint(c["text"]), "")
				if !strings.Contains(notes, fmt.Sprint(c["text"])) || !strings.Contains(rest, strconv.FormatInt(sum, 10)) {
					out = append(out, fmt.Sprintf("%s: /casualties/%d: the total %q and its components (sum %d) disagree, and the figure's notes do not say so", r.File, i, c["text"], sum))
				}
			}
		}
	}
	return out
}

func num(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	return i, err == nil
}

// TestKabulAirportDiscrepancyFlagged pins the one known total/components discrepancy: the
// components (13 + 28 + 72) add up to exactly 113 while the total says "over 113". The data must
// keep both and say so in the total's notes (checkTotals enforces the notes for every total).
func TestKabulAirportDiscrepancyFlagged(t *testing.T) {
	d := load(t, apmd.Data())
	r := d.ByID("inc-kabul-airport-attack")
	if r == nil {
		t.Fatal("no Kabul airport incident")
	}
	var total map[string]any
	sum := int64(0)
	for _, f := range list(r.Value.(map[string]any)["casualties"]) {
		fm := f.(map[string]any)
		if fm["component_of"] != nil {
			b, _ := num(fm["count"].(map[string]any)["best"])
			sum += b
		} else {
			total = fm
		}
	}
	if total == nil || sum != 113 {
		t.Fatalf("want one total and components summing to 113, got total %v, sum %d", total, sum)
	}
	c := total["count"].(map[string]any)
	if low, _ := num(c["low"]); low <= sum {
		t.Fatalf("total low %d: the 'over 113' total must stay above its components' sum (never corrected)", low)
	}
	if problems := checkTotals(d); len(problems) > 0 {
		t.Fatal(problems)
	}
	if notes, _ := total["notes"].(string); !strings.Contains(notes, "113") {
		t.Errorf("the total's notes do not flag the discrepancy: %q", notes)
	}
}

// ---- README ----

func TestReadmeCoverage(t *testing.T) {
	checkReadmeSection(t, "coverage", coverage(load(t, apmd.Data())))
}

func TestReadmeCite(t *testing.T) {
	d := load(t, apmd.Data())
	got := readmeSection(t, "cite")
	citation, _ := d.Manifest.Value.(map[string]any)["citation"].(string)
	if citation == "" || !strings.Contains(got, citation) {
		t.Errorf("README section cite does not contain the manifest's citation %q", citation)
	}
}

func readmeSection(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	start, end := "<!-- section:"+name+" -->\n", "<!-- /section:"+name+" -->"
	i, j := bytes.Index(b, []byte(start)), bytes.Index(b, []byte(end))
	if i < 0 || j < i {
		t.Fatalf("README.md has no section %s", name)
	}
	return string(b[i+len(start) : j])
}

// coverage renders the README's coverage section from the data.
func coverage(d *dataset) string {
	var b strings.Builder
	kinds := map[string]int{}
	figures, quotes, inferred := 0, 0, 0
	var events, aggregates, counted, readings, incReadings int
	roles, bases := map[string]int{}, map[string]int{}
	type dated struct{ id, lo, hi, prec string }
	var dates []dated
	for _, r := range d.Records {
		m := r.Value.(map[string]any)
		ev, inf := annotations(r)
		quotes += len(ev)
		inferred += len(inf)
		kinds[string(r.Kind)]++
		visit(node(r), r.Value, "", func(n *schema.Node, v any, _ string) {
			if dm, ok := v.(map[string]any); ok && n.Def == "date" && dm["reading"] != nil {
				readings++
			}
		})
		if r.Kind != schema.Incident {
			continue
		}
		for _, f := range list(m["casualties"]) {
			fm := f.(map[string]any)
			figures++
			roles[fmt.Sprint(fm["role"])]++
			bases[fmt.Sprint(fm["basis"])]++
		}
		if m["kind"] == "aggregate" {
			aggregates++
			if m["event_count"] != nil {
				counted++
			}
		} else {
			events++
		}
		dm := m["date"].(map[string]any)
		if dm["reading"] != nil {
			incReadings++
		}
		s := func(k string) string { v, _ := dm[k].(string); return v }
		lo, hi := s("start"), s("end")
		if v := s("value"); v != "" {
			lo, hi = v, v
		}
		dates = append(dates, dated{r.ID, lo, hi, s("precision")})
	}
	b.WriteString("## What the dataset covers\n\nThe bundled dataset is curated from five English-language articles on militancy in and around\nAfghanistan and Pakistan. This section is generated from the data (`go test . -run TestReadme\n-update`); a test fails when it is stale.\n\n")
	fmt.Fprintf(&b, "| records | count |\n|---|---|\n")
	fmt.Fprintf(&b, "| sources | %d |\n| groups | %d |\n| incidents | %d (%d single events, %d aggregates, %d of them with a number of events) |\n| casualty figures (inside incidents) | %d (roles: %d total, %d component, %d partial; bases: %d reported, %d claimed, %d implied) |\n| claims | %d |\n| evidence quotes | %d |\n| recorded inferences | %d |\n| date readings (the curators' best estimates, never bounds) | %d (%d of them on incidents) |\n\n",
		kinds["source"], kinds["group"], kinds["incident"], events, aggregates, counted,
		figures, roles["total"], roles["component"], roles["partial"], bases["reported"], bases["claimed"], bases["implied"],
		kinds["claim"], quotes, inferred, readings, incReadings)
	sort.Slice(dates, func(i, j int) bool { return dates[i].id < dates[j].id })
	var stated []string
	minLo, maxHi, open, openStart, unbounded := "", "", 0, 0, 0
	for _, x := range dates {
		if x.lo == "" && x.hi == "" {
			unbounded++
			continue
		}
		if x.lo == "" {
			openStart++
		}
		if x.prec != "unknown" && x.lo == x.hi {
			stated = append(stated, fmt.Sprintf("%s (%s precision, `%s`)", x.lo, x.prec, x.id))
		}
		if x.lo != "" && (minLo == "" || x.lo < minLo) {
			minLo = x.lo
		}
		if x.hi == "" {
			open++
		} else if x.hi > maxHi {
			maxHi = x.hi
		}
	}
	sort.Strings(stated)
	fmt.Fprintf(&b, "Time span. The sources state the date of %d incidents: %s. The other incidents are dated by intervals whose strict bounds are only what the texts force, often through an inference (each with its reasoning in the record's `inferences`); all bounds lie between %s and %s, %s open at the end (the event is known only to precede an undated publication)%s, and %d have no bound at all (the texts force none). Where the curators read a text more narrowly, the date carries a reading (`date.reading`), never stored as a bound; %d incidents have one.\n\n",
		len(stated), strings.Join(stated, ", "), minLo, maxHi, intervalsAre(open), openStartText(openStart), unbounded, incReadings)
	fmt.Fprintf(&b, "The five sources (full texts in `dataset/sources/*.txt`):\n\n| id | title | kind | perspective | publisher | published |\n|---|---|---|---|---|---|\n")
	for _, r := range d.OfKind(schema.Source) {
		m := r.Value.(map[string]any)
		str := func(k, none string) string {
			if v, ok := m[k].(string); ok {
				return v
			}
			return none
		}
		pub := "unknown"
		if p, ok := m["published"].(map[string]any); ok {
			lo, _ := p["start"].(string)
			hi, _ := p["end"].(string)
			pub = "no bound (inferred)"
			if lo != "" || hi != "" {
				pub = fmt.Sprintf("between %s and %s (inferred)", or(lo, "…"), or(hi, "…"))
			}
			if rd, ok := p["reading"].(map[string]any); ok {
				rlo, _ := rd["start"].(string)
				rhi, _ := rd["end"].(string)
				pub += fmt.Sprintf("; read as %s to %s", or(rlo, "…"), or(rhi, "…"))
			}
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", r.ID, str("title", "(none shown)"), str("kind", ""), str("perspective", ""), str("publisher", "(not named)"), pub)
	}
	return b.String()
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// intervalsAre says "1 interval is" or "n intervals are", for the coverage section.
func intervalsAre(n int) string {
	if n == 1 {
		return "1 interval is"
	}
	return fmt.Sprintf("%d intervals are", n)
}

// openStartText says how many intervals have no start, for the coverage section.
func openStartText(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return ", 1 at the start (nothing in the texts bounds how early it began)"
	}
	return fmt.Sprintf(", %d at the start (nothing in the texts bounds how early they began)", n)
}

// dataset is a dataset folder, loaded for the checks above.
type dataset struct {
	FS       fs.FS
	Manifest *datadir.Record
	// Records holds every record of every kind, sorted by file.
	Records []*datadir.Record
	byID    map[string]*datadir.Record
}

// loadDataset reads every record of a dataset folder. Files that cannot be read or decoded
// are returned in errs (loading goes on); a nil dataset means the folder could not be listed.
func loadDataset(fsys fs.FS) (d *dataset, errs []error) {
	entries, err := datadir.List(fsys)
	if err != nil {
		return nil, []error{err}
	}
	d = &dataset{FS: fsys, byID: map[string]*datadir.Record{}}
	for _, e := range entries {
		if e.Kind == "" {
			continue
		}
		r, err := datadir.ReadRecord(fsys, e.Kind, e.Path)
		switch {
		case err != nil:
			errs = append(errs, err)
		case e.Kind == schema.Manifest:
			d.Manifest = r
		default:
			d.Records = append(d.Records, r)
			if r.ID != "" && d.byID[r.ID] == nil {
				d.byID[r.ID] = r
			}
		}
	}
	return d, errs
}

// ByID returns the (first) record with an id, or nil.
func (d *dataset) ByID(id string) *datadir.Record { return d.byID[id] }

// OfKind returns the records of one kind, sorted by file.
func (d *dataset) OfKind(k schema.Kind) []*datadir.Record {
	var out []*datadir.Record
	for _, r := range d.Records {
		if r.Kind == k {
			out = append(out, r)
		}
	}
	return out
}

// ---- coding rules (CURATION rule 12, schema 1.1.0) ----

// dayRange returns the first and last day a partial date (YYYY, YYYY-MM, YYYY-MM-DD) may mean.
func dayRange(s string) (lo, hi time.Time, ok bool) {
	for _, layout := range []struct {
		format string
		span   func(time.Time) time.Time
	}{
		{"2006-01-02", func(t time.Time) time.Time { return t }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, -1) }},
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, -1) }},
	} {
		if t, err := time.Parse(layout.format, s); err == nil && len(s) == len(layout.format) {
			return t, layout.span(t), true
		}
	}
	return time.Time{}, time.Time{}, false
}

// bounds returns the earliest and latest day a date or reading object allows; a zero time is open.
func bounds(m map[string]any) (lo, hi time.Time) {
	if v, ok := m["value"].(string); ok {
		lo, hi, _ = dayRange(v)
		return lo, hi
	}
	if v, ok := m["start"].(string); ok {
		lo, _, _ = dayRange(v)
	}
	if v, ok := m["end"].(string); ok {
		_, hi, _ = dayRange(v)
	}
	return lo, hi
}

// claimantGroup is the group a claim speaks for: a group claimant's group, or a person's or
// unnamed claimant's group.
func claimantGroup(c *datadir.Record) string {
	cl, _ := c.Value.(map[string]any)["claimant"].(map[string]any)
	g, _ := cl["group"].(string)
	return g
}

// checkComplete holds the bundled data to what schema 1.1.0 makes optional but this dataset
// promises its users (the validator checks that these fields agree with the rest of a record,
// not that they are there): every source says its perspective; every area and relation of a
// group its status and the sources that state it; every casualty figure its role and basis.
func checkComplete(d *dataset) []string {
	var out []string
	for _, r := range d.Records {
		m := r.Value.(map[string]any)
		switch r.Kind {
		case schema.Source:
			if _, ok := m["perspective"]; !ok {
				out = append(out, fmt.Sprintf("%s: no perspective", r.File))
			}
		case schema.Group:
			for _, field := range []string{"areas", "relations"} {
				for i, item := range list(m[field]) {
					im, _ := item.(map[string]any)
					if _, ok := im["status"]; !ok {
						out = append(out, fmt.Sprintf("%s: /%s/%d has no status", r.File, field, i))
					}
					if len(list(im["sources"])) == 0 {
						out = append(out, fmt.Sprintf("%s: /%s/%d names no sources", r.File, field, i))
					}
				}
			}
		case schema.Incident:
			for i, f := range list(m["casualties"]) {
				fm := f.(map[string]any)
				if fm["role"] == nil || fm["basis"] == nil {
					out = append(out, fmt.Sprintf("%s: /casualties/%d has no role or no basis", r.File, i))
				}
			}
		}
	}
	return out
}

// textPath returns the path of a source record's stored text: its text_file beside the record.
func textPath(r *datadir.Record) string {
	m, _ := r.Value.(map[string]any)
	name, _ := m["text_file"].(string)
	if name == "" {
		return ""
	}
	return path.Join(path.Dir(r.File), name)
}

// TestKabulAirportRoles pins the roles of the airport figures: one total, three components
// of it, none of them added to it.
func TestKabulAirportRoles(t *testing.T) {
	d := load(t, apmd.Data())
	roles := map[string]string{}
	for _, f := range list(d.ByID("inc-kabul-airport-attack").Value.(map[string]any)["casualties"]) {
		fm := f.(map[string]any)
		roles[fmt.Sprint(fm["id"])] = fmt.Sprint(fm["role"]) + "/" + fmt.Sprint(fm["basis"])
	}
	want := map[string]string{
		"cas-kabul-airport-killed-total":            "total/reported",
		"cas-kabul-airport-killed-us-servicemen":    "component/reported",
		"cas-kabul-airport-killed-taliban":          "component/reported",
		"cas-kabul-airport-killed-afghan-civilians": "component/reported",
	}
	if fmt.Sprint(roles) != fmt.Sprint(want) {
		t.Errorf("airport figures: got %v, want %v", roles, want)
	}
}

// TestAttributions pins the attributions the 1.0.0 audit re-coded: the New Year attack is the
// act of an individual whom ISKP only inspired (E-1), the airport attack is attributed to ISKP,
// not disputed (E-2), and the Iran and Russia attacks have no perpetrator (E-4).
func TestAttributions(t *testing.T) {
	d := load(t, apmd.Data())
	perps := func(id string) string {
		var out []string
		for _, p := range list(d.ByID(id).Value.(map[string]any)["perpetrators"]) {
			pm := p.(map[string]any)
			g, _ := pm["group"].(string)
			ind, _ := pm["individual"].(string)
			out = append(out, fmt.Sprintf("%s|%s|%s", g, ind, pm["attribution"]))
		}
		return strings.Join(out, ", ")
	}
	for id, want := range map[string]string{
		"inc-us-new-year-attack-shams-uddin-jabbar":     "|Shams Uddin Jabbar|attributed, grp-iskp||inspired",
		"inc-kabul-airport-attack":                      "grp-iskp||attributed",
		"inc-deadly-attacks-iran-russia":                "",
		"inc-2024-12-11-kabul-refugee-ministry-bombing": "grp-iskp||claimed",
	} {
		if got := perps(id); got != want {
			t.Errorf("%s: perpetrators %q, want %q", id, got, want)
		}
	}
}

// TestFolderValidates validates the dataset folder on disk, as `apmd validate` and CI do: the
// embedded copy holds only the record folders and the manifest, so a stray file beside them
// (which the embed leaves out) would go unnoticed by the tests above.
func TestFolderValidates(t *testing.T) {
	rep, err := validate.Dir("dataset", validate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		t.Errorf("%s:%d:%d: %s %s: %s", f.File, f.Line, f.Column, f.Severity, f.Rule, f.Message)
	}
}
