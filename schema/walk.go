package schema

import (
	"slices"
	"sort"
	"strconv"

	"github.com/apmd-data/apmd/internal/jsonpos"
)

// Path is where Walk is in a value: the member names and item indexes from the root. It is
// valid only during the call Walk makes with it.
type Path struct{ steps []step }

// step is one member (index < 0) or array item.
type step struct {
	name  string
	index int
}

// Len returns how deep the value is (0 for the root).
func (p *Path) Len() int { return len(p.steps) }

// Name returns the member name of the value, or "" for an array item and the root.
func (p *Path) Name() string {
	if len(p.steps) == 0 || p.steps[len(p.steps)-1].index >= 0 {
		return ""
	}
	return p.steps[len(p.steps)-1].name
}

// String returns the value's JSON pointer.
func (p *Path) String() string { return string(p.AppendTo(nil)) }

// AppendTo appends the value's JSON pointer to b and returns the extended buffer.
func (p *Path) AppendTo(b []byte) []byte {
	for _, s := range p.steps {
		b = append(b, '/')
		if s.index >= 0 {
			b = strconv.AppendInt(b, int64(s.index), 10)
		} else {
			b = append(b, jsonpos.EscapePointerToken(s.name)...)
		}
	}
	return b
}

// Walk calls fn for v, which n describes, and then, depth first, for every value inside it: the
// members of an object in the order n lists its properties, then, sorted, those n does not
// list (with a nil node: nothing inside them is visited); the items of an array in order. An
// object whose node lists no properties (free JSON, such as extensions) and an array whose node
// has no items are not entered. When fn returns false, nothing inside v is visited.
//
// It is the one walk over a schema tree and a decoded value: the fact pointers, the validator's
// checks and the export's guard against values the schema does not describe all use it.
func Walk(n *Node, v any, fn func(n *Node, v any, at *Path) bool) {
	w := &walker{fn: fn}
	w.walk(n, v)
}

type walker struct {
	fn   func(*Node, any, *Path) bool
	path Path
}

func (w *walker) walk(n *Node, v any) {
	if !w.fn(n, v, &w.path) || n == nil {
		return
	}
	switch val := v.(type) {
	case map[string]any:
		if len(n.Properties) > 0 {
			w.members(n, val)
		}
	case []any:
		if n.Items != nil {
			for i, item := range val {
				w.path.steps = append(w.path.steps, step{index: i})
				w.walk(n.Items, item)
				w.path.steps = w.path.steps[:len(w.path.steps)-1]
			}
		}
	}
}

func (w *walker) members(n *Node, obj map[string]any) {
	listed := 0
	for _, p := range n.Properties {
		if pv, ok := obj[p.Name]; ok {
			listed++
			w.member(p.Name, p.Node, pv)
		}
	}
	if listed == len(obj) {
		return
	}
	var other []string
	for k := range obj {
		if n.Prop(k) == nil {
			other = append(other, k)
		}
	}
	sort.Strings(other)
	for _, k := range other {
		w.member(k, nil, obj[k])
	}
}

func (w *walker) member(name string, n *Node, v any) {
	w.path.steps = append(w.path.steps, step{name: name, index: -1})
	w.walk(n, v)
	w.path.steps = w.path.steps[:len(w.path.steps)-1]
}

// At returns the node that describes the value at a JSON pointer (an array index, any
// number, goes to the items), or nil.
func (n *Node) At(ptr string) *Node {
	tokens, err := jsonpos.SplitPointer(ptr)
	if err != nil {
		return nil
	}
	for _, t := range tokens {
		if n == nil {
			return nil
		}
		if p := n.Prop(t); p != nil {
			n = p.Node
		} else if _, err := strconv.Atoi(t); err == nil && n.Items != nil {
			n = n.Items
		} else {
			return nil
		}
	}
	return n
}

// FactScope follows a Walk through a record to find its fact-bearing values: the values whose
// node needs evidence (Node.Evidence), but for the record itself and the values inside another
// fact-bearing value (evidence for a value covers what it holds). Its zero value is ready; give
// Enter every value the walk visits, in the walk's order.
type FactScope struct {
	in int // the depth of the fact-bearing value the walk is in, plus one; 0 outside any
}

// Enter reports whether the value v at path at, which n describes, is fact-bearing. A
// fact-bearing list stands for its items, each of which needs support: items is then its
// length, and -1 for any other value.
func (f *FactScope) Enter(n *Node, v any, at *Path) (fact bool, items int) {
	depth := at.Len()
	if f.in > 0 && depth < f.in {
		f.in = 0
	}
	if f.in > 0 || n == nil || !n.Evidence || depth == 0 {
		return false, 0
	}
	f.in = depth + 1
	if list, ok := v.([]any); ok {
		return true, len(list)
	}
	return true, -1
}

// FactPointers returns the JSON pointers of the fact-bearing values present in a record, sorted
// (see FactScope).
func FactPointers(n *Node, v any) []string {
	var out []string
	var scope FactScope
	Walk(n, v, func(n *Node, v any, at *Path) bool {
		if n == nil || v == nil {
			return false
		}
		fact, items := scope.Enter(n, v, at)
		if !fact {
			return true
		}
		ptr := at.String()
		if items < 0 {
			out = append(out, ptr)
		}
		for i := range items {
			out = append(out, ptr+"/"+strconv.Itoa(i))
		}
		return false
	})
	slices.Sort(out)
	return out
}
