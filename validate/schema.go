package validate

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/internal/jsonpos"
	"github.com/apmd-data/apmd/schema"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// leaf is one elementary schema failure, after anyOf/oneOf were reduced.
type leaf struct {
	keyword  string // the failing keyword: "required", "enum", "" (a false schema)…
	instance string // the pointer of the failing value
	absolute string // absolute keyword location: <schema URL>#<pointer>
	message  string // jsonschema's message
	// anyRequired lists properties of which one is required (an anyOf of required keywords).
	anyRequired []string
}

// schemaCheck checks a record against the schema version it declares.
var schemaCheck = &Check{
	Name:  "schema",
	Doc:   "a record matches the schema of the version it declares",
	Rules: []*Rule{ruleVersionUnknown, ruleSchema},
	Run:   checkSchema,
}

func checkSchema(p *Pass) {
	version, _ := p.Object[schema.FieldSchemaVersion].(string)
	reg := p.Set
	switch p.version {
	case versionNewer:
		p.Reportf(ruleVersionUnknown, "/"+schema.FieldSchemaVersion,
			"schema_version %q is newer than the versions this apmd knows (%s): upgrade apmd, or write the record for a released version",
			version, strings.Join(p.versions, ", "))
		return
	case versionUnknown:
		p.Reportf(ruleVersionUnknown, "/"+schema.FieldSchemaVersion,
			"schema_version %q is not a released schema version (released: %s): use one of them.%s The record is checked against %s meanwhile",
			version, strings.Join(p.versions, ", "), didYouMean(version, p.versions), reg.Version)
	}
	err := p.Set.Validate(p.Kind, p.Record.Value)
	if err == nil {
		return
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		p.ReportAtf(ruleSchema, firstLine, "", "the record cannot be validated: %v", err)
		return
	}
	m := &schemaMessages{p: p, set: p.Set, root: p.Set.Node(p.Kind), v: p.Record.Value}
	for _, l := range reduce(p.Set, p.Record.Value, ve) {
		if p.version == versionUnknown && l.instance == "/"+schema.FieldSchemaVersion {
			continue // already reported as schema-version-unknown
		}
		m.report(l)
	}
}

// reduce flattens a jsonschema error tree into its leaves. For anyOf and oneOf it keeps only
// the branch that got furthest into the value (its deepest failure), since listing why every
// alternative failed buries the one that matters; if every branch fails only for lack of a
// property at the same place, they become one "needs one of" leaf.
func reduce(set *schema.Set, v any, e *jsonschema.ValidationError) []leaf {
	kw := lastToken(e.KeywordLocation)
	if len(e.Causes) == 0 {
		return []leaf{{keyword: kw, instance: e.InstanceLocation, absolute: e.AbsoluteKeywordLocation, message: e.Message}}
	}
	if (kw == "anyOf" || kw == "oneOf") && strings.HasSuffix(e.Message, "failed") {
		var branches [][]leaf
		for _, c := range e.Causes {
			branches = append(branches, reduce(set, v, c))
		}
		if alts, ok := allRequired(set, v, branches, e.InstanceLocation); ok {
			return []leaf{{keyword: "required", instance: e.InstanceLocation, absolute: e.AbsoluteKeywordLocation, anyRequired: alts}}
		}
		best, bestDepth := 0, -1
		for i, b := range branches {
			d := 0
			for _, l := range b {
				d = max(d, strings.Count(l.instance, "/"))
			}
			if d > bestDepth || (d == bestDepth && len(b) < len(branches[best])) {
				best, bestDepth = i, d
			}
		}
		return branches[best]
	}
	var out []leaf
	for _, c := range e.Causes {
		out = append(out, reduce(set, v, c)...)
	}
	return out
}

func allRequired(set *schema.Set, v any, branches [][]leaf, at string) ([]string, bool) {
	var alts []string
	for _, b := range branches {
		if len(b) != 1 || b[0].keyword != "required" || b[0].instance != at {
			return nil, false
		}
		alts = append(alts, missingProperties(set, v, b[0])...)
	}
	return alts, len(alts) > 0
}

// keywordSchema returns the compiled schema holding the failing keyword of a leaf.
func keywordSchema(set *schema.Set, l leaf) *jsonschema.Schema {
	return set.Subschema(l.absolute[:strings.LastIndexByte(l.absolute, '/')])
}

// missingProperties lists, in the schema's order, the required properties the object of a
// "required" leaf lacks.
func missingProperties(set *schema.Set, v any, l leaf) []string {
	sch := keywordSchema(set, l)
	obj, _ := resolved(v, l.instance).(map[string]any)
	if sch == nil || obj == nil {
		return nil
	}
	var out []string
	for _, name := range sch.Required {
		if _, ok := obj[name]; !ok {
			out = append(out, name)
		}
	}
	return out
}

