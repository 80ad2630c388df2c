package synth

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/internal/jsonpos"
	"github.com/apmd-data/apmd/schema"
)

// problem is what check finds wrong with a generated dataset, named by the validator rule
// that should report it.
type problem struct{ file, rule, pointer string }

// check is an independent, deliberately simple reading of the rules the generator must
// respect (and, in broken datasets, violate): a valid dataset gives no problem; a broken one
// gives the problems its manifest lists, and no others.
func check(t *testing.T, dir string) []problem {
	t.Helper()
	fsys := os.DirFS(dir)
	entries, err := datadir.List(fsys)
	if err != nil {
		t.Fatal(err)
	}
	set, err := schema.Released().Get(Version)
	if err != nil {
		t.Fatal(err)
	}
	var probs []problem
	add := func(file, rule, ptr string) { probs = append(probs, problem{file, rule, ptr}) }
	var recs []*datadir.Record
	ids := map[string]bool{}
	for _, e := range entries {
		if e.Kind == "" {
			if !strings.HasSuffix(e.Path, ".txt") {
				add(e.Path, "file-unexpected", "")
			}
			continue
		}
		data, err := fs.ReadFile(fsys, e.Path)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
			add(e.Path, "file-bom", "")
			continue
		case !utf8.Valid(data):
			add(e.Path, "file-not-utf8", "")
			continue
		}
		r, err := datadir.DecodeRecord(e.Kind, e.Path, data)
		if err != nil {
			add(e.Path, "json-syntax", "")
			continue
		}
		for _, d := range r.Duplicates {
			add(e.Path, "json-duplicate-key", d.Pointer)
		}
		if ptr, ok := hugeNumberAt(r.Value, ""); ok { // jsonschema/v5 cannot compare it
			add(e.Path, "json-number-range", ptr)
			continue
		}
		if err := set.Validate(e.Kind, r.Value); err != nil {
			add(e.Path, "schema", "")
		}
		if e.Kind == schema.Manifest {
			continue
		}
		if path.Base(e.Path) != r.ID+".json" {
			add(e.Path, "file-name-id", "/id")
		}
		if ids[r.ID] {
			add(e.Path, "id-duplicate", "/id")
		}
		ids[r.ID] = true
		recs = append(recs, r)
	}

	texts := map[string]string{}
	published := map[string]string{}
	names := map[string]string{}
	for _, r := range recs {
		m := r.Value.(map[string]any)
		switch r.Kind {
		case schema.Source:
			data, err := fs.ReadFile(fsys, path.Join(path.Dir(r.File), m["text_file"].(string)))
			if err != nil {
				t.Fatal(err)
			}
			texts[r.ID] = strings.Join(strings.Fields(string(data)), " ")
			sum := sha256.Sum256(data)
			if m["sha256"] != hex.EncodeToString(sum[:]) {
				add(r.File, "source-sha256", "/sha256")
			}
			published[r.ID] = m["published"].(map[string]any)["value"].(string)
		case schema.Incident:
			if cs, ok := m["casualties"].([]any); ok {
				for _, c := range cs {
					ids[c.(map[string]any)["id"].(string)] = true
				}
			}
		case schema.Group:
			for _, n := range m["names"].([]any) {
				name := strings.ToLower(n.(map[string]any)["name"].(string))
				if other, ok := names[name]; ok && other != r.ID {
					add(r.File, "group-name-shared", "")
				}
				names[name] = r.ID
			}
		}
	}

	for _, r := range recs {
		m := r.Value.(map[string]any)
		// Every string that looks like an id, other than the ids a record gives itself, is a
		// reference that must resolve.
		walk(m, "", func(ptr string, v any) {
			s, ok := v.(string)
			if !ok || ptr == "/id" || strings.HasSuffix(ptr, "/id") && strings.HasPrefix(ptr, "/casualties/") {
				return
			}
			for _, p := range []string{"src-", "grp-", "inc-", "clm-", "cas-"} {
				if strings.HasPrefix(s, p) && !strings.Contains(s, ".") && !strings.Contains(s, " ") && !ids[s] {
					add(r.File, "ref-unresolved", ptr)
				}
			}
		})
		covered := func(ptr string) bool {
			for _, list := range [][]any{anys(m["evidence"]), anys(m["inferences"])} {
				for _, it := range list {
					o := it.(map[string]any)
					ps := anys(o["supports"])
					if f, ok := o["field"]; ok {
						ps = append(ps, f)
					}
					for _, p := range ps {
						if ptr == p || strings.HasPrefix(ptr, p.(string)+"/") {
							return true
						}
					}
				}
			}
			return false
		}
		for _, ptr := range schema.FactPointers(set.Node(r.Kind), m) {
			if !covered(ptr) {
				add(r.File, "fact-unsupported", ptr)
			}
		}
		for i, it := range anys(m["evidence"]) {
			o := it.(map[string]any)
			src, _ := o["source"].(string)
			if text, ok := texts[src]; ok && !strings.Contains(text, strings.Join(strings.Fields(o["quote"].(string)), " ")) {
				add(r.File, "quote-not-found", fmt.Sprintf("/evidence/%d/quote", i))
			}
			for _, p := range anys(o["supports"]) {
				if _, ok := jsonpos.Resolve(m, p.(string)); !ok {
					add(r.File, "supports-unresolved", p.(string))
				}
			}
			if date := dateOf(m); date != "" && published[src] != "" && date > published[src] {
				add(r.File, "event-after-source", "/date")
			}
		}
		if d, ok := m["date"].(map[string]any); ok && d["type"] == "interval" && d["end"] != nil && d["start"].(string) > d["end"].(string) {
			add(r.File, "interval-order", "/date")
		}
		cs := anys(m["casualties"])
		sums := map[string]int{}
		for i, c := range cs {
			cm := c.(map[string]any)
			low, best, high := bound(cm, "low"), bound(cm, "best"), bound(cm, "high")
			if low >= 0 && best >= 0 && low > best || best >= 0 && high >= 0 && best > high || low >= 0 && high >= 0 && low > high {
				add(r.File, "count-order", fmt.Sprintf("/casualties/%d/count/best", i))
			}
			if total, ok := cm["component_of"].(string); ok {
				sums[total] += max(low, best)
			}
		}
		for i, c := range cs {
			cm := c.(map[string]any)
			upper := bound(cm, "high")
			if upper < 0 {
				upper = bound(cm, "best")
			}
			if s, ok := sums[cm["id"].(string)]; ok && upper >= 0 && s > upper {
				add(r.File, "components-exceed-total", fmt.Sprintf("/casualties/%d/count", i))
			}
		}
	}
	return probs
}

