package jsonpos

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// maxSize is the largest document Parse reads: offsets are kept as int32.
const maxSize = math.MaxInt32

// Doc is a parsed JSON document: its value, and where each of its values and keys is, so that
// a finding about a value (known by its JSON pointer) can be shown at a line and column
// without parsing the text again. A Doc is not safe for concurrent use.
type Doc struct {
	// Value is the decoded document (map[string]any, []any, string, json.Number, bool, nil).
	Value any
	// Duplicates lists the keys repeated within one object (the last value wins), in the
	// order of the repetitions.
	Duplicates []Duplicate
	// Exponent reports whether a number of the document is written with an exponent (1e5):
	// only such a number can be too large for math/big, so a document without one needs no
	// search for them.
	Exponent bool

	src   string // the document
	nodes []node // every value, in document order (nodes[0] is the root)
	lines *Lines // the index of the lines; built when first needed
	// children indexes the children of the large objects and arrays that a pointer has gone
	// through, so that asking for the position of each of a value's n children costs O(n),
	// not O(n²) (50,000 bad items of one array took 20 s).
	children map[int]*childIndex
}

// childIndex is the index of one object's members (the last of each name) or one array's items.
type childIndex struct {
	members map[string]int
	items   []int
}

// indexAbove is how many children a value may have before a lookup indexes them.
const indexAbove = 32

// node is one value of a Doc: where it and, for an object member, its key start, and where its
// subtree ends in Doc.nodes, so that the children of a value are found by skipping from one
// sibling to the next.
type node struct {
	key   string // the member's name (decoded); "" for an array item and the root
	val   int32  // offset of the value's first byte
	keyAt int32  // offset of the member's key (its opening quote); -1 for an array item and the root
	end   int32  // index of the first node after this value's subtree
}

// Duplicate is a key that occurs more than once in one object. Parse keeps the last value (like
// encoding/json) but reports the repetition, because a repeated key is almost always an editing
// mistake that silently drops data.
type Duplicate struct {
	// Pointer is the RFC 6901 JSON pointer of the repeated member, for example "/a~1b/0/k".
	Pointer string
	// First is the position of the first occurrence of the key in the object, Second the
	// position of the repetition. A key that occurs three times yields two Duplicates sharing
	// the same First.
	First, Second Position
}

// nodesPool holds the index slices of released Docs.
var nodesPool = sync.Pool{New: func() any { return new([]node) }}

func getNodes() []node { return (*nodesPool.Get().(*[]node))[:0] }

func putNodes(n []node) {
	if n != nil && cap(n) <= maxPooledStack {
		clear(n)
		n = n[:0]
		nodesPool.Put(&n)
	}
}

// Release gives the document's index back for reuse; its Value stays valid, but positions can
// no longer be asked for. Calling it is optional: it spares garbage when many documents are
// parsed one after another.
func (d *Doc) Release() {
	putNodes(d.nodes)
	if d.lines != nil && cap(d.lines.starts) <= maxPooledStack {
		*d.lines = Lines{starts: d.lines.starts[:0]} // the pool keeps no text
		startsPool.Put(d.lines)
	}
	d.children = nil
	d.nodes, d.lines = nil, nil
}

// startsPool holds the line indexes of released Docs (most records have a few dozen lines).
var startsPool = sync.Pool{New: func() any { return new(Lines) }}

// Position returns the position of the value at a JSON pointer. For a pointer that does not
// resolve (a missing member), it returns the position of the nearest existing ancestor.
func (d *Doc) Position(ptr string) Position {
	n, _ := d.find(ptr)
	return d.pos(int(d.nodes[n].val))
}

// KeyPosition returns the position of the key of the object member at a JSON pointer or, when
// there is no such member, the position of the nearest existing value.
func (d *Doc) KeyPosition(ptr string) Position {
	n, ok := d.find(ptr)
	if nd := d.nodes[n]; ok && nd.keyAt >= 0 {
		return d.pos(int(nd.keyAt))
	}
	return d.pos(int(d.nodes[n].val))
}

// Keys returns the names of the members of the object at a JSON pointer, each once, in the
// order the document first lists them (nil when the pointer names no object).
func (d *Doc) Keys(ptr string) []string {
	n, ok := d.find(ptr)
	if !ok || d.src[d.nodes[n].val] != '{' {
		return nil
	}
	var keys []string
	for c := n + 1; c < int(d.nodes[n].end); c = int(d.nodes[c].end) {
		if !slices.Contains(keys, d.nodes[c].key) {
			keys = append(keys, d.nodes[c].key)
		}
	}
	return keys
}

