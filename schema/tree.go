package schema

import (
	"encoding/json"
	"fmt"
	"io/fs"
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

// ordered is an object of a schema document, with its members in the order the file lists them.
type ordered struct {
	doc *jsonpos.Doc
	ptr string // its JSON pointer in doc
	m   map[string]any
}

func (o *ordered) get(k string) (any, bool) { v, ok := o.m[k]; return v, ok }

func (o *ordered) str(k string) string {
	v, _ := o.m[k].(string)
	return v
}

// keys returns the members' names in the file's order.
func (o *ordered) keys() []string { return o.doc.Keys(o.ptr) }

func (o *ordered) obj(k string) *ordered {
	m, ok := o.m[k].(map[string]any)
	if !ok {
		return nil
	}
	return &ordered{doc: o.doc, ptr: o.ptr + "/" + jsonpos.EscapePointerToken(k), m: m}
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
	doc, err := jsonpos.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	m, ok := doc.Value.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: not an object", file)
	}
	o := &ordered{doc: doc, m: m}
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
	if err := annotate(n, file, o); err != nil {
		return nil, err
	}
	if props := o.obj("properties"); props != nil {
		if err := t.properties(n, file, o, props, depth); err != nil {
			return nil, err
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

// annotate sets the node's annotations and constraints that o writes (over those of the
// schema o refers to).
func annotate(n *Node, file string, o *ordered) error {
	for _, f := range []struct {
		key string
		to  *string
	}{{"title", &n.Title}, {"description", &n.Description}, {"type", &n.Type}, {"format", &n.Format}, {"pattern", &n.Pattern}} {
		if v := o.str(f.key); v != "" {
			*f.to = v
		}
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
				return fmt.Errorf("%s: enum value %v is not a string", file, v)
			}
			n.Enum = append(n.Enum, s)
		}
	}
	if voc := o.obj(KeyVocabulary); voc != nil {
		n.Vocabulary = map[string]string{}
		for _, k := range voc.keys() {
			n.Vocabulary[k] = voc.str(k)
		}
	}
	return nil
}

// properties sets the node's properties, in the order the file lists them.
func (t *tree) properties(n *Node, file string, o, props *ordered, depth int) error {
	req := map[string]bool{}
	if r, ok := o.get("required"); ok {
		for _, v := range r.([]any) {
			req[v.(string)] = true
		}
	}
	n.Properties = nil
	for _, k := range props.keys() {
		po := props.obj(k)
		if po == nil {
			continue // a boolean schema (false) forbids the property; it has no node
		}
		pn, err := t.node(file, po, depth+1)
		if err != nil {
			return fmt.Errorf("property %s: %w", k, err)
		}
		n.Properties = append(n.Properties, &Property{Name: k, Required: req[k], Node: pn})
	}
	return nil
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
