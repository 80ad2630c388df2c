package validate

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

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

// schemaFindings validates a record against its kind's schema and turns each failure into a
// finding at the offending value. unknownVersion says the record's version is not released and
// the latest schema stands in for it: the version itself is then already reported.
func schemaFindings(file string, set *schema.Set, kind schema.Kind, v any, unknownVersion bool) []pending {
	err := set.Validate(kind, v)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []pending{{Finding: Finding{File: file, Line: 1, Column: 1, Rule: ruleSchema.ID, Severity: ruleSchema.Severity,
			Message: "the record cannot be validated: " + err.Error()}}}
	}
	root := set.Node(kind)
	var out []pending
	for _, l := range reduce(set, v, ve) {
		if unknownVersion && l.instance == "/"+fSchemaVersion {
			continue // already reported as schema-version-unknown
		}
		out = append(out, leafFindings(file, set, root, v, l)...)
	}
	return out
}

func lastToken(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }

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

// leafFindings turns one leaf into findings with a message that names the value, what was
// expected and how to fix it.
func leafFindings(file string, set *schema.Set, root *schema.Node, v any, l leaf) []pending {
	f := func(ptr string, key bool, format string, args ...any) pending {
		return pending{Finding: Finding{File: file, Pointer: ptr, Rule: ruleSchema.ID, Severity: ruleSchema.Severity,
			Message: fmt.Sprintf(format, args...)}, key: key}
	}
	node := nodeAt(root, l.instance)
	what := fieldName(node, l.instance)
	val, _ := jsonpos.Resolve(v, l.instance)
	cond := condition(set, l.absolute)

	// A propertyNames failure is about a key, reported at the key.
	if strings.Contains(l.absolute, "/propertyNames") {
		key := unescapeToken(lastToken(l.instance))
		want := strings.TrimPrefix(l.message, "does not ")
		if sch := keywordSchema(set, l); sch != nil && sch.Pattern != nil && l.keyword == "pattern" {
			want = "match " + sch.Pattern.String()
		}
		hint := ""
		if s := "x-" + datadir.Slug(strings.TrimPrefix(key, "x-")); s != key {
			hint = fmt.Sprintf(" (e.g. %q)", s)
		}
		return []pending{f(l.instance, true, "key %q is not allowed here: keys must %s; rename it%s", key, want, hint)}
	}
	// A false schema forbids the property it stands for.
	if l.message == "not allowed" {
		name := unescapeToken(lastToken(l.instance))
		return []pending{f(l.instance, true, "property %q is not allowed%s: remove it", name, cond)}
	}

	switch l.keyword {
	case "additionalProperties":
		var out []pending
		var allowed []string
		if node != nil {
			for _, p := range node.Properties {
				allowed = append(allowed, p.Name)
			}
		}
		for _, name := range unknownProperties(set, v, l) {
			out = append(out, f(jsonpos.JoinPointer(l.instance, name), true,
				"unknown property %q in %s.%s Rename or remove it; the allowed properties are %s",
				name, what, didYouMean(name, allowed), strings.Join(allowed, ", ")))
		}
		return out
	case "required":
		names := l.anyRequired
		if names == nil {
			names = missingProperties(set, v, l)
		}
		if l.anyRequired != nil {
			return []pending{f(l.instance, false, "%s needs at least one of %s%s: add one", what, quoteList(names), cond)}
		}
		var out []pending
		for _, name := range names {
			desc := ""
			if node != nil {
				if p := node.Prop(name); p != nil && p.Description != "" {
					desc = " (" + strings.TrimSuffix(p.Description, ".") + ")"
				}
			}
			out = append(out, f(l.instance, false, "%s is missing the required property %q%s%s: add it", what, name, desc, cond))
		}
		return out
	case "enum":
		var vals []string
		if sch := keywordSchema(set, l); sch != nil {
			for _, a := range sch.Enum {
				vals = append(vals, fmt.Sprint(a))
			}
		}
		hint := ""
		if s, ok := val.(string); ok {
			hint = didYouMean(s, vals)
		}
		return []pending{f(l.instance, false, "%s is not a valid %s: expected one of %s.%s", show(val), what, quoteList(vals), hint)}
	case "const":
		return []pending{f(l.instance, false, "%s is not allowed for %s: %s%s", show(val), what, l.message, cond)}
	case "type":
		return []pending{f(l.instance, false, "%s has the wrong type for %s: %s", show(val), what, l.message)}
	case "pattern":
		pat := ""
		if sch := keywordSchema(set, l); sch != nil && sch.Pattern != nil {
			pat = sch.Pattern.String()
		}
		desc := ""
		if node != nil && node.Description != "" {
			desc = " (" + strings.TrimSuffix(node.Description, ".") + ")"
		}
		hint := ""
		if s, ok := val.(string); ok {
			if re, err := regexp.Compile(pat); err == nil {
				if fixed := datadir.Slug(s); fixed != s && re.MatchString(fixed) {
					hint = fmt.Sprintf(" Did you mean %q?", fixed)
				}
			}
		}
		return []pending{f(l.instance, false, "%s is not a valid %s%s: it must match %s.%s", show(val), what, desc, pat, hint)}
	case "format":
		return []pending{f(l.instance, false, "%s is not a valid %s: %s", show(val), what, l.message)}
	}
	return []pending{f(l.instance, false, "%s: %s%s", what, l.message, cond)}
}

// fieldName names a value for a message by its schema title, else by its pointer.
func fieldName(n *schema.Node, ptr string) string {
	switch {
	case ptr == "":
		return "the record"
	case n != nil && n.Title != "":
		return fmt.Sprintf("%s (%s)", strings.ToLower(n.Title[:1])+n.Title[1:], ptr)
	}
	return ptr
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
