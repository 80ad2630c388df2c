package jsonpos

import (
	"sort"
	"unicode/utf8"
)

// Lines converts the byte offsets of a text into Positions, as every position of this package
// is counted (lines end at "\n", "\r\n" or "\r"; columns count characters), in O(log lines)
// plus at most markEvery bytes counted, however long the text and its lines: a long line gets
// a mark every markEvery bytes the first time an offset on it is asked for. Unlike PositionAt,
// which counts from the start, it serves many offsets of one text, in any order.
type Lines struct {
	src    string
	starts []int          // the offset of every line's start
	marks  map[int][]mark // the marks of the long lines asked for, by line (0-based)
}

// NewLines indexes the lines of src.
func NewLines(src string) *Lines { return &Lines{src: src, starts: appendLineStarts(nil, src)} }

// Position returns the position of the byte offset off of the text.
func (l *Lines) Position(off int) Position {
	line := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off }) // lines starting at or before off
	start, runes := l.starts[line-1], 0
	if off-start > markEvery { // a long line (a minified file): start from the mark before off
		marks := l.lineMarks(line - 1)
		k := min((off-start)/markEvery, len(marks)) - 1
		if k > 0 && marks[k].off > off { // off is in the bytes a mark moved to a character's start
			k--
		}
		if m := marks[k]; m.off <= off {
			start, runes = m.off, m.runes
		}
	}
	return Position{Offset: off, Line: line, Column: 1 + runes + utf8.RuneCountInString(l.src[start:off])}
}

// markEvery is how many bytes of a line lie between two of its marks.
const markEvery = 1024

// mark is a place on a long line: a byte offset (at a character's start) and how many
// characters precede it on the line.
type mark struct{ off, runes int }

// lineMarks returns the marks of line i (0-based), one every markEvery bytes, built on first use.
func (l *Lines) lineMarks(i int) []mark {
	if m, ok := l.marks[i]; ok {
		return m
	}
	start, end := l.starts[i], len(l.src)
	if i+1 < len(l.starts) {
		end = l.starts[i+1]
	}
	var marks []mark
	runes := 0
	for at := start; ; {
		next := min(at+markEvery, end)
		for next < end && !utf8.RuneStart(l.src[next]) {
			next++
		}
		runes += utf8.RuneCountInString(l.src[at:next])
		if next >= end {
			break
		}
		marks = append(marks, mark{next, runes})
		at = next
	}
	if l.marks == nil {
		l.marks = map[int][]mark{}
	}
	l.marks[i] = marks
	return marks
}
