package validate

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/apmd-data/apmd/internal/jsonpos"
)

// The closest-passage explanation of a quote that is not in its source's text.

// text is a source text with its white space normalised (every run of white space is one
// space), the form quotes are compared in.
type text struct {
	raw  string
	norm string
	// offsets maps each byte of norm to its byte in raw; built only to explain a miss.
	offsets []int
	// words indexes the words of norm (built only to explain a miss).
	words []word
	index map[string][]int
}

type word struct {
	s     string
	start int // byte offset in norm
}

func newText(raw string) *text { return &text{raw: raw, norm: normalizeSpace(raw, nil)} }

// normalizeSpace collapses each run of white space into one space and trims the ends; if
// offsets is not nil it receives, for each byte of the result, the offset of its source byte.
func normalizeSpace(s string, offsets *[]int) string {
	if offsets == nil && normalASCII(s) {
		return strings.Clone(s) // the common quote; a copy, so as not to keep its record's text
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			if offsets != nil {
				*offsets = append(*offsets, i)
			}
			space = false
		}
		n := b.Len()
		b.WriteRune(r)
		if offsets != nil {
			for range b.Len() - n {
				*offsets = append(*offsets, i)
			}
		}
	}
	return b.String()
}

// normalASCII reports whether s is ASCII with its white space normalised already: single spaces
// between words, none at the ends.
func normalASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
			return false
		case c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' '):
			return false
		}
	}
	return true
}

// explain describes why a quote is not in the text: the closest passage, where it is, and
// the first place the two differ.
func (t *text) explain(quote, id, file string) string {
	q := normalizeSpace(quote, nil)
	start, end, ok := t.closest(q)
	if !ok {
		return fmt.Sprintf("the quote is not in %s (%s), and no passage of it shares a word with the quote: check the source id, or copy the quote from the text", id, file)
	}
	passage := t.norm[start:end]
	pos := jsonpos.PositionAt([]byte(t.raw), t.offsets[start])
	qd, pd := difference(q, passage)
	return fmt.Sprintf("the quote is not in %s (%s), even ignoring white space; the closest passage, at line %d, column %d, is %q; it differs where the quote reads %s and the text reads %s%s: copy the passage verbatim",
		id, file, pos.Line, pos.Column, clip(passage, 300), qd, pd, lookAlike(q, passage))
}

// difference shows the first place two strings differ, each with the same context around it.
func difference(a, b string) (string, string) {
	ra, rb := []rune(a), []rune(b)
	pre := 0
	for pre < len(ra) && pre < len(rb) && ra[pre] == rb[pre] {
		pre++
	}
	suf := 0
	for suf < len(ra)-pre && suf < len(rb)-pre && ra[len(ra)-1-suf] == rb[len(rb)-1-suf] {
		suf++
	}
	const context, longest = 15, 60
	show := func(r []rune) string {
		from := max(0, pre-context)
		to := min(len(r), len(r)-suf+context)
		s := string(r[from:to])
		if to-from > longest+2*context {
			s = string(r[from:pre+longest]) + "…"
		}
		if from > 0 {
			s = "…" + s
		}
		if to < len(r) {
			s += "…"
		}
		return fmt.Sprintf("%q", s)
	}
	return show(ra), show(rb)
}

// lookAlike names the two characters when the quote and the passage differ by one character
// that looks alike in most fonts (’ and ', “ and ", – and -), which a reader cannot see.
func lookAlike(q, p string) string {
	rq, rp := []rune(q), []rune(p)
	if len(rq) != len(rp) {
		return ""
	}
	var a, b rune
	for i := range rq {
		if rq[i] != rp[i] {
			if a != 0 {
				return ""
			}
			a, b = rq[i], rp[i]
		}
	}
	if a == 0 || unicode.IsLetter(a) || unicode.IsDigit(a) {
		return ""
	}
	return fmt.Sprintf(" (the quote has %c, U+%04X, where the text has %c, U+%04X)", a, a, b, b)
}