// unknownProperties lists, sorted, the members of the object of an "additionalProperties" leaf
// that its schema neither declares nor matches with a pattern.
func unknownProperties(set *schema.Set, v any, l leaf) []string {
	sch := keywordSchema(set, l)
	obj, _ := resolved(v, l.instance).(map[string]any)
	if sch == nil || obj == nil {
		return nil
	}
	var out []string
	for name := range obj {
		if _, ok := sch.Properties[name]; ok {
			continue
		}
		matched := false
		for re := range sch.PatternProperties {
			matched = matched || re.MatchString(name)
		}
		if !matched {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func resolved(v any, ptr string) any {
	x, _ := jsonpos.Resolve(v, ptr)
	return x
}

// schemaMessages turns the leaves of a record's validation error into findings that name the
// value, say what was expected (read from the record's own schema version) and how to fix it.
type schemaMessages struct {
	p    *Pass
	set  *schema.Set
	root *schema.Node
	v    any
}

func (m *schemaMessages) report(l leaf) {
	node := m.root.At(l.instance)
	what := fieldName(node, l.instance)
	if node != nil && node.Title == "" {
		// An item of a list without a title of its own: named after its list ("supports pointer").
		if list := m.root.At(jsonpos.ParentPointer(l.instance)); list != nil && list.Items == node && list.Title != "" {
			what = fmt.Sprintf("%s item (%s)", lowerFirst(list.Title), l.instance)
		}
	}
	val, _ := jsonpos.Resolve(m.v, l.instance)
	cond := condition(m.set, l.absolute)
	switch {
	case strings.Contains(l.absolute, "/propertyNames"):
		m.propertyName(l) // a propertyNames failure is about a key, reported at the key
	case l.message == "not allowed": // a false schema forbids the property it stands for
		name := unescape(lastToken(l.instance))
		m.p.ReportKeyf(ruleSchema, l.instance, "property %q is not allowed%s: remove it", name, cond)
	case l.keyword == "additionalProperties":
		var allowed []string
		if node != nil {
			for _, p := range node.Properties {
				allowed = append(allowed, p.Name)
			}
		}
		for _, name := range unknownProperties(m.set, m.v, l) {
			m.p.ReportKeyf(ruleSchema, jsonpos.JoinPointer(l.instance, name),
				"unknown property %q in %s.%s Rename or remove it; the allowed properties are %s",
				name, what, didYouMean(name, allowed), strings.Join(allowed, ", "))
		}
	case l.keyword == "required":
		m.required(l, node, what, cond)
	case l.keyword == "enum":
		m.enum(l, what, val)
	case l.keyword == "pattern":
		m.pattern(l, node, what, val)
	case l.keyword == "const":
		m.p.Reportf(ruleSchema, l.instance, "%s is not allowed for %s: %s%s", show(val), what, l.message, cond)
	case l.keyword == "type":
		m.p.Reportf(ruleSchema, l.instance, "%s has the wrong type for %s: %s", show(val), what, l.message)
	case l.keyword == "format":
		m.p.Reportf(ruleSchema, l.instance, "%s is not a valid %s: %s", show(val), what, l.message)
	default:
		m.p.Reportf(ruleSchema, l.instance, "%s: %s%s", what, l.message, cond)
	}
}

func (m *schemaMessages) propertyName(l leaf) {
	key := unescape(lastToken(l.instance))
	want := strings.TrimPrefix(l.message, "does not ")
	if sch := keywordSchema(m.set, l); sch != nil && sch.Pattern != nil && l.keyword == "pattern" {
		want = "match " + sch.Pattern.String()
	}
	hint := ""
	if s := "x-" + datadir.Slug(strings.TrimPrefix(key, "x-")); s != key {
		hint = fmt.Sprintf(" (e.g. %q)", s)
	}
	m.p.ReportKeyf(ruleSchema, l.instance, "key %q is not allowed here: keys must %s; rename it%s", key, want, hint)
}

func (m *schemaMessages) required(l leaf, node *schema.Node, what, cond string) {
	if l.anyRequired != nil {
		m.p.Reportf(ruleSchema, l.instance, "%s needs at least one of %s%s: add one", what, quoteList(l.anyRequired), cond)
		return
	}
	for _, name := range missingProperties(m.set, m.v, l) {
		desc := ""
		if node != nil {
			if p := node.Prop(name); p != nil && p.Description != "" {
				desc = " (" + firstSentence(p.Description) + ")"
			}
		}
		m.p.Reportf(ruleSchema, l.instance, "%s is missing the required property %q%s%s: add it", what, name, desc, cond)
	}
}

func (m *schemaMessages) enum(l leaf, what string, val any) {
	var vals []string
	if sch := keywordSchema(m.set, l); sch != nil {
		for _, a := range sch.Enum {
			vals = append(vals, fmt.Sprint(a))
		}
	}
	hint := ""
	if s, ok := val.(string); ok {
		hint = didYouMean(s, vals)
		if hint == "" {
			hint = otherVocabulary(m.root, l.instance, s)
		}
	}
	m.p.Reportf(ruleSchema, l.instance, "%s is not a valid %s: expected one of %s.%s", show(val), what, quoteList(vals), hint)
}

func (m *schemaMessages) pattern(l leaf, node *schema.Node, what string, val any) {
	var re *regexp.Regexp
	if sch := keywordSchema(m.set, l); sch != nil {
		re = sch.Pattern
	}
	desc := ""
	if node != nil && node.Description != "" {
		desc = " (" + firstSentence(node.Description) + ")"
	}
	hint := ""
	if s, ok := val.(string); ok {
		hint = fixFor(node, l.instance, s, re)
	}
	m.p.Reportf(ruleSchema, l.instance, "%s is not a valid %s%s: %s.%s", show(val), what, desc, mustBe(node, l.instance, re), hint)
}

// firstSentence is a description's first sentence, without its full stop: what a message
// needs of it.
func firstSentence(d string) string {
	if i := strings.Index(d, ". "); i > 0 {
		d = d[:i]
	}
	if i := strings.Index(d, "; "); i > 0 && len(d) > 100 {
		d = d[:i]
	}
	return strings.TrimSuffix(d, ".")
}

// otherVocabulary says which other field of the same object has a vocabulary holding s, for a
// value put in the wrong field (a method as an event_type).
func otherVocabulary(root *schema.Node, ptr, s string) string {
	parent := root.At(jsonpos.ParentPointer(ptr))
	if parent == nil {
		return ""
	}
	for _, p := range parent.Properties {
		if p.Name != lastToken(ptr) && slices.Contains(p.Enum, s) {
			return fmt.Sprintf(" %q is a value of %s, not of this field.", s, p.Name)
		}
	}
	return ""
}

// unescape undoes the escaping of one JSON pointer token.
func unescape(tok string) string {
	s, _ := jsonpos.UnescapePointerToken(tok)
	return s
}

// fieldName names a value for a message by its schema title, else by its pointer.
func fieldName(n *schema.Node, ptr string) string {
	switch {
	case ptr == "":
		return "the record"
	case n != nil && n.Title != "":
		return fmt.Sprintf("%s (%s)", lowerFirst(n.Title), ptr)
	}
	return ptr
}

// lowerFirst lower-cases a title's first letter for the middle of a sentence ("Event type" →
// "event type"), unless it starts an acronym ("SHA-256", "URL").
func lowerFirst(t string) string {
	if len(t) > 1 && unicode.IsUpper(rune(t[1])) {
		return t
	}
	return strings.ToLower(t[:1]) + t[1:]
}

// show renders a value briefly, as JSON.
func show(v any) string {
	switch v.(type) {
	case map[string]any:
		return "the object"
	case []any:
		return "the list"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return clip(string(b), 80)
}

// condition explains an if/then/else rule that a failure comes from, as " when type is
// "point"", by reading the "if" beside the failing "then" or "else" in the schema itself.
func condition(set *schema.Set, absolute string) string {
	url, frag, _ := strings.Cut(absolute, "#")
	toks := strings.Split(frag, "/")
	for i := len(toks) - 1; i > 0; i-- {
		if toks[i] != "then" && toks[i] != "else" {
			continue
		}
		ifs := set.Subschema(url + "#" + strings.Join(toks[:i], "/") + "/if")
		if ifs == nil {
			return ""
		}
		var parts []string
		for name, sm := range ifs.Properties {
			var want string
			if len(sm.Constant) > 0 {
				want = show(sm.Constant[0])
			} else if len(sm.Enum) > 0 {
				var vals []string
				for _, x := range sm.Enum {
					vals = append(vals, show(x))
				}
				want = "one of " + strings.Join(vals, ", ")
			} else {
				continue
			}
			verb := "is"
			if toks[i] == "else" {
				verb = "is not"
			}
			parts = append(parts, fmt.Sprintf("%s %s %s", name, verb, want))
		}
		if len(parts) > 0 {
			sort.Strings(parts)
			return " when " + strings.Join(parts, " and ")
		}
		return ""
	}
	return ""
}
