package schema

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"path"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/apmd-data/apmd/internal/english"
	"github.com/apmd-data/apmd/internal/jsonpos"
)

// Bump is a SemVer step: the least a schema change requires (see schema/VERSIONING.md).
type Bump int

// The bumps, in increasing order.
const (
	BumpNone Bump = iota
	BumpPatch
	BumpMinor
	BumpMajor
)

func (b Bump) String() string {
	return [...]string{"none", "patch", "minor", "major"}[b]
}

// MarshalText writes a Bump as its name, so that JSON reports read "major", not 3.
func (b Bump) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// BumpBetween returns the step from one canonical version to another (BumpNone when equal or
// not increasing).
func BumpBetween(from, to string) Bump {
	a, ea := ParseVersion(from)
	b, eb := ParseVersion(to)
	switch {
	case ea != nil || eb != nil || CompareVersions(from, to) >= 0:
		return BumpNone
	case b[0] != a[0]:
		return BumpMajor
	case b[1] != a[1]:
		return BumpMinor
	}
	return BumpPatch
}

// ChangeType is one kind of schema change: a stable name, what it means, whom it breaks and
// the bump it requires. Records break when a record valid under the old version can be invalid
// under the new one; export columns break when a column disappears, is renamed or changes type.
type ChangeType struct {
	Name          string
	Doc           string
	BreaksRecords bool
	BreaksColumns bool
	Bump          Bump
}

// The change types apmd schema diff reports.
var (
	KindAdded             = &ChangeType{"kind-added", "a record kind (schema file) was added", false, false, BumpMinor}
	KindRemoved           = &ChangeType{"kind-removed", "a record kind (schema file) was removed", true, true, BumpMajor}
	PropertyAdded         = &ChangeType{"property-added", "an optional property was added", false, false, BumpMinor}
	RequiredAdded         = &ChangeType{"required-property-added", "a required property was added: older records lack it", true, false, BumpMajor}
	PropertyRemoved       = &ChangeType{"property-removed", "a property was removed (or renamed): records using it fail and its column disappears", true, true, BumpMajor}
	NowRequired           = &ChangeType{"property-now-required", "an optional property became required", true, false, BumpMajor}
	NowOptional           = &ChangeType{"property-now-optional", "a required property became optional", false, false, BumpMinor}
	TypeChanged           = &ChangeType{"type-changed", "the JSON type changed: values and the column's type change", true, true, BumpMajor}
	FormatChanged         = &ChangeType{"format-changed", "the format changed (asserted by apmd): values and the column's type may change", true, true, BumpMajor}
	VocabularyNarrowed    = &ChangeType{"vocabulary-narrowed", "allowed values were removed (or a free value got a vocabulary)", true, false, BumpMajor}
	VocabularyWidened     = &ChangeType{"vocabulary-widened", "allowed values were added (or a vocabulary was lifted)", false, false, BumpMinor}
	ConstraintTightened   = &ChangeType{"constraint-tightened", "a constraint got stricter (length, bounds, pattern, item counts, other keywords)", true, false, BumpMajor}
	ConstraintLoosened    = &ChangeType{"constraint-loosened", "a constraint got looser or was removed", false, false, BumpMinor}
	ConstChanged          = &ChangeType{"const-changed", "a constant value changed", true, false, BumpMajor}
	EvidenceRequired      = &ChangeType{"evidence-required", "a property became fact-bearing (x-evidence): the validator now wants a quote for it", true, false, BumpMajor}
	EvidenceDropped       = &ChangeType{"evidence-dropped", "a property is no longer fact-bearing (x-evidence)", false, false, BumpMinor}
	KeywordChanged        = &ChangeType{"keyword-changed", "a validation keyword apmd cannot order changed (e.g. if/then/else, anyOf): review it by hand; assumed breaking", true, false, BumpMajor}
	DocumentationChanged  = &ChangeType{"documentation-changed", "a title, description, vocabulary definition or other annotation changed", false, false, BumpPatch}
	PropertiesReordered   = &ChangeType{"properties-reordered", "properties changed order: column order changes (columns are a contract by name, not by position)", false, false, BumpPatch}
	VersionConstFollowing = &ChangeType{"version-const", "the schema_version constant follows the version, as it must", false, false, BumpNone}
)

