package schema

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
)

// The fast path matches a schema's patterns (ids, dates, versions, hashes…) against nearly
// every string of every record. regexp's setup per match costs more than the match of such
// short strings, so matcher compiles an anchored pattern into a table with one step per byte
// of ASCII text, built from the regexp's own compiled program (nothing restates a pattern).
// Text with any other byte goes to the regexp itself, as does a pattern the table cannot take.

// maxStates bounds the table of one pattern; a pattern that needs more keeps its regexp.
const maxStates = 256

// dead is the state from which no match is possible.
const dead = -1

// byteTable is an anchored pattern as a deterministic automaton over ASCII bytes.
type byteTable struct {
	next [][128]int16 // state × byte → state, or dead
	// done: a match has ended already (the pattern needs nothing after it); end: the text may
	// end here and match.
	done, end []bool
	re        *regexp.Regexp
}

func (t *byteTable) match(s string) bool {
	st := 0
	for i := 0; i < len(s); i++ {
		if t.done[st] {
			return true
		}
		b := s[i]
		if b >= 0x80 {
			return t.re.MatchString(s)
		}
		if st = int(t.next[st][b]); st == dead {
			return false
		}
	}
	return t.end[st]
}

// matcher returns a function that reports whether s matches re, as re.MatchString does.
func matcher(re *regexp.Regexp) func(string) bool {
	if t := newByteTable(re); t != nil {
		return t.match
	}
	return re.MatchString
}

// newByteTable builds re's table, or returns nil if re is not anchored at the start of the text,
// tests anything but the start and end of the text, or needs more than maxStates states.
func newByteTable(re *regexp.Regexp) *byteTable {
	parsed, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	prog, err := syntax.Compile(parsed.Simplify())
	if err != nil || prog.StartCond()&syntax.EmptyBeginText == 0 {
		return nil
	}
	for _, in := range prog.Inst {
		if in.Op == syntax.InstEmptyWidth && syntax.EmptyOp(in.Arg)&^(syntax.EmptyBeginText|syntax.EmptyEndText) != 0 {
			return nil
		}
	}
	b := &tableBuilder{prog: prog, ids: map[string]int{}, t: &byteTable{re: re}}
	b.state([]uint32{uint32(prog.Start)}, true)
	for i := 0; i < len(b.kernels); i++ {
		if len(b.kernels) > maxStates {
			return nil
		}
		b.fill(i)
	}
	return b.t
}

// tableBuilder builds a byteTable by subset construction: a state is the set of instructions
// that may run next (its kernel) and whether the text begins there.
type tableBuilder struct {
	prog    *syntax.Prog
	ids     map[string]int
	kernels [][]uint32
	begins  []bool
	t       *byteTable
}

// state returns the id of the state of a kernel, adding it if new.
func (b *tableBuilder) state(kernel []uint32, begin bool) int {
	slices.Sort(kernel)
	kernel = slices.Compact(kernel)
	var key strings.Builder
	key.WriteString(strconv.FormatBool(begin))
	for _, pc := range kernel {
		key.WriteString("," + strconv.Itoa(int(pc)))
	}
	if id, ok := b.ids[key.String()]; ok {
		return id
	}
	id := len(b.kernels)
	b.ids[key.String()] = id
	b.kernels, b.begins = append(b.kernels, kernel), append(b.begins, begin)
	b.t.next = append(b.t.next, [128]int16{})
	b.t.done, b.t.end = append(b.t.done, false), append(b.t.end, false)
	return id
}

// fill computes state i's row, and whether a match has ended there or may end with the text.
func (b *tableBuilder) fill(i int) {
	running, matched := b.closure(b.kernels[i], b.begins[i], false)
	_, b.t.end[i] = b.closure(b.kernels[i], b.begins[i], true)
	b.t.done[i] = matched
	for c := range 128 {
		var kernel []uint32
		for _, pc := range running {
			if in := &b.prog.Inst[pc]; consumes(in, rune(c)) {
				kernel = append(kernel, in.Out)
			}
		}
		if len(kernel) == 0 {
			b.t.next[i][c] = dead
			continue
		}
		b.t.next[i][c] = int16(b.state(kernel, false))
	}
}

// closure follows the instructions that consume nothing from a kernel: it returns those that
// consume a rune and whether a match is reached. begin and end say whether the text begins or
// ends at this point.
func (b *tableBuilder) closure(kernel []uint32, begin, end bool) (running []uint32, matched bool) {
	seen := map[uint32]bool{}
	stack := slices.Clone(kernel)
	for len(stack) > 0 {
		pc := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[pc] {
			continue
		}
		seen[pc] = true
		in := &b.prog.Inst[pc]
		switch in.Op {
		case syntax.InstMatch:
			matched = true
		case syntax.InstAlt, syntax.InstAltMatch:
			stack = append(stack, in.Out, in.Arg)
		case syntax.InstNop, syntax.InstCapture:
			stack = append(stack, in.Out)
		case syntax.InstEmptyWidth:
			op := syntax.EmptyOp(in.Arg)
			if (op&syntax.EmptyBeginText == 0 || begin) && (op&syntax.EmptyEndText == 0 || end) {
				stack = append(stack, in.Out)
			}
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			running = append(running, pc)
		}
	}
	slices.Sort(running)
	return running, matched
}

// consumes reports whether an instruction that consumes a rune takes c.
func consumes(in *syntax.Inst, c rune) bool {
	switch in.Op {
	case syntax.InstRuneAny:
		return true
	case syntax.InstRuneAnyNotNL:
		return c != '\n'
	}
	return in.MatchRune(c)
}