func anys(v any) []any { l, _ := v.([]any); return l }

func bound(casualty map[string]any, name string) int {
	c, _ := casualty["count"].(map[string]any)
	n, ok := c[name].(json.Number)
	if !ok {
		return -1
	}
	i, _ := strconv.Atoi(string(n))
	return i
}

// dateOf returns the latest day a record's date can mean, as a comparable string.
func dateOf(m map[string]any) string {
	d, ok := m["date"].(map[string]any)
	if !ok {
		return ""
	}
	v, _ := d["value"].(string)
	if e, ok := d["end"].(string); ok {
		v = e
	}
	if len(v) == 7 {
		v += "-00" // a month sorts before any day of the month after it
	}
	return v
}

func walk(v any, ptr string, fn func(string, any)) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			walk(x, ptr+"/"+jsonpos.EscapePointerToken(k), fn)
		}
	case []any:
		for i, x := range v {
			walk(x, ptr+"/"+strconv.Itoa(i), fn)
		}
	default:
		fn(ptr, v)
	}
}

func TestValid(t *testing.T) {
	dir := t.TempDir()
	if err := Generate(dir, Options{Incidents: 700, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	for _, p := range check(t, dir) {
		t.Errorf("%s: %s at %q", p.file, p.rule, p.pointer)
	}
	entries, _ := datadir.List(os.DirFS(dir))
	count := map[schema.Kind]int{}
	for _, e := range entries {
		count[e.Kind]++
	}
	src, grp, clm := Counts(700)
	want := map[schema.Kind]int{schema.Manifest: 1, schema.Incident: 700, schema.Claim: clm, schema.Group: grp, schema.Source: src, "": src}
	for k, n := range want {
		if count[k] != n {
			t.Errorf("%d files of kind %q, want %d", count[k], k, n)
		}
	}
	if _, err := os.Stat(dir + "/" + BreaksFile); !os.IsNotExist(err) {
		t.Errorf("a valid dataset has a %s (err %v)", BreaksFile, err)
	}
}

// TestBroken checks that every break is detectable by the rule the table names, and that a
// break causes nothing else: a validator that reports more has a false positive.
func TestBroken(t *testing.T) {
	dir := t.TempDir()
	if err := Generate(dir, Options{Incidents: 900, Seed: 7, Break: 0.4}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(dir + "/" + BreaksFile)
	if err != nil {
		t.Fatal(err)
	}
	breaks, err := ReadBreaks(data)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, p := range check(t, dir) {
		got[p.file] = append(got[p.file], p.rule)
	}
	seen := map[string]int{}
	for _, b := range breaks {
		seen[b.Break]++
		rules := got[b.File]
		if !slices.Contains(rules, b.Rule) {
			t.Errorf("%s: broken by %s, but no %s problem (found %v)", b.File, b.Break, b.Rule, rules)
		}
		for _, r := range rules {
			if r != b.Rule && !(b.Break == "unsupported_fact" && r == "fact-unsupported") {
				t.Errorf("%s: broken by %s, also has a %s problem", b.File, b.Break, r)
			}
		}
		delete(got, b.File)
	}
	for f, rules := range got {
		t.Errorf("%s: not broken, but has problems %v", f, rules)
	}
	for _, k := range BreakKinds() {
		if seen[k.Name] == 0 {
			t.Errorf("no record broken by %s", k.Name)
		}
	}
	if len(breaks) < 300 {
		t.Errorf("%d breaks in %d+ records at share 0.4", len(breaks), 900)
	}
}

func TestDeterministic(t *testing.T) {
	sum := func(seed uint64, workers int) string {
		dir := t.TempDir()
		if err := Generate(dir, Options{Incidents: 300, Seed: seed, Break: 0.2, Workers: workers}); err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := os.ReadFile(dir + "/" + p)
				fmt.Fprintf(h, "%s %x\n", p, sha256.Sum256(b))
			}
			return err
		})
		return hex.EncodeToString(h.Sum(nil))
	}
	a, b, c := sum(3, 1), sum(3, 7), sum(4, 2)
	if a != b {
		t.Error("the same seed gave different datasets with 1 and 7 workers")
	}
	if a == c {
		t.Error("seeds 3 and 4 gave the same dataset")
	}
}