// ChangeTypes lists every change type, in the order the documentation shows them.
var ChangeTypes = []*ChangeType{
	KindAdded, KindRemoved, PropertyAdded, RequiredAdded, PropertyRemoved, NowRequired, NowOptional,
	TypeChanged, FormatChanged, VocabularyNarrowed, VocabularyWidened, ConstraintTightened,
	ConstraintLoosened, ConstChanged, EvidenceRequired, EvidenceDropped, KeywordChanged,
	DocumentationChanged, PropertiesReordered, VersionConstFollowing,
}

// Change is one difference between two versions.
type Change struct {
	// Kind is the record kind the change affects; "" for a keyword change in a shared file.
	Kind Kind
	// Pointer locates the change: for a property, the record pointer with "*" for any array
	// item (e.g. /casualties/*/count/best); for a keyword change, file#schema-pointer.
	Pointer string
	Type    *ChangeType
	Detail  string
}

// BreaksRecords tells whether a record valid under the old version may be invalid under the new.
func (c Change) BreaksRecords() bool { return c.Type.BreaksRecords }

// BreaksColumns tells whether an export column disappears, is renamed or changes type. The
// manifest is not a table, so its changes break no column.
func (c Change) BreaksColumns() bool { return c.Type.BreaksColumns && c.Kind != Manifest }

// Bump is the least version step the change requires.
func (c Change) Bump() Bump { return c.Type.Bump }

// Report is the result of comparing two versions.
type Report struct {
	From, To string
	Changes  []Change
}

// Required is the least bump the changes require together.
func (r *Report) Required() Bump {
	b := BumpNone
	for _, c := range r.Changes {
		b = max(b, c.Bump())
	}
	return b
}

// Snapshot is one version's schema documents read from a file system, not compiled: each
// kind's annotated tree, and the parsed documents for the keywords the tree does not carry.
type Snapshot struct {
	Version string
	nodes   map[Kind]*Node
	docs    map[string]any // file name → document
}