// find returns the node of the value at ptr and true, or the node of its nearest existing
// ancestor and false. A repeated key names its last occurrence, the one the value keeps.
func (d *Doc) find(ptr string) (int, bool) {
	n := 0
	if ptr == "" {
		return n, true
	}
	if ptr[0] != '/' {
		return n, false
	}
	for rest, more := ptr[1:], true; more; {
		var tok string
		tok, rest, more = strings.Cut(rest, "/")
		tok, ok := UnescapePointerToken(tok)
		if !ok {
			return n, false
		}
		child := -1
		if d.src[d.nodes[n].val] == '{' {
			child = d.member(n, tok)
		} else if i, ok := arrayIndex(tok); ok && d.src[d.nodes[n].val] == '[' {
			child = d.item(n, i)
		}
		if child < 0 {
			return n, false
		}
		n = child
	}
	return n, true
}

// member returns the node of the last member of object n named name, or -1.
func (d *Doc) member(n int, name string) int {
	if ix := d.children[n]; ix != nil {
		if c, ok := ix.members[name]; ok {
			return c
		}
		return -1
	}
	found, count := -1, 0
	for c := n + 1; c < int(d.nodes[n].end); c = int(d.nodes[c].end) {
		if d.nodes[c].key == name {
			found = c
		}
		count++
	}
	if count > indexAbove {
		d.index(n)
	}
	return found
}

// item returns the node of item i of array n, or -1.
func (d *Doc) item(n, i int) int {
	if ix := d.children[n]; ix != nil {
		if i < len(ix.items) {
			return ix.items[i]
		}
		return -1
	}
	if i > indexAbove {
		return d.index(n).item(i)
	}
	c := n + 1
	for ; c < int(d.nodes[n].end) && i > 0; c, i = int(d.nodes[c].end), i-1 {
	}
	if c >= int(d.nodes[n].end) {
		return -1
	}
	return c
}

func (ix *childIndex) item(i int) int {
	if i < len(ix.items) {
		return ix.items[i]
	}
	return -1
}

// index indexes the children of value n, a large object or array, for the lookups to come.
func (d *Doc) index(n int) *childIndex {
	ix := &childIndex{}
	isObject := d.src[d.nodes[n].val] == '{'
	if isObject {
		ix.members = map[string]int{}
	}
	for c := n + 1; c < int(d.nodes[n].end); c = int(d.nodes[c].end) {
		if isObject {
			ix.members[d.nodes[c].key] = c // the last of a repeated name wins
		} else {
			ix.items = append(ix.items, c)
		}
	}
	if d.children == nil {
		d.children = map[int]*childIndex{}
	}
	d.children[n] = ix
	return ix
}

// arrayIndex reads a canonical array index ("0", "12"; not "01" or "+1").
func arrayIndex(tok string) (int, bool) {
	i, err := strconv.Atoi(tok)
	return i, err == nil && i >= 0 && strconv.Itoa(i) == tok
}

// pos returns the position of a byte offset, from the index of line starts.
func (d *Doc) pos(off int) Position {
	if d.lines == nil {
		l := startsPool.Get().(*Lines)
		*l = Lines{src: d.src, starts: appendLineStarts(l.starts[:0], d.src)}
		d.lines = l
	}
	return d.lines.Position(off)
}

// appendLineStarts appends to starts the offset of the start of every line of s: lines end at
// "\n", "\r\n" and a lone "\r", as everywhere in this package.
func appendLineStarts(starts []int, s string) []int {
	starts = append(slices.Grow(starts, strings.Count(s, "\n")+1), 0)
	if strings.IndexByte(s, '\r') < 0 { // the common case: searching for "\n" alone is fast
		for i := 0; ; {
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				return starts
			}
			i += j + 1
			starts = append(starts, i)
		}
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' || s[i] == '\r' && (i+1 == len(s) || s[i+1] != '\n') {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// duplicates lists the repeated keys of the objects objs (nodes whose map came out smaller than
// their member count), in the order of the repetitions.
func (d *Doc) duplicates(objs []int32) []Duplicate {
	var out []Duplicate
	for _, o := range objs {
		base := d.pointerOf(int(o))
		first := map[string]int{}
		for c := int(o) + 1; c < int(d.nodes[o].end); c = int(d.nodes[c].end) {
			k := d.nodes[c].key
			f, seen := first[k]
			if !seen {
				first[k] = c
				continue
			}
			out = append(out, Duplicate{Pointer: base + "/" + EscapePointerToken(k),
				First: d.pos(int(d.nodes[f].keyAt)), Second: d.pos(int(d.nodes[c].keyAt))})
		}
	}
	slices.SortFunc(out, func(a, b Duplicate) int { return a.Second.Offset - b.Second.Offset })
	return out
}

// pointerOf returns the JSON pointer of node n, found by descending from the root.
func (d *Doc) pointerOf(n int) string {
	var b strings.Builder
	for c := 0; c != n; {
		i := 0
		child := c + 1
		for int(d.nodes[child].end) <= n {
			child, i = int(d.nodes[child].end), i+1
		}
		b.WriteByte('/')
		if d.src[d.nodes[c].val] == '{' {
			b.WriteString(EscapePointerToken(d.nodes[child].key))
		} else {
			b.WriteString(strconv.Itoa(i))
		}
		c = child
	}
	return b.String()
}
