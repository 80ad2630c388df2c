package synth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"github.com/apmd-data/apmd/schema"
)

// Break is one corrupted record, as listed in BreaksFile: a test of the validator checks that
// it reports Rule for File (at Pointer, where the rule reports a pointer).
type Break struct {
	File    string `json:"file"`
	Record  string `json:"record"`
	Break   string `json:"break"`
	Rule    string `json:"rule"`
	Pointer string `json:"pointer"`
}

// breakKind is one way to corrupt a record. Rule is the id of the validator rule expected to
// report it: this table is the one place that maps breaks to rules.
type breakKind struct {
	Name string
	Rule string
	Doc  string
	on   []schema.Kind
	// hides makes the record unreadable or its id unknown, so it is used only on records no
	// other record refers to (otherwise the references to it would add findings).
	hides bool
	// tree changes the record before it is rendered; ok is false when the record offers no
	// place for this break (then the next kind is tried).
	tree func(c *breakCtx) (pointer string, ok bool)
	// bytes changes the rendered file.
	bytes func(data []byte) []byte
}

type breakCtx struct {
	kind schema.Kind
	rec  *obj
	file *string
	r    *rand.Rand
	node *schema.Node
}

const (
	kindIncident = schema.Incident
	kindClaim    = schema.Claim
	kindGroup    = schema.Group
	kindSource   = schema.Source

	breakComponents = "components_exceed_total"
)

var (
	allKinds = []schema.Kind{kindSource, kindGroup, kindIncident, kindClaim}
	incOnly  = []schema.Kind{kindIncident}
)

var breakKinds = []*breakKind{
	{Name: "invalid_json", Rule: "json-syntax", Doc: "a comma missing between two members", on: incOnly, hides: true, bytes: dropComma},
	{Name: "bom", Rule: "file-bom", Doc: "a UTF-8 byte-order mark before the JSON", on: incOnly, hides: true, bytes: addBOM},
	{Name: "invalid_utf8", Rule: "file-not-utf8", Doc: "bytes that are not UTF-8 inside the title", on: incOnly, hides: true, bytes: badUTF8},
	{Name: "duplicate_key", Rule: "json-duplicate-key", Doc: "schema_version written twice (same value)", on: allKinds, tree: duplicateKey},
	{Name: "unknown_property", Rule: "schema", Doc: "a property 'note' the schema does not know (near 'notes')", on: allKinds, tree: unknownProperty},
	{Name: "missing_required", Rule: "schema", Doc: "a required property removed (with the evidence pointers to it)", on: allKinds, tree: missingRequired},
	{Name: "enum_near_miss", Rule: "schema", Doc: "a vocabulary value misspelt by one letter", on: allKinds, tree: enumNearMiss},
	{Name: "id_mismatch", Rule: "file-name-id", Doc: "the file named <id>-draft.json instead of <id>.json", on: incOnly, hides: true, tree: renameFile},
	{Name: "dangling_reference", Rule: "ref-unresolved", Doc: "a reference to a record that does not exist (one letter off)", on: []schema.Kind{kindIncident, kindClaim, kindGroup}, tree: danglingReference},
	{Name: "quote_not_in_text", Rule: "quote-not-found", Doc: "an evidence quote with one word doubled", on: allKinds, tree: alterQuote},
	{Name: "unsupported_fact", Rule: "fact-unsupported", Doc: "the last evidence item removed, so its facts have no quote", on: allKinds, tree: dropEvidence},
	{Name: "huge_number", Rule: "json-number-range", Doc: "a casualty count written as 1e9999999", on: incOnly, hides: true, tree: hugeNumber},
	{Name: "low_above_best", Rule: "count-order", Doc: "a count whose low exceeds its best", on: incOnly, tree: lowAboveBest},
	{Name: "interval_reversed", Rule: "interval-order", Doc: "a date interval that ends before it starts", on: []schema.Kind{kindIncident, kindClaim}, tree: reverseInterval},
	{Name: breakComponents, Rule: "components-exceed-total", Doc: "casualty components that add up to more than their total", on: incOnly, tree: componentsPointer},
	{Name: "sha256_mismatch", Rule: "source-sha256", Doc: "a source record whose sha256 is not its text's", on: []schema.Kind{kindSource}, tree: wrongSHA},
}