// ReadSnapshot reads every <version>/*.schema.json of fsys. Kinds whose file is missing have no
// tree, so that synthetic documents (one kind, no defs) can be compared too.
func ReadSnapshot(fsys fs.FS, version string) (*Snapshot, error) {
	names, err := fs.Glob(fsys, version+"/*.schema.json")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%w %q: no %s/*.schema.json", ErrUnknownVersion, version, version)
	}
	s := &Snapshot{Version: version, nodes: map[Kind]*Node{}, docs: map[string]any{}}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		doc, _, err := jsonpos.Decode(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		s.docs[path.Base(name)] = doc
	}
	for _, k := range append([]Kind{Manifest}, Kinds...) {
		if _, ok := s.docs[string(k)+".schema.json"]; !ok {
			continue
		}
		n, err := buildTreeFS(fsys, version, k)
		if err != nil {
			return nil, fmt.Errorf("%s/%s.schema.json: %w", version, k, err)
		}
		s.nodes[k] = n
	}
	return s, nil
}

// Diff compares two versions: the kinds' trees property by property, then, in the raw
// documents, the validation keywords the trees do not carry.
func Diff(from, to *Snapshot) *Report {
	d := &differ{from: from.Version, to: to.Version}
	for _, k := range append([]Kind{Manifest}, Kinds...) {
		a, b := from.nodes[k], to.nodes[k]
		switch {
		case a == nil && b != nil:
			d.add(k, "", KindAdded, "kind %s added", k)
		case a != nil && b == nil:
			d.add(k, "", KindRemoved, "kind %s removed", k)
		case a != nil:
			d.node(k, "", a, b)
		}
	}
	for _, f := range sortedKeys(from.docs, to.docs) {
		a, b := from.docs[f], to.docs[f]
		if a == nil || b == nil {
			continue // a whole kind added or removed is reported above
		}
		k := Kind(strings.TrimSuffix(f, ".schema.json"))
		if !slices.Contains(append([]Kind{Manifest}, Kinds...), k) {
			k = ""
		}
		d.keywords(k, f, "", a, b)
	}
	return &Report{From: from.Version, To: to.Version, Changes: d.out}
}

type differ struct {
	from, to string
	out      []Change
}

func (d *differ) add(k Kind, ptr string, t *ChangeType, format string, args ...any) {
	d.out = append(d.out, Change{Kind: k, Pointer: ptr, Type: t, Detail: fmt.Sprintf(format, args...)})
}

func (d *differ) node(k Kind, ptr string, a, b *Node) {
	if a.Type != b.Type {
		d.add(k, ptr, TypeChanged, "type %s → %s", typeName(a.Type), typeName(b.Type))
		return // the rest of the two schemas describe different values
	}
	if a.Format != b.Format {
		d.add(k, ptr, FormatChanged, "format %q → %q", a.Format, b.Format)
	}
	if a.Title != b.Title || a.Description != b.Description {
		d.add(k, ptr, DocumentationChanged, "title or description changed")
	}
	d.constConst(k, ptr, a.Const, b.Const)
	d.vocabulary(k, ptr, a, b)
	if a.Evidence != b.Evidence {
		if b.Evidence {
			d.add(k, ptr, EvidenceRequired, "now needs an evidence quote or an inference")
		} else {
			d.add(k, ptr, EvidenceDropped, "no longer needs evidence")
		}
	}
	d.pattern(k, ptr, a.Pattern, b.Pattern)
	d.bound(k, ptr, "minLength", intf(a.MinLength), intf(b.MinLength), false)
	d.bound(k, ptr, "maxLength", intf(a.MaxLength), intf(b.MaxLength), true)
	d.bound(k, ptr, "minimum", a.Minimum, b.Minimum, false)
	d.bound(k, ptr, "maximum", a.Maximum, b.Maximum, true)
	d.properties(k, ptr, a, b)
	switch {
	case a.Items != nil && b.Items != nil:
		d.node(k, ptr+"/*", a.Items, b.Items)
	case a.Items == nil && b.Items != nil:
		d.add(k, ptr+"/*", ConstraintTightened, "items now constrained")
	case a.Items != nil && b.Items == nil:
		d.add(k, ptr+"/*", ConstraintLoosened, "items no longer constrained")
	}
}

func (d *differ) constConst(k Kind, ptr string, a, b any) {
	if reflect.DeepEqual(a, b) {
		return
	}
	switch {
	case a == d.from && b == d.to:
		d.add(k, ptr, VersionConstFollowing, "const %q → %q", a, b)
	case b == nil:
		d.add(k, ptr, ConstraintLoosened, "const %s removed", compact(a))
	default:
		d.add(k, ptr, ConstChanged, "const %s → %s", compact(a), compact(b))
	}
}

func (d *differ) vocabulary(k Kind, ptr string, a, b *Node) {
	switch {
	case len(a.Enum) == 0 && len(b.Enum) > 0:
		d.add(k, ptr, VocabularyNarrowed, "values now limited to %s", english.Quoted(b.Enum, 0))
		return
	case len(a.Enum) > 0 && len(b.Enum) == 0:
		d.add(k, ptr, VocabularyWidened, "vocabulary %s lifted", english.Quoted(a.Enum, 0))
		return
	}
	var removed, added, redefined []string
	for _, v := range a.Enum {
		if !slices.Contains(b.Enum, v) {
			removed = append(removed, v)
		} else if a.Vocabulary[v] != b.Vocabulary[v] {
			redefined = append(redefined, v)
		}
	}
	for _, v := range b.Enum {
		if !slices.Contains(a.Enum, v) {
			added = append(added, v)
		}
	}
	if len(removed) > 0 {
		d.add(k, ptr, VocabularyNarrowed, "values removed: %s", english.Quoted(removed, 0))
	}
	if len(added) > 0 {
		d.add(k, ptr, VocabularyWidened, "values added: %s", english.Quoted(added, 0))
	}
	if len(redefined) > 0 {
		d.add(k, ptr, DocumentationChanged, "definitions changed: %s", english.Quoted(redefined, 0))
	}
}

// pattern treats any change of a pattern as tightening: whether one regular expression
// accepts everything another does is not decidable here, so the diff assumes the worst.
func (d *differ) pattern(k Kind, ptr, a, b string) {
	switch {
	case a == b:
	case a == "":
		d.add(k, ptr, ConstraintTightened, "pattern %q added", b)
	case b == "":
		d.add(k, ptr, ConstraintLoosened, "pattern %q removed", a)
	default:
		d.add(k, ptr, ConstraintTightened, "pattern %q → %q (may reject values the old one accepted)", a, b)
	}
}

// bound compares a lower (upper=false) or upper bound; nil is no bound.
func (d *differ) bound(k Kind, ptr, name string, a, b *float64, upper bool) {
	switch {
	case a == nil && b == nil:
		return
	case a != nil && b != nil && *a == *b:
		return
	case a == nil:
		d.add(k, ptr, ConstraintTightened, "%s %v added", name, *b)
	case b == nil:
		d.add(k, ptr, ConstraintLoosened, "%s %v removed", name, *a)
	case (*b < *a) == upper:
		d.add(k, ptr, ConstraintTightened, "%s %v → %v", name, *a, *b)
	default:
		d.add(k, ptr, ConstraintLoosened, "%s %v → %v", name, *a, *b)
	}
}

func (d *differ) properties(k Kind, ptr string, a, b *Node) {
	var removed, added []string
	for _, p := range a.Properties {
		if b.Prop(p.Name) == nil {
			removed = append(removed, p.Name)
		}
	}
	for _, p := range b.Properties {
		if a.Prop(p.Name) == nil {
			added = append(added, p.Name)
		}
	}
	// One property out and one in, side by side, is most likely a rename: say so.
	hint := func(other string) string {
		if len(removed) == 1 && len(added) == 1 {
			return fmt.Sprintf(" (renamed %s?)", other)
		}
		return ""
	}
	for _, name := range removed {
		d.add(k, ptr+"/"+jsonpos.EscapePointerToken(name), PropertyRemoved, "property %q removed%s", name, hint("to "+strings.Join(added, "")))
	}
	var common []string
	for _, p := range b.Properties {
		old := a.Prop(p.Name)
		pp := ptr + "/" + jsonpos.EscapePointerToken(p.Name)
		if old == nil {
			t := PropertyAdded
			if p.Required {
				t = RequiredAdded
			}
			d.add(k, pp, t, "%s property %q (%s) added%s", requiredWord(p.Required), p.Name, typeName(p.Type), hint("from "+strings.Join(removed, "")))
			continue
		}
		common = append(common, p.Name)
		switch {
		case p.Required && !old.Required:
			d.add(k, pp, NowRequired, "property %q is now required", p.Name)
		case !p.Required && old.Required:
			d.add(k, pp, NowOptional, "property %q is now optional", p.Name)
		}
		d.node(k, pp, old.Node, p.Node)
	}
	var oldOrder []string
	for _, p := range a.Properties {
		if b.Prop(p.Name) != nil {
			oldOrder = append(oldOrder, p.Name)
		}
	}
	if !slices.Equal(oldOrder, common) {
		d.add(k, ptr, PropertiesReordered, "order %s → %s", strings.Join(oldOrder, ","), strings.Join(common, ","))
	}
}

// Keywords the trees carry (compared in node) or that only structure a document; every other
// keyword is compared in the raw documents.
var treeKeywords = map[string]bool{
	"$schema": true, "$id": true, "$ref": true, "$defs": true, "title": true, "description": true,
	"type": true, "format": true, "pattern": true, "minLength": true, "maxLength": true,
	"minimum": true, "maximum": true, "const": true, "enum": true, "properties": true,
	"required": true, "items": true, KeyVocabulary: true, KeyEvidence: true,
}

// Keywords that annotate and never change which records are valid.
var annotationKeywords = map[string]bool{
	"$comment": true, "examples": true, "default": true, "deprecated": true, "readOnly": true, "writeOnly": true,
}

// Count keywords whose direction is known: true when a larger value is stricter.
var countKeywords = map[string]bool{
	"minItems": true, "maxItems": false, "minProperties": true, "maxProperties": false,
	"exclusiveMinimum": true, "exclusiveMaximum": false,
}

// keywords walks two parsed schema documents in step and reports changes of the keywords the
// trees do not carry, at file#pointer.
func (d *differ) keywords(k Kind, file, ptr string, a, b any) {
	ao, aok := a.(map[string]any)
	bo, bok := b.(map[string]any)
	if !aok || !bok {
		return
	}
	for _, key := range sortedKeys(ao, bo) {
		av, aIn := ao[key]
		bv, bIn := bo[key]
		kp := ptr + "/" + jsonpos.EscapePointerToken(key)
		switch key {
		case "properties", "$defs":
			am, _ := av.(map[string]any)
			bm, _ := bv.(map[string]any)
			for _, name := range sortedKeys(am) {
				if other, ok := bm[name]; ok {
					d.keywords(k, file, kp+"/"+jsonpos.EscapePointerToken(name), am[name], other)
				}
			}
			continue
		case "items":
			d.keywords(k, file, kp, av, bv)
			continue
		}
		if treeKeywords[key] || reflect.DeepEqual(av, bv) {
			continue
		}
		loc := file + "#" + kp
		larger, counted := countKeywords[key]
		an, aNum := number(av)
		bn, bNum := number(bv)
		switch {
		case annotationKeywords[key]:
			d.add(k, loc, DocumentationChanged, "%s changed", key)
		case !aIn:
			d.add(k, loc, ConstraintTightened, "%s added: %s", key, compact(bv))
		case !bIn:
			d.add(k, loc, ConstraintLoosened, "%s removed: %s", key, compact(av))
		case counted && aNum && bNum && (bn > an) == larger:
			d.add(k, loc, ConstraintTightened, "%s %v → %v", key, an, bn)
		case counted && aNum && bNum:
			d.add(k, loc, ConstraintLoosened, "%s %v → %v", key, an, bn)
		default:
			d.add(k, loc, KeywordChanged, "%s: %s → %s", key, compact(av), compact(bv))
		}
	}
}

// sortedKeys returns the union of the maps' keys, sorted, so that reports are deterministic.
func sortedKeys(ms ...map[string]any) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range ms {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// number reads a numeric keyword's value.
func number(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil
}

func compact(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 80 {
		return string(b[:77]) + "..."
	}
	return string(b)
}

func intf(p *int) *float64 {
	if p == nil {
		return nil
	}
	f := float64(*p)
	return &f
}

func typeName(t string) string {
	if t == "" {
		return "any type"
	}
	return t
}

func requiredWord(req bool) string {
	if req {
		return "required"
	}
	return "optional"
}

// Enough tells whether the step from From to To is at least the bump the changes require.
func (r *Report) Enough() bool { return BumpBetween(r.From, r.To) >= r.Required() }

func (r *Report) counts() (records, columns int) {
	for _, c := range r.Changes {
		if c.BreaksRecords() {
			records++
		}
		if c.BreaksColumns() {
			columns++
		}
	}
	return records, columns
}

// WriteText prints one change per line, then a summary line with the least bump required.
func (r *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, c := range r.Changes {
		where := c.Pointer
		if where == "" {
			where = "(root)"
		}
		if c.Kind != "" && !strings.Contains(where, "#") { // file#pointer names its file already
			where = string(c.Kind) + " " + where
		}
		var breaks []string
		if c.BreaksRecords() {
			breaks = append(breaks, "records")
		}
		if c.BreaksColumns() {
			breaks = append(breaks, "export columns")
		}
		if len(breaks) == 0 {
			breaks = []string{"nothing"}
		}
		fmt.Fprintf(bw, "%s: %s, breaks %s; needs %s: %s\n", where, c.Type.Name, strings.Join(breaks, " and "), c.Bump(), c.Detail)
	}
	records, columns := r.counts()
	need := "requires no bump"
	if r.Required() > BumpNone {
		need = fmt.Sprintf("requires at least a %s bump", r.Required())
	}
	fmt.Fprintf(bw, "summary: %s → %s: %s, %d break records, %d break export columns; %s; %s\n",
		r.From, r.To, english.Plural(len(r.Changes), "change"), records, columns, need, r.verdict())
	return bw.Flush()
}

func (r *Report) verdict() string {
	actual := BumpBetween(r.From, r.To)
	switch {
	case actual == BumpNone:
		return fmt.Sprintf("%s is not newer than %s", r.To, r.From)
	case r.Enough():
		return fmt.Sprintf("%s → %s is a %s bump: enough", r.From, r.To, actual)
	}
	return fmt.Sprintf("%s → %s is only a %s bump: NOT ENOUGH, release it as %s", r.From, r.To, actual, NextVersion(r.From, r.Required()))
}

// NextVersion returns the version one bump after v ("" if v is not canonical).
func NextVersion(v string, b Bump) string {
	p, err := ParseVersion(v)
	if err != nil {
		return ""
	}
	switch b {
	case BumpMajor:
		p = [3]int{p[0] + 1, 0, 0}
	case BumpMinor:
		p = [3]int{p[0], p[1] + 1, 0}
	case BumpPatch:
		p[2]++
	}
	return fmt.Sprintf("%d.%d.%d", p[0], p[1], p[2])
}

// MarshalJSON writes the report as one stable document (documented in schema/VERSIONING.md).
func (r *Report) MarshalJSON() ([]byte, error) {
	type change struct {
		Kind          Kind   `json:"kind"`
		Pointer       string `json:"pointer"`
		Change        string `json:"change"`
		BreaksRecords bool   `json:"breaks_records"`
		BreaksColumns bool   `json:"breaks_columns"`
		Bump          Bump   `json:"bump"`
		Detail        string `json:"detail"`
	}
	records, columns := r.counts()
	out := struct {
		From    string   `json:"from"`
		To      string   `json:"to"`
		Changes []change `json:"changes"`
		Summary struct {
			Changes       int  `json:"changes"`
			BreaksRecords int  `json:"breaks_records"`
			BreaksColumns int  `json:"breaks_columns"`
			Required      Bump `json:"required_bump"`
			Actual        Bump `json:"actual_bump"`
			Enough        bool `json:"enough"`
		} `json:"summary"`
	}{From: r.From, To: r.To, Changes: []change{}}
	for _, c := range r.Changes {
		out.Changes = append(out.Changes, change{c.Kind, c.Pointer, c.Type.Name, c.BreaksRecords(), c.BreaksColumns(), c.Bump(), c.Detail})
	}
	out.Summary.Changes = len(r.Changes)
	out.Summary.BreaksRecords, out.Summary.BreaksColumns = records, columns
	out.Summary.Required, out.Summary.Actual, out.Summary.Enough = r.Required(), BumpBetween(r.From, r.To), r.Enough()
	return json.Marshal(out)
}
