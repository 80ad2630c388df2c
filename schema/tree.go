package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/apmd-data/apmd/internal/jsonpos"
)

// Annotation keywords of the APMD schemas. JSON Schema validators ignore them; apmd reads them.
const (
	// KeyEvidence marks a fact-bearing property: when present in a record, it must be
	// supported by an evidence quote or named in the record's inferences.
	KeyEvidence = "x-evidence"
	// KeyVocabulary maps each value of an enum to its one-line definition.
	KeyVocabulary = "x-vocabulary"
)

// Node is one schema location with its $refs resolved and its annotations read, in the order
// the schema file lists properties. Annotations written beside a $ref (title, description,
// x-evidence) take precedence over those of the referenced schema.
type Node struct {
	Title       string
	Description string
	// Type is the JSON type ("object", "array", "string", "integer", "number", "boolean"), or "" if unconstrained.
	Type   string
	Format string
	// Pattern, MinLength, MaxLength, Minimum, Maximum are the constraints that exports may carry (nil when absent).
	Pattern   string
	MinLength *int
	MaxLength *int
	Minimum   *float64
	Maximum   *float64
	Const     any
	Enum      []string
	// Vocabulary holds the definition of each Enum value.
	Vocabulary map[string]string
	// Evidence is true for a fact-bearing property.
	Evidence bool
	// Def names the shared definition the node was read from ("date", "count", "location"…), if any.
	Def        string
	Properties []*Property
	Items      *Node
}

// Property is a named member of an object node.
type Property struct {
	Name     string
	Required bool
	*Node
}