// closest finds the passage of the text nearest to the quote (both normalised). Candidate
// places are found by anchoring the quote's words, rare words counting most; each candidate
// window is then aligned character by character (edit distance, free ends in the text).
func (t *text) closest(q string) (start, end int, ok bool) {
	if t.index == nil {
		t.offsets = make([]int, 0, len(t.norm))
		normalizeSpace(t.raw, &t.offsets)
		t.index = map[string][]int{}
		for i, w := range splitWords(t.norm) {
			t.words = append(t.words, w)
			t.index[w.s] = append(t.index[w.s], i)
		}
	}
	qwords := splitWords(q)
	votes := map[int]float64{}
	for qi, w := range qwords {
		occ := t.index[w.s]
		if len(occ) == 0 || len(occ) > 200 {
			continue
		}
		for _, ti := range occ {
			votes[ti-qi] += 1 / float64(len(occ))
		}
	}
	if len(votes) == 0 {
		return 0, 0, false
	}
	type cand struct {
		align int
		score float64
	}
	var cands []cand
	for a, s := range votes {
		cands = append(cands, cand{a, s})
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		return cands[i].align < cands[j].align
	})
	bestDist := -1
	for _, c := range cands[:min(4, len(cands))] {
		from := max(0, c.align-3)
		to := min(len(t.words), c.align+len(qwords)+3)
		if from >= to {
			continue
		}
		ws := t.words[from].start
		we := len(t.norm)
		if to < len(t.words) {
			we = t.words[to].start
		}
		s, e, d := align(q, t.norm[ws:we])
		if bestDist < 0 || d < bestDist {
			start, end, bestDist = ws+s, ws+e, d
		}
	}
	return start, end, bestDist >= 0
}

// splitWords splits normalised text into words (letters and digits), for anchoring.
func splitWords(s string) []word {
	var out []word
	start := -1
	for i, r := range s {
		in := unicode.IsLetter(r) || unicode.IsDigit(r)
		if in && start < 0 {
			start = i
		}
		if !in && start >= 0 {
			out = append(out, word{strings.ToLower(s[start:i]), start})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, word{strings.ToLower(s[start:]), start})
	}
	return out
}

// align finds the substring of window with the smallest edit distance to q (semi-global
// alignment: the match may start and end anywhere in window) and returns its byte range.
func align(q, window string) (start, end, dist int) {
	qr := []rune(q)
	wr := []rune(window)
	n := len(wr)
	prev := make([]int, n+1)
	cur := make([]int, n+1)
	prevFrom := make([]int, n+1) // where the match ending at j starts
	curFrom := make([]int, n+1)
	for j := range prev {
		prevFrom[j] = j
	}
	for i := 1; i <= len(qr); i++ {
		cur[0], curFrom[0] = i, 0
		for j := 1; j <= n; j++ {
			sub := prev[j-1]
			if qr[i-1] != wr[j-1] {
				sub++
			}
			c, from := sub, prevFrom[j-1]
			if prev[j]+1 < c {
				c, from = prev[j]+1, prevFrom[j]
			}
			if cur[j-1]+1 < c {
				c, from = cur[j-1]+1, curFrom[j-1]
			}
			cur[j], curFrom[j] = c, from
		}
		prev, cur = cur, prev
		prevFrom, curFrom = curFrom, prevFrom
	}
	bestJ := 0
	for j := 1; j <= n; j++ {
		if prev[j] < prev[bestJ] {
			bestJ = j
		}
	}
	// Convert rune indexes to byte offsets.
	startRune, endRune := prevFrom[bestJ], bestJ
	b, r := 0, 0
	for r < endRune {
		if r == startRune {
			start = b
		}
		_, size := utf8.DecodeRuneInString(window[b:])
		b += size
		r++
	}
	if startRune == endRune {
		start = b
	}
	return start, b, prev[bestJ]
}
