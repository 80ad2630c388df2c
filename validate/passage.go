package validate

import (
	"fmt"
	"index/suffixarray"
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
	// lines finds the line and column of an offset of raw; built only to explain a miss.
	lines *jsonpos.Lines
	// sa answers whether norm holds a quote, when there are many quotes to look up (see expect).
	sa *suffixarray.Index
	// offsets maps each byte of norm to its byte in raw; built only to explain a miss.
	offsets []int32
	// words indexes the words of norm (built only to explain a miss).
	words []word
	index map[string][]int
	// cells counts the alignment cells the text's explanations have filled (at most textCells).
	cells int64
}

type word struct {
	s     string
	start int // byte offset in norm
}

// newText returns the text of data, a source's stored text (at most datadir.MaxTextSize bytes,
// so that an offset fits in an int32).
func newText(data []byte) *text {
	raw := string(data)
	return &text{raw: raw, norm: normalizeSpace(raw, nil)}
}

// scanBytes is how many bytes the quotes of one text may scan in all (each looks through the
// whole text, at some 5 GB/s) before a suffix array of the text answers them instead: building
// one costs about as much as 1,000 scans, and then a lookup costs O(len(quote)·log n). 70,000
// quotes against a 16 MB text took over five minutes of scans.
const scanBytes = 1 << 34

// expect prepares the text for n quotes to look up.
func (t *text) expect(n int) {
	if int64(n)*int64(len(t.norm)) > scanBytes {
		t.sa = suffixarray.New([]byte(t.norm))
	}
}

// contains reports whether the text holds the quote q (both normalised).
func (t *text) contains(q string) bool {
	if t.sa != nil {
		return len(t.sa.Lookup([]byte(q), 1)) > 0
	}
	return strings.Contains(t.norm, q)
}

// normalizeSpace collapses each run of white space into one space and trims the ends; if
// offsets is not nil it receives, for each byte of the result, the offset of its source byte.
func normalizeSpace(s string, offsets *[]int) string {
	if offsets == nil && normalASCII(s) {
		return strings.Clone(s) // the common quote; a copy, so as not to keep its record's text
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		// An ASCII byte is handled as itself (most of a text is); any other as range over a
		// string does: a rune, or U+FFFD for each byte that is not UTF-8.
		c, r, size := s[i], rune(s[i]), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if c < utf8.RuneSelf && asciiSpace[c] || c >= utf8.RuneSelf && unicode.IsSpace(r) {
			space = b.Len() > 0
			i += size
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
		if c < utf8.RuneSelf {
			b.WriteByte(c)
		} else {
			b.WriteRune(r)
		}
		if offsets != nil {
			for range b.Len() - n {
				*offsets = append(*offsets, i)
			}
		}
		i += size
	}
	return b.String()
}

// asciiSpace marks the ASCII bytes unicode.IsSpace calls white space.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

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

// The limits that keep explaining a quote cheap whatever the input. One alignment fills at
// most maxCells cells of its matrix (a quote longer than fits is explained by its beginning);
// the explanations of one source text fill at most textCells in all, after which a quote
// is reported without its closest passage. At about 2.5·10⁸ cells a second, one explanation
// takes at most ~70 ms and one text's at most ~1 s, whatever the sizes of the text and quotes.
const (
	maxCells      = 1 << 22
	textCells     = 1 << 28
	maxCandidates = 4
	// slackRunes is how far a candidate window reaches beyond the quote's length on each side.
	slackRunes = 32
	// widenRunes is how far a passage is widened so that it starts and ends on a word.
	widenRunes = 30
)

// maxAlignRunes is the longest quote aligned whole: its window (2·slackRunes longer) fits in maxCells.
var maxAlignRunes = func() int {
	n := 1
	for (n+1)*(n+1+2*slackRunes) <= maxCells {
		n++
	}
	return n
}()

// explain describes why a quote is not in the text: the closest passage, where it is, and
// the first place the two differ. A quote longer than limit characters (the schema's
// maxLength, which the schema check reports) is not explained at length.
func (t *text) explain(quote string, limit int, id, file string) string {
	q := normalizeSpace(quote, nil)
	if n := utf8.RuneCountInString(q); limit > 0 && n > limit {
		return fmt.Sprintf("the quote is not in %s (%s); it has %d characters, more than the %d a quote may have, so no closest passage is sought: quote a shorter passage, copied from the text",
			id, file, n, limit)
	}
	start, end, status := t.closest(q)
	switch status {
	case noSharedWord:
		return fmt.Sprintf("the quote is not in %s (%s), and no passage of it shares a word with the quote: check the source id, or copy the quote from the text", id, file)
	case overBudget:
		return fmt.Sprintf("the quote is not in %s (%s), even ignoring white space (no closest passage is shown: this text has too many quotes to explain; correct the ones explained first): copy the passage verbatim", id, file)
	}
	passage := t.norm[start:end]
	pos := t.lines.Position(int(t.offsets[start]))
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

// closestStatus says whether closest found a passage.
type closestStatus int

const (
	found        closestStatus = iota
	noSharedWord               // no word of the quote is in the text
	overBudget                 // the text's explanations have used their cells
)

// closest finds the passage of the text nearest to the quote (both normalised). Candidate
// places are found by anchoring the quote's words, rare words counting most; each candidate
// window (the quote's length and slackRunes on each side) is then aligned character by
// character (edit distance, free ends in the text), and the best passage is widened to whole
// words. Its cost is linear in the text (the index, built once) and the quote, plus at most
// maxCandidates·maxCells cells.
func (t *text) closest(q string) (start, end int, status closestStatus) {
	t.buildIndex()
	qr := []rune(q)
	if len(qr) > maxAlignRunes {
		qr = qr[:maxAlignRunes]
		q = string(qr)
	}
	qwords := splitWords(q)
	cands := t.candidates(qwords)
	if len(cands) == 0 {
		return 0, 0, noSharedWord
	}
	bestDist := -1
	for _, c := range cands {
		ws, we := t.window(c, len(qr))
		if ws >= we {
			continue
		}
		cells := int64(len(qr)) * int64(utf8.RuneCountInString(t.norm[ws:we]))
		if t.cells+cells > textCells {
			break
		}
		t.cells += cells
		s, e, d := align(qr, t.norm[ws:we])
		if bestDist < 0 || d < bestDist {
			start, end, bestDist = ws+s, ws+e, d
		}
	}
	if bestDist < 0 {
		return 0, 0, overBudget
	}
	start, end = wholeWords(t.norm, start, end)
	return start, end, found
}

// buildIndex indexes the text's words and maps its normalised form back to the raw text, the
// first time a quote is not found in it.
func (t *text) buildIndex() {
	if t.index != nil {
		return
	}
	offsets := make([]int, 0, len(t.norm))
	normalizeSpace(t.raw, &offsets)
	t.offsets = make([]int32, len(offsets))
	for i, o := range offsets {
		t.offsets[i] = int32(o)
	}
	t.lines = jsonpos.NewLines(t.raw)
	t.index = map[string][]int{}
	for i, w := range splitWords(t.norm) {
		t.words = append(t.words, w)
		t.index[w.s] = append(t.index[w.s], i)
	}
}

// candidate is a place where the quote may start: the index of the text's word that the
// quote's first word would be.
type candidate struct {
	align int
	score float64
}

// candidates returns the maxCandidates best places for the quote: each word of the quote that
// the text holds (at most 200 times) votes for the places it puts the quote's start at.
func (t *text) candidates(qwords []word) []candidate {
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
	cands := make([]candidate, 0, len(votes))
	for a, s := range votes {
		cands = append(cands, candidate{a, s})
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].score != cands[j].score {
			return cands[i].score > cands[j].score
		}
		return cands[i].align < cands[j].align
	})
	return cands[:min(maxCandidates, len(cands))]
}