// Prop returns the named property, or nil.
func (n *Node) Prop(name string) *Property {
	for _, p := range n.Properties {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// ordered is a JSON object that remembers the order of its members.
type ordered struct {
	keys []string
	vals map[string]any
}

func (o *ordered) get(k string) (any, bool) { v, ok := o.vals[k]; return v, ok }

func (o *ordered) str(k string) string {
	v, _ := o.vals[k].(string)
	return v
}

func (o *ordered) obj(k string) *ordered {
	v, _ := o.vals[k].(*ordered)
	return v
}

func parseOrdered(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	v, err := readValue(dec)
	if err != nil {
		return nil, err
	}
	return v, nil
}

func readValue(dec *json.Decoder) (any, error) {
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t {
	case json.Delim('{'):
		o := &ordered{vals: map[string]any{}}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k := kt.(string)
			v, err := readValue(dec)
			if err != nil {
				return nil, err
			}
			if _, dup := o.vals[k]; !dup {
				o.keys = append(o.keys, k)
			}
			o.vals[k] = v
		}
		_, err := dec.Token()
		return o, err
	case json.Delim('['):
		var a []any
		for dec.More() {
			v, err := readValue(dec)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
		_, err := dec.Token()
		return a, err
	}
	return t, nil
}

// tree builds Nodes for one version, resolving $refs between its files.
type tree struct {
	fsys    fs.FS // laid out as <version>/<kind>.schema.json
	version string
	docs    map[string]*ordered // file name → document
}

func buildTreeFS(fsys fs.FS, version string, k Kind) (*Node, error) {
	t := &tree{fsys: fsys, version: version, docs: map[string]*ordered{}}
	doc, err := t.doc(string(k) + ".schema.json")
	if err != nil {
		return nil, err
	}
	return t.node(string(k)+".schema.json", doc, 0)
}

func (t *tree) doc(file string) (*ordered, error) {
	if d, ok := t.docs[file]; ok {
		return d, nil
	}
	b, err := fs.ReadFile(t.fsys, t.version+"/"+file)
	if err != nil {
		return nil, err
	}
	v, err := parseOrdered(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	o, ok := v.(*ordered)
	if !ok {
		return nil, fmt.Errorf("%s: not an object", file)
	}
	t.docs[file] = o
	return o, nil
}

// resolve follows a $ref relative to file; it supports "file#/$defs/name" and "#/$defs/name".
func (t *tree) resolve(file, ref string) (string, string, *ordered, error) {
	target, frag, _ := strings.Cut(ref, "#")
	if target == "" {
		target = file
	}
	d, err := t.doc(target)
	if err != nil {
		return "", "", nil, fmt.Errorf("$ref %q: %w", ref, err)
	}
	cur := d
	name := ""
	for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
		if tok == "" {
			continue
		}
		next := cur.obj(tok)
		if next == nil {
			return "", "", nil, fmt.Errorf("$ref %q: no %q", ref, tok)
		}
		cur, name = next, tok
	}
	return target, name, cur, nil
}

func (t *tree) node(file string, o *ordered, depth int) (*Node, error) {
	if depth > 32 {
		return nil, fmt.Errorf("$ref nesting too deep in %s", file)
	}
	n := &Node{}
	if ref := o.str("$ref"); ref != "" {
		tf, name, target, err := t.resolve(file, ref)
		if err != nil {
			return nil, err
		}
		base, err := t.node(tf, target, depth+1)
		if err != nil {
			return nil, err
		}
		*n = *base
		if n.Def == "" {
			n.Def = name
		}
	}
	if v := o.str("title"); v != "" {
		n.Title = v
	}
	if v := o.str("description"); v != "" {
		n.Description = v
	}
	if v := o.str("type"); v != "" {
		n.Type = v
	}
	if v := o.str("format"); v != "" {
		n.Format = v
	}
	if v := o.str("pattern"); v != "" {
		n.Pattern = v
	}
	if v, ok := o.get(KeyEvidence); ok {
		n.Evidence, _ = v.(bool)
	}
	if v, ok := o.get("const"); ok {
		n.Const = v
	}
	n.MinLength = intKey(o, "minLength", n.MinLength)
	n.MaxLength = intKey(o, "maxLength", n.MaxLength)
	n.Minimum = numKey(o, "minimum", n.Minimum)
	n.Maximum = numKey(o, "maximum", n.Maximum)
	if e, ok := o.get("enum"); ok {
		n.Enum = nil
		for _, v := range e.([]any) {
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("%s: enum value %v is not a string", file, v)
			}
			n.Enum = append(n.Enum, s)
		}
	}
	if voc := o.obj(KeyVocabulary); voc != nil {
		n.Vocabulary = map[string]string{}
		for _, k := range voc.keys {
			n.Vocabulary[k] = voc.str(k)
		}
	}
	if props := o.obj("properties"); props != nil {
		req := map[string]bool{}
		if r, ok := o.get("required"); ok {
			for _, v := range r.([]any) {
				req[v.(string)] = true
			}
		}
		n.Properties = nil
		for _, k := range props.keys {
			po := props.obj(k)
			if po == nil {
				continue // a boolean schema (false) forbids the property; it has no node
			}
			pn, err := t.node(file, po, depth+1)
			if err != nil {
				return nil, fmt.Errorf("property %s: %w", k, err)
			}
			n.Properties = append(n.Properties, &Property{Name: k, Required: req[k], Node: pn})
		}
	}
	if items := o.obj("items"); items != nil {
		in, err := t.node(file, items, depth+1)
		if err != nil {
			return nil, fmt.Errorf("items: %w", err)
		}
		n.Items = in
	}
	return n, nil
}

func intKey(o *ordered, k string, def *int) *int {
	v, ok := o.get(k)
	if !ok {
		return def
	}
	i, err := v.(json.Number).Int64()
	if err != nil {
		return def
	}
	x := int(i)
	return &x
}

func numKey(o *ordered, k string, def *float64) *float64 {
	v, ok := o.get(k)
	if !ok {
		return def
	}
	f, err := v.(json.Number).Float64()
	if err != nil {
		return def
	}
	return &f
}

// FactPointers returns the JSON pointers of the fact-bearing values present in a record
// (decoded as by encoding/json), sorted. A fact-bearing value's descendants are not listed:
// evidence for the value covers them.
func FactPointers(n *Node, v any) []string {
	var out []string
	factWalk(n, v, "", &out)
	sort.Strings(out)
	return out
}

func factWalk(n *Node, v any, ptr string, out *[]string) {
	if n == nil || v == nil {
		return
	}
	if n.Evidence && ptr != "" {
		// A fact-bearing list needs each of its items supported, not just the list.
		if items, ok := v.([]any); ok {
			for i := range items {
				*out = append(*out, ptr+"/"+strconv.Itoa(i))
			}
			return
		}
		*out = append(*out, ptr)
		return
	}
	switch val := v.(type) {
	case map[string]any:
		for _, p := range n.Properties {
			if pv, ok := val[p.Name]; ok {
				factWalk(p.Node, pv, ptr+"/"+jsonpos.EscapePointerToken(p.Name), out)
			}
		}
	case []any:
		if n.Items != nil {
			for i, item := range val {
				factWalk(n.Items, item, ptr+"/"+strconv.Itoa(i), out)
			}
		}
	}
}