// BreakKind describes one way the generator can corrupt a record.
type BreakKind struct {
	Name, Rule, Doc string
	Kinds           []schema.Kind
}

// BreakKinds lists the ways the generator can corrupt a record, with the validator rule each
// one must trigger.
func BreakKinds() []BreakKind {
	out := make([]BreakKind, len(breakKinds))
	for i, k := range breakKinds {
		out[i] = BreakKind{k.Name, k.Rule, k.Doc, k.on}
	}
	return out
}

// breaker decides which records to break and how.
type breaker struct {
	seed  uint64
	share float64
	kinds []*breakKind
	set   *schema.Set
}

func newBreaker(opts Options) (*breaker, error) {
	b := &breaker{seed: opts.Seed, share: opts.Break}
	if opts.Break == 0 {
		return b, nil
	}
	set, err := schema.Released().Get(Version)
	if err != nil {
		return nil, err
	}
	b.set = set
	for _, k := range breakKinds {
		if len(opts.BreakKinds) == 0 || slices.Contains(opts.BreakKinds, k.Name) {
			b.kinds = append(b.kinds, k)
		}
	}
	for _, name := range opts.BreakKinds {
		if !slices.ContainsFunc(breakKinds, func(k *breakKind) bool { return k.Name == name }) {
			var names []string
			for _, k := range breakKinds {
				names = append(names, k.Name)
			}
			return nil, fmt.Errorf("synth: unknown break kind %q (known: %s)", name, strings.Join(names, ", "))
		}
	}
	return b, nil
}