// window returns the byte range of norm a candidate is aligned in: from slackRunes before the
// word the quote would start at, n+2·slackRunes runes long (n is the quote's length).
func (t *text) window(c candidate, n int) (int, int) {
	ws := 0
	if c.align > 0 {
		if c.align >= len(t.words) {
			return 0, 0
		}
		ws = t.words[c.align].start
	}
	ws = backRunes(t.norm, ws, slackRunes)
	we := ws
	for i := 0; i < n+2*slackRunes && we < len(t.norm); i++ {
		_, size := utf8.DecodeRuneInString(t.norm[we:])
		we += size
	}
	return ws, we
}

// backRunes moves the byte offset i of s back by n runes (at most to 0).
func backRunes(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

// wholeWords widens the passage s[start:end] so that it starts and ends on a word boundary
// (letters and digits make words): a passage cut inside a word takes the whole word or, when
// more than widenRunes of the word lie outside, starts after it (ends before it).
func wholeWords(s string, start, end int) (int, int) {
	if inWord(s, start) {
		i := start
		for n := 0; n < widenRunes && inWord(s, i); n++ {
			_, size := utf8.DecodeLastRuneInString(s[:i])
			i -= size
		}
		if inWord(s, i) { // a long word: skip it, and the space after it
			for i = start; i < end && inWord(s, i); {
				_, size := utf8.DecodeRuneInString(s[i:])
				i += size
			}
			if i < end && s[i] == ' ' {
				i++
			}
		}
		start = i
	}
	if inWord(s, end) {
		i := end
		for n := 0; n < widenRunes && inWord(s, i); n++ {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
		if inWord(s, i) { // a long word: end before it
			for i = end; i > start && inWord(s, i); {
				_, size := utf8.DecodeLastRuneInString(s[:i])
				i -= size
			}
		}
		end = i
	}
	for end > start && s[end-1] == ' ' {
		end--
	}
	return start, max(start, end)
}

// inWord reports whether the byte offset i of s falls between two letters or digits.
func inWord(s string, i int) bool {
	if i <= 0 || i >= len(s) {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	at, _ := utf8.DecodeRuneInString(s[i:])
	return isWordRune(before) && isWordRune(at)
}

// isWordRune reports whether r belongs to a word: a letter or a digit.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// splitWords splits normalised text into words (letters and digits), for anchoring.
func splitWords(s string) []word {
	var out []word
	start := -1
	for i, r := range s {
		in := isWordRune(r)
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
// alignment: the match may start and end anywhere in window) and returns its byte range. It
// fills len(q)·len(window) cells, in runes.
func align(qr []rune, window string) (start, end, dist int) {
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
