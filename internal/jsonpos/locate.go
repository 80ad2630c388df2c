package jsonpos

import (
	"slices"
	"strconv"
	"strings"
)

// Duplicate is a key that occurs more than once in one object. Decode keeps
// the last value (like encoding/json) but reports the repetition, because a
// repeated key is almost always an editing mistake that silently drops data.
type Duplicate struct {
	// Pointer is the RFC 6901 JSON pointer of the repeated member, for
	// example "/a~1b/0/k".
	Pointer string
	// First is the position of the first occurrence of the key in the
	// object, Second the position of the repetition. A key that occurs three
	// times yields two Duplicates sharing the same First.
	First, Second Position
}

// Positions tells where the values and keys of a document are, so a finding
// about a decoded value (known by its JSON pointer) can be shown at a line
// and column.
type Positions struct {
	// Values maps the JSON pointer of every value ("" for the root) to the
	// position of its first character.
	Values map[string]Position
	// Keys maps the JSON pointer of every object member to the position of
	// the opening quote of its key.
	Keys map[string]Position
}

// Locate returns the position of every value and member key of data. It
// parses data with the same grammar as Decode and returns the same
// *SyntaxError for malformed input (including a byte-order mark).
//
// When a key is repeated, the positions describe the last occurrence, the
// one whose value Decode keeps, so every pointer in the result resolves in
// the decoded value. Locate is meant to be called only once a finding needs
// a position, so it trades speed for simplicity: it builds the pointer of
// every value, whose total length grows with the square of the nesting
// depth (about 100 MB for a 20 KB file nested 10000 deep).
func Locate(data []byte) (*Positions, error) {
	pos, _, err := locate(data)
	return pos, err
}

func locate(data []byte) (*Positions, []Duplicate, error) {
	p := getParser(data)
	l := &locator{
		full:  true,
		lc:    lineCounter{data: data, line: 1, col: 1},
		pos:   &Positions{Values: map[string]Position{}, Keys: map[string]Position{}},
		stack: []locFrame{{}},
	}
	p.loc = l
	_, err := p.parse()
	putParser(p)
	if err != nil {
		return nil, nil, err
	}
	return l.pos, l.dups, nil
}

// findDuplicates reports the repeated keys of a document Decode accepted.
// objs holds the offsets of the objects that have them, so only those
// objects track their keys, and pointers are built only for the
// repetitions: the pass stays linear even for pathological input.
func findDuplicates(data []byte, objs []int) []Duplicate {
	p := getParser(data)
	l := &locator{stack: []locFrame{{}}, dupObjs: make(map[int]bool, len(objs))}
	for _, off := range objs {
		l.dupObjs[off] = true
	}
	p.loc = l
	if _, err := p.parse(); err != nil {
		panic("dataset: second parse failed: " + err.Error()) // same grammar as the first
	}
	putParser(p)
	// Key offsets were noted in any order (a First may precede earlier
	// Seconds); converting them in sorted order keeps it one sweep.
	offs := make([]int, 0, 2*len(l.dupOffs))
	for _, d := range l.dupOffs {
		offs = append(offs, d[0], d[1])
	}
	slices.Sort(offs)
	lc := lineCounter{data: data, line: 1, col: 1}
	at := make(map[int]Position, len(offs))
	for _, off := range offs {
		at[off] = lc.at(off)
	}
	for n, d := range l.dupOffs {
		l.dups[n].First, l.dups[n].Second = at[d[0]], at[d[1]]
	}
	return l.dups
}