// pick returns the ways to break record i of a kind, in the order to try them, or nil when
// the record stays valid. The choice depends only on the seed, the kind and i.
func (b *breaker) pick(kind schema.Kind, i uint64, leaf bool) []*breakKind {
	if b.share == 0 {
		return nil
	}
	kt := uint64(slices.Index(allKinds, kind)+1) << 40
	h := hash(b.seed, tagBreak, kt|i)
	if unit(h) >= b.share {
		return nil
	}
	var cands []*breakKind
	for _, k := range b.kinds {
		if slices.Contains(k.on, kind) && (leaf || !k.hides) {
			cands = append(cands, k)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	start := int(hash(b.seed, tagBreak, kt|i|1<<39) % uint64(len(cands)))
	return append(cands[start:], cands[:start]...)
}

// apply breaks one record (before it is rendered) in the first way that fits it. It returns
// the break (nil if none fits) and the function to apply to the rendered bytes.
func (b *breaker) apply(ways []*breakKind, kind schema.Kind, rec *obj, file *string, r *rand.Rand) (*Break, func([]byte) []byte) {
	for _, k := range ways {
		c := &breakCtx{kind: kind, rec: rec, file: file, r: r, node: b.set.Node(kind)}
		ptr := ""
		if k.tree != nil {
			var ok bool
			if ptr, ok = k.tree(c); !ok {
				continue
			}
		}
		id, _ := rec.get("id")
		idStr, _ := id.(string)
		return &Break{File: *file, Record: idStr, Break: k.Name, Rule: k.Rule, Pointer: ptr}, k.bytes
	}
	return nil, nil
}

func renderBreaks(all []Break) []byte {
	sort.Slice(all, func(i, j int) bool { return all[i].File < all[j].File })
	if all == nil {
		all = []Break{}
	}
	b, _ := json.MarshalIndent(all, "", "  ") // plain structs: cannot fail
	return append(b, '\n')
}

// ReadBreaks reads the manifest of broken records that Generate wrote to a folder.
func ReadBreaks(data []byte) ([]Break, error) {
	var out []Break
	err := json.Unmarshal(data, &out)
	return out, err
}

func dropComma(data []byte) []byte {
	i := bytes.Index(data, []byte(",\n"))
	return append(data[:i:i], data[i+1:]...)
}

func addBOM(data []byte) []byte { return append([]byte("\xef\xbb\xbf"), data...) }

func badUTF8(data []byte) []byte {
	key := []byte(`"title": "`)
	i := bytes.Index(data, key) + len(key)
	return slices.Concat(data[:i], []byte("\xff\xfe"), data[i:])
}

func duplicateKey(c *breakCtx) (string, bool) {
	c.rec.add("schema_version", Version)
	return "/schema_version", true
}

func unknownProperty(c *breakCtx) (string, bool) {
	c.rec.add("note", "Checked against a second report.")
	return "/note", true
}

// missingRequired removes a required property of the record, and every evidence pointer and
// inference that names it, so that the schema finding is the only one.
func missingRequired(c *breakCtx) (string, bool) {
	var names []string
	for _, p := range c.node.Properties {
		switch p.Name {
		case "id", "schema_version", "evidence", "text_file", "sha256":
			continue // without these the record could not be checked at all
		}
		if p.Required {
			names = append(names, p.Name)
		}
	}
	name := names[c.r.IntN(len(names))]
	c.rec.del(name)
	forgetPointer(c.rec, "/"+name)
	return "", true
}

// forgetPointer removes a pointer from every evidence item's supports (and the items left
// with none) and the inferences about it.
func forgetPointer(rec *obj, ptr string) {
	if ev, ok := rec.get("evidence"); ok {
		var kept []any
		for _, it := range ev.([]any) {
			o := it.(obj)
			sup, _ := o.get("supports")
			s := slices.DeleteFunc(slices.Clone(sup.([]string)), func(p string) bool { return p == ptr })
			if len(s) > 0 {
				o.set("supports", s)
				kept = append(kept, o)
			}
		}
		rec.set("evidence", kept)
	}
	if inf, ok := rec.get("inferences"); ok {
		kept := slices.DeleteFunc(slices.Clone(inf.([]any)), func(it any) bool {
			f, _ := it.(obj).get("field")
			return f == ptr
		})
		if len(kept) == 0 {
			rec.del("inferences")
		} else {
			rec.set("inferences", kept)
		}
	}
}

// enumNearMiss misspells a top-level vocabulary value, the schema's own list telling which
// properties have one (so that the validator can answer "did you mean …?").
func enumNearMiss(c *breakCtx) (string, bool) {
	props := slices.Clone(c.node.Properties)
	c.r.Shuffle(len(props), func(i, j int) { props[i], props[j] = props[j], props[i] })
	for _, p := range props {
		if len(p.Enum) == 0 {
			continue
		}
		v, ok := c.rec.get(p.Name)
		s, isStr := v.(string)
		if !ok || !isStr {
			continue
		}
		miss := s + "s"
		if strings.HasSuffix(s, "s") {
			miss = s[:len(s)-1]
		}
		if slices.Contains(p.Enum, miss) {
			continue
		}
		c.rec.set(p.Name, miss)
		return "/" + p.Name, true
	}
	return "", false
}

func renameFile(c *breakCtx) (string, bool) {
	*c.file = strings.TrimSuffix(*c.file, ".json") + "-draft.json"
	return "/id", true
}

// nearMiss returns an id one letter off: the last character dropped, or an 'x' added where
// dropping it would break the id's pattern.
func nearMiss(id string) string {
	if n := len(id); n > 5 && id[n-2] != '-' {
		return id[:n-1]
	}
	return id + "x"
}

func danglingReference(c *breakCtx) (string, bool) {
	_, hasPerps := c.rec.get("perpetrators")
	_, hasRelations := c.rec.get("relations")
	switch {
	case c.kind == kindIncident && hasPerps:
		return missIn(*c.rec, "perpetrators", "group"), true
	case c.kind == kindIncident:
		return missIn(*c.rec, "casualties", "source"), true
	case c.kind == kindGroup && hasRelations:
		return missIn(*c.rec, "relations", "group"), true
	case c.kind == kindGroup:
		ns, _ := c.rec.get("names")
		return "/names/0" + missFirst(ns.([]any)[0].(obj), "sources"), true
	case c.kind == kindClaim:
		return missFirst(*c.rec, "incidents"), true
	}
	return "", false
}

// missIn makes the member key of the first object of the list rec[list] one letter off.
func missIn(rec obj, list, key string) string {
	l, _ := rec.get(list)
	o := l.([]any)[0].(obj)
	v, _ := o.get(key)
	o.set(key, nearMiss(v.(string)))
	return "/" + list + "/0/" + key
}

// missFirst makes the first id of the list o[list] one letter off.
func missFirst(o obj, list string) string {
	v, _ := o.get(list)
	l := slices.Clone(v.([]string))
	l[0] = nearMiss(l[0])
	o.set(list, l)
	return "/" + list + "/0"
}

// alterQuote doubles the middle word of the first quote: a copying slip the text cannot
// contain, since no generated sentence repeats a word.
func alterQuote(c *breakCtx) (string, bool) {
	ev, _ := c.rec.get("evidence")
	it := ev.([]any)[0].(obj)
	q, _ := it.get("quote")
	words := strings.Split(q.(string), " ")
	m := len(words) / 2
	words = slices.Insert(words, m, words[m])
	it.set("quote", strings.Join(words, " "))
	return "/evidence/0/quote", true
}

func dropEvidence(c *breakCtx) (string, bool) {
	ev, _ := c.rec.get("evidence")
	l := ev.([]any)
	if len(l) < 2 {
		return "", false
	}
	sup, _ := l[len(l)-1].(obj).get("supports")
	c.rec.set("evidence", l[:len(l)-1])
	return sup.([]string)[0], true
}

// editFirstBest applies edit to the count of the first casualty figure that has a best
// value and returns that best's pointer.
func editFirstBest(c *breakCtx, edit func(count *obj, best int)) (string, bool) {
	cs, _ := c.rec.get("casualties")
	for i, f := range cs.([]any) {
		cnt, _ := f.(obj).get("count")
		co := cnt.(obj)
		if best, ok := co.get("best"); ok {
			edit(&co, best.(int))
			fo := f.(obj)
			fo.set("count", co)
			return fmt.Sprintf("/casualties/%d/count/best", i), true
		}
	}
	return "", false
}

// hugeNumber writes the first casualty count's best as a number no exact comparison holds.
func hugeNumber(c *breakCtx) (string, bool) {
	return editFirstBest(c, func(co *obj, _ int) { co.set("best", json.Number("1e9999999")) })
}

func lowAboveBest(c *breakCtx) (string, bool) {
	return editFirstBest(c, func(co *obj, best int) { co.set("low", best+1) })
}

func reverseInterval(c *breakCtx) (string, bool) {
	d, _ := c.rec.get("date")
	date := d.(obj)
	v, ok := date.get("value")
	if !ok {
		return "", false
	}
	s := v.(string)
	if len(s) != len("2006-01-02") {
		return "", false
	}
	// The end a month before the start: the same day of the previous month.
	y, m := s[:4], s[5:7]
	mm := (int(m[0]-'0')*10 + int(m[1]-'0'))
	yy := int(y[0]-'0')*1000 + int(y[1]-'0')*100 + int(y[2]-'0')*10 + int(y[3]-'0')
	if mm == 1 {
		mm, yy = 12, yy-1
	} else {
		mm--
	}
	end := fmt.Sprintf("%04d-%02d-%s", yy, mm, min(s[8:], "28"))
	date.set("type", "interval")
	date.del("value")
	date.del("precision")
	date.del("text")
	date.add("start", s)
	date.add("end", end)
	date.add("precision", "day")
	c.rec.set("date", date)
	return "/date", true
}

// componentsPointer names the total whose components the incident builder made too large
// (it can only do so when this break was chosen first, before the incident was built).
func componentsPointer(c *breakCtx) (string, bool) {
	cs, _ := c.rec.get("casualties")
	l := cs.([]any)
	if len(l) < 2 {
		return "", false
	}
	bound := func(f any, names ...string) int {
		cnt, _ := f.(obj).get("count")
		for _, n := range names {
			if v, ok := cnt.(obj).get(n); ok {
				return v.(int)
			}
		}
		return -1
	}
	if _, ok := l[1].(obj).get("component_of"); !ok || bound(l[1], "low") <= bound(l[0], "high", "best") {
		return "", false
	}
	return "/casualties/0/count", true
}

func wrongSHA(c *breakCtx) (string, bool) {
	v, _ := c.rec.get("sha256")
	s := v.(string)
	flip := "0"
	if s[0] == '0' {
		flip = "1"
	}
	c.rec.set("sha256", flip+s[1:])
	return "/sha256", true
}