func TestOptions(t *testing.T) {
	for _, o := range []Options{{Incidents: 0}, {Incidents: 5, Break: 1.5}, {Incidents: 5, Break: 0.1, BreakKinds: []string{"nope"}}} {
		if err := Generate(t.TempDir(), o); err == nil {
			t.Errorf("Generate(%+v) did not fail", o)
		}
	}
}

// TestBreaksDoc keeps the table of breaks in docs/performance.md in step with the generator's.
func TestBreaksDoc(t *testing.T) {
	data, err := os.ReadFile("../../docs/performance.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, k := range BreakKinds() {
		if row := "| `" + k.Name + "` | `" + k.Rule + "` |"; !strings.Contains(readme, row) {
			t.Errorf("docs/performance.md has no row %q", row)
		}
	}
}

// hugeNumberAt finds a number under v that math/big cannot hold, as 1e9999999.
func hugeNumberAt(v any, ptr string) (string, bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if p, ok := hugeNumberAt(x, ptr+"/"+k); ok {
				return p, true
			}
		}
	case []any:
		for i, x := range v {
			if p, ok := hugeNumberAt(x, ptr+"/"+strconv.Itoa(i)); ok {
				return p, true
			}
		}
	case json.Number:
		if _, ok := new(big.Rat).SetString(string(v)); !ok {
			return ptr, true
		}
	}
	return "", false
}
