package validate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/apmd-data/apmd/dataset"
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
	sch := set.Schema(kind)
	if sch == nil {
		return nil
	}
	// The fast path proves nearly every record valid without building v5's error tree; when it
	// is not sure, v5 decides and explains.
	if fast, _ := set.Fast(kind); fast.Valid(v) {
		return nil
	}
	err := validateSafely(sch, v)
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
	for _, l := range reduce(ve) {
		if unknownVersion && l.instance == "/"+fSchemaVersion {
			continue // already reported as schema-version-unknown
		}
		out = append(out, leafFindings(file, root, v, l)...)
	}
	return out
}

func lastToken(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }

// reduce flattens a jsonschema error tree into its leaves. For anyOf and oneOf it keeps only
// the branch that got furthest into the value (its deepest failure), since listing why every
// alternative failed buries the one that matters; if every branch fails only for lack of a
// property at the same place, they become one "needs one of" leaf.
func reduce(e *jsonschema.ValidationError) []leaf {
	kw := lastToken(e.KeywordLocation)
	if len(e.Causes) == 0 {
		return []leaf{{keyword: kw, instance: e.InstanceLocation, absolute: e.AbsoluteKeywordLocation, message: e.Message}}
	}
	if (kw == "anyOf" || kw == "oneOf") && strings.HasSuffix(e.Message, "failed") {
		var branches [][]leaf
		for _, c := range e.Causes {
			branches = append(branches, reduce(c))
		}
		if alts, ok := allRequired(branches, e.InstanceLocation); ok {
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
		out = append(out, reduce(c)...)
	}
	return out
}

func allRequired(branches [][]leaf, at string) ([]string, bool) {
	var alts []string
	for _, b := range branches {
		if len(b) != 1 || b[0].keyword != "required" || b[0].instance != at {
			return nil, false
		}
		alts = append(alts, missingNames(b[0].message)...)
	}
	return alts, len(alts) > 0
}

var quoted = regexp.MustCompile(`'((?:[^'\\]|\\.)*)'`)

// missingNames extracts the property names of "missing properties: 'a', 'b'" and of
// "additionalProperties 'a', 'b' not allowed" (jsonschema quotes them with strconv-like escapes).
func missingNames(msg string) []string {
	var out []string
	for _, m := range quoted.FindAllStringSubmatch(msg, -1) {
		s, err := strconv.Unquote(`"` + strings.NewReplacer(`\'`, `'`, `"`, `\"`).Replace(m[1]) + `"`)
		if err != nil {
			s = m[1]
		}
		out = append(out, s)
	}
	return out
}

// leafFindings turns one leaf into findings with a message that names the value, what was
// expected and how to fix it.
func leafFindings(file string, root *schema.Node, v any, l leaf) []pending {
	f := func(ptr string, key bool, format string, args ...any) pending {
		return pending{Finding: Finding{File: file, Pointer: ptr, Rule: ruleSchema.ID, Severity: ruleSchema.Severity,
			Message: fmt.Sprintf(format, args...)}, key: key}
	}
	node := nodeAt(root, l.instance)
	what := fieldName(node, l.instance)
	val, _ := dataset.Resolve(v, l.instance)
	cond := condition(l.absolute, v, l.instance)

	// A propertyNames failure is about a key, reported at the key.
	if strings.Contains(l.absolute, "/propertyNames") {
		key := unescapeToken(lastToken(l.instance))
		want := strings.TrimPrefix(l.message, "does not ")
		if p, ok := schemaAt(l.absolute).(string); ok && l.keyword == "pattern" {
			want = "match " + p
		}
		hint := ""
		if s := "x-" + slug(strings.TrimPrefix(key, "x-")); s != key {
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
		for _, name := range missingNames(l.message) {
			out = append(out, f(dataset.JoinPointer(l.instance, name), true,
				"unknown property %q in %s.%s Rename or remove it; the allowed properties are %s",
				name, what, didYouMean(name, allowed), strings.Join(allowed, ", ")))
		}
		return out
	case "required":
		names := l.anyRequired
		if names == nil {
			names = missingNames(l.message)
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
		allowed, _ := schemaAt(l.absolute).([]any)
		var vals []string
		for _, a := range allowed {
			vals = append(vals, fmt.Sprint(a))
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
		pat, _ := schemaAt(l.absolute).(string)
		desc := ""
		if node != nil && node.Description != "" {
			desc = " (" + strings.TrimSuffix(node.Description, ".") + ")"
		}
		hint := ""
		if s, ok := val.(string); ok {
			if re, err := regexp.Compile(pat); err == nil {
				if fixed := slug(s); fixed != s && re.MatchString(fixed) {
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

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slug is the lower-case, hyphenated form of an id a contributor may have meant.
func slug(s string) string {
	if isSlug(s) {
		return s // every id of a valid record: spares the regular expression
	}
	return strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

// isSlug reports whether s is its own slug: words of a-z and 0-9 joined by single hyphens
// (schema.IsSlug), or empty.
func isSlug(s string) bool { return s == "" || schema.IsSlug(s) }

// condition explains an if/then/else rule that a failure comes from, as " when type is
// "point"", by reading the "if" beside the failing "then" or "else" in the schema itself.
func condition(absolute string, v any, instance string) string {
	url, frag, _ := strings.Cut(absolute, "#")
	toks := strings.Split(frag, "/")
	for i := len(toks) - 1; i > 0; i-- {
		if toks[i] != "then" && toks[i] != "else" {
			continue
		}
		ifs, _ := schemaAt(url + "#" + strings.Join(toks[:i], "/") + "/if").(map[string]any)
		props, _ := ifs["properties"].(map[string]any)
		var parts []string
		for name, s := range props {
			sm, _ := s.(map[string]any)
			var want string
			if c, ok := sm["const"]; ok {
				want = show(c)
			} else if e, ok := sm["enum"].([]any); ok {
				var vals []string
				for _, x := range e {
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

var rawSchemas sync.Map // schema file path → decoded JSON

// schemaAt returns the raw schema JSON at an absolute keyword location, or nil.
func schemaAt(absolute string) any {
	url, frag, _ := strings.Cut(absolute, "#")
	file, ok := strings.CutPrefix(url, schema.BaseURL)
	if !ok {
		return nil
	}
	doc, ok := rawSchemas.Load(file)
	if !ok {
		b, err := fs.ReadFile(schema.FS(), file)
		if err != nil {
			return nil
		}
		var d any
		if json.Unmarshal(b, &d) != nil {
			return nil
		}
		doc, _ = rawSchemas.LoadOrStore(file, d)
	}
	v, _ := dataset.Resolve(doc, frag)
	return v
}

// validateSafely runs jsonschema/v5 on v and turns a panic of the library into an error, so
// that one record it cannot handle is a finding, not a crash of the whole run. (v5 panics on
// numbers math/big cannot hold; the json-number-range rule keeps those away, this is the net.)
func validateSafely(sch *jsonschema.Schema, v any) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the schema library failed on it (%v): please report this as a bug of apmd, with the record", p)
		}
	}()
	return sch.Validate(v)
}