// locator is the optional part of the parser that Locate and
// findDuplicates switch on through the hooks below. Keeping one parser for
// all three passes guarantees they accept exactly the same documents.
type locator struct {
	// full is set for Locate: record the position of every value and key.
	// Otherwise only duplicates are looked for, in the objects of dupObjs.
	full bool
	lc   lineCounter
	pos  *Positions
	// stack has a frame for the root and for each open member or element.
	stack []locFrame
	dups  []Duplicate

	// Full mode. log lists value pointers in the order they were recorded,
	// so the subtree of a member is a contiguous run of it; span holds the
	// run of each member that has descendants. When a repeated key replaces
	// a member, exactly that run is forgotten, so every pointer left in
	// Positions resolves in the decoded value (which keeps the last value).
	log  []string
	span map[string][2]int
	// first holds the first position of keys that have been repeated, so
	// that a third occurrence is paired with the first, not the second.
	first map[string]Position

	// Duplicates-only mode.
	dupObjs map[int]bool
	objs    []map[string]int // per open object: key -> offset of first occurrence, nil if not tracked
	dupOffs [][2]int         // offsets of First and Second for each of dups
}

// locFrame is an open member or array element. In full mode ptr is its
// pointer and lo the index of its own entry in log; in duplicates-only mode
// ptr is just its escaped reference token, so that building pointers costs
// nothing until a duplicate needs one.
type locFrame struct {
	ptr    string
	lo     int
	member bool
}

func (l *locator) value(i int) {
	if l.full {
		ptr := l.stack[len(l.stack)-1].ptr
		l.pos.Values[ptr] = l.lc.at(i)
		l.log = append(l.log, ptr)
	}
}

func (l *locator) openObject(i int) {
	if !l.full {
		var m map[string]int
		if l.dupObjs[i] {
			m = map[string]int{}
		}
		l.objs = append(l.objs, m)
	}
}

func (l *locator) closeObject() {
	if !l.full {
		l.objs = l.objs[:len(l.objs)-1]
	}
}

func (l *locator) enterKey(k string, ki int) {
	tok := EscapePointerToken(k)
	if !l.full {
		if seen := l.objs[len(l.objs)-1]; seen != nil {
			if f, ok := seen[k]; ok {
				var b strings.Builder
				for _, fr := range l.stack[1:] {
					b.WriteString("/")
					b.WriteString(fr.ptr)
				}
				b.WriteString("/")
				b.WriteString(tok)
				l.dups = append(l.dups, Duplicate{Pointer: b.String()})
				l.dupOffs = append(l.dupOffs, [2]int{f, ki})
			} else {
				seen[k] = ki
			}
		}
		l.stack = append(l.stack, locFrame{ptr: tok, member: true})
		return
	}
	ptr := l.stack[len(l.stack)-1].ptr + "/" + tok
	kp := l.lc.at(ki)
	if prev, ok := l.pos.Keys[ptr]; ok {
		// Keys[ptr] can only be from this very object: when an object is
		// itself replaced by a repeated key, its keys are forgotten.
		if l.first == nil {
			l.first = map[string]Position{}
		}
		f, ok := l.first[ptr]
		if !ok {
			f = prev
			l.first[ptr] = f
		}
		l.dups = append(l.dups, Duplicate{Pointer: ptr, First: f, Second: kp})
		if sp, ok := l.span[ptr]; ok {
			for _, q := range l.log[sp[0]:sp[1]] {
				delete(l.pos.Values, q)
				delete(l.pos.Keys, q)
				delete(l.first, q)
				delete(l.span, q)
			}
			delete(l.span, ptr)
		}
	}
	l.pos.Keys[ptr] = kp
	l.stack = append(l.stack, locFrame{ptr: ptr, lo: len(l.log), member: true})
}

func (l *locator) enterIndex(n int) {
	tok := strconv.Itoa(n)
	if l.full {
		tok = l.stack[len(l.stack)-1].ptr + "/" + tok
	}
	l.stack = append(l.stack, locFrame{ptr: tok, lo: len(l.log)})
}

func (l *locator) leave() {
	fr := l.stack[len(l.stack)-1]
	l.stack = l.stack[:len(l.stack)-1]
	// Only members can be replaced, and only those with descendants
	// have anything to forget.
	if l.full && fr.member && len(l.log) > fr.lo+1 {
		if l.span == nil {
			l.span = map[string][2]int{}
		}
		l.span[fr.ptr] = [2]int{fr.lo + 1, len(l.log)}
	}
}
