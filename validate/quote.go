package validate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math/bits"
	"math/rand/v2"
	pathpkg "path"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/apmd-data/apmd/internal/jsonpos"
	"github.com/apmd-data/apmd/schema"
)

// evidence checks every source text once: its SHA-256, and every quote that cites it.
func (x *cross) evidence() error {
	// A quote is named by its record and its index there: 16 bytes rather than a copy of
	// the quoteRef, for each of the millions of quotes of a large dataset.
	type loc struct {
		res *fileResult
		i   int
	}
	var sources []*fileResult
	for _, r := range x.results {
		if r.kind == schema.Source && r.source != nil && r.source.textPath != "" {
			sources = append(sources, r)
		}
	}
	quotes := make(map[string][]loc, len(sources))
	for _, r := range x.results {
		for i, q := range r.quotes {
			quotes[q.source] = append(quotes[q.source], loc{r, i})
		}
	}
	return parallel(len(sources), x.workers, func(i int) error {
		src := sources[i]
		data, err := fs.ReadFile(x.fsys, src.source.textPath)
		if errors.Is(err, fs.ErrNotExist) {
			x.add(src.file, ruleSourceTextMissing, "/"+fTextFile, false,
				"the text file %s does not exist: add the source's full text there (UTF-8), or correct text_file", src.source.textPath)
			return nil
		}
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); src.source.sha256 != "" && got != src.source.sha256 {
			x.add(src.file, ruleSourceSHA256, "/"+fSHA256, false,
				"%s has SHA-256 %s, not the recorded %s: if the text was meant to change, record the new sum (sha256sum %s); otherwise restore the original text",
				src.source.textPath, got, src.source.sha256, pathpkg.Base(src.source.textPath))
		}
		if !utf8.Valid(data) {
			off := firstInvalid(data)
			pos := jsonpos.PositionAt(data, off)
			x.mu.Lock()
			x.pending = append(x.pending, pending{Finding: Finding{File: src.source.textPath, Line: pos.Line,
				Column: pos.Column, Rule: ruleNotUTF8.ID, Severity: ruleNotUTF8.Severity,
				Message: fmt.Sprintf("byte 0x%02X at offset %d is not UTF-8: store the source text as UTF-8 (quotes are compared with it character by character), then record its new SHA-256", data[off], off)}})
			x.mu.Unlock()
		}
		if x.byID[src.id] != src {
			return nil // a duplicate id: its quotes are checked against the first record's text
		}
		t := newText(string(data))
		var prints []fingerprint
		for _, l := range quotes[src.id] {
			prints = append(prints, l.res.quotes[l.i].print)
		}
		found := t.find(prints)
		for _, l := range quotes[src.id] {
			q := l.res.quotes[l.i]
			if found[q.print] {
				continue
			}
			quote, err := x.quoteAt(l.res.file, q.ptr())
			if err != nil {
				return err
			}
			x.add(l.res.file, ruleQuoteNotFound, q.ptr(), false, "%s", t.explain(quote, src.id, src.source.textPath))
		}
		return nil
	})
}

// quoteAt reads a quote again from its record file, to explain why it was not found.
func (x *cross) quoteAt(file, ptr string) (string, error) {
	data, err := fs.ReadFile(x.fsys, file)
	if err != nil {
		return "", fmt.Errorf("re-read %s: %w", file, err)
	}
	v, _, err := jsonpos.Decode(bytes.TrimPrefix(data, bom))
	if err != nil {
		return "", fmt.Errorf("re-read %s: %w", file, err)
	}
	q, _ := jsonpos.Resolve(v, ptr)
	s, _ := q.(string)
	return s, nil
}

// fingerprint identifies a white space-normalised quote: its length in bytes, a polynomial
// hash modulo the prime 2^61-1 with a base drawn at random when the process starts, so that
// no input can be crafted to collide, and the same hash of its first anchorLen bytes (of all
// of it when shorter), by which find looks it up.
type fingerprint struct {
	n          int
	hash, head uint64
}

// anchorLen is the length of the quote prefixes find looks for at every place of a text:
// quotes at least this long are found in one pass over the text, whatever their lengths.
const anchorLen = 16

const mersenne61 = 1<<61 - 1

var hashBase = 256 + rand.Uint64N(mersenne61-512)

func mulmod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	// a*b = hi*2^64 + lo; reduce modulo 2^61-1 using 2^61 ≡ 1.
	r := (lo & mersenne61) + (lo >> 61) + (hi << 3)
	r = (r & mersenne61) + (r >> 61)
	if r >= mersenne61 {
		r -= mersenne61
	}
	return r
}

func addmod(a, b uint64) uint64 {
	r := a + b
	if r >= mersenne61 {
		r -= mersenne61
	}
	return r
}

func hashOf(s string) uint64 {
	var h uint64
	for i := 0; i < len(s); i++ {
		h = addmod(mulmod(h, hashBase), uint64(s[i])+1)
	}
	return h
}

// fingerprintOf fingerprints an already normalised quote.
func fingerprintOf(s string) fingerprint {
	return fingerprint{n: len(s), hash: hashOf(s), head: hashOf(s[:min(len(s), anchorLen)])}
}

// quotePrint is fingerprintOf(normalizeSpace(quote, nil)) without building the normalised
// string: it is computed for every quote of every record.
func quotePrint(quote string) fingerprint {
	var f fingerprint
	add := func(c byte) {
		f.hash = addmod(mulmod(f.hash, hashBase), uint64(c)+1)
		f.n++
		if f.n == anchorLen {
			f.head = f.hash
		}
	}
	space := false
	for i := 0; i < len(quote); {
		c := quote[i]
		if c < utf8.RuneSelf {
			i++
			if asciiSpace[c] {
				space = f.n > 0
				continue
			}
			if space {
				add(' ')
				space = false
			}
			add(c)
			continue
		}
		r, size := utf8.DecodeRuneInString(quote[i:])
		if unicode.IsSpace(r) {
			space = f.n > 0
			i += size
			continue
		}
		if space {
			add(' ')
			space = false
		}
		if r == utf8.RuneError && size == 1 {
			// normalizeSpace writes U+FFFD for an invalid byte.
			for _, b := range []byte(string(utf8.RuneError)) {
				add(b)
			}
		} else {
			for j := range size {
				add(quote[i+j])
			}
		}
		i += size
	}
	if f.n < anchorLen {
		f.head = f.hash
	}
	return f
}

var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// find reports which fingerprints occur in the normalised text. It rolls a window of
// anchorLen bytes over the text once (Rabin-Karp), looks each window's hash up among the
// quotes' heads and checks the few candidates in full; quotes shorter than anchorLen get one
// window per distinct length. It stops as soon as every quote is found.
func (t *text) find(prints []fingerprint) map[fingerprint]bool {
	byHead := map[int]map[uint64][]fingerprint{} // head length → head hash → quotes
	for _, p := range prints {
		k := min(p.n, anchorLen)
		if k == 0 {
			continue
		}
		if byHead[k] == nil {
			byHead[k] = map[uint64][]fingerprint{}
		}
		byHead[k][p.head] = append(byHead[k][p.head], p)
	}
	found := map[fingerprint]bool{}
	left := 0
	for _, p := range prints {
		if p.n > 0 && !found[p] {
			found[p] = false
			left++
		}
	}
	s := t.norm
	for k, heads := range byHead {
		if k > len(s) {
			continue
		}
		// A 1024-bit filter of the heads' low bits spares a map look-up at most places.
		var filter [16]uint64
		for h := range heads {
			filter[h>>6&15] |= 1 << (h & 63)
		}
		// top is base^(k-1), the weight of the byte leaving the window.
		top := uint64(1)
		for range k - 1 {
			top = mulmod(top, hashBase)
		}
		h := hashOf(s[:k])
		for i := 0; ; i++ {
			if filter[h>>6&15]&(1<<(h&63)) != 0 {
				for _, p := range heads[h] {
					if !found[p] && i+p.n <= len(s) && (p.n == k || hashOf(s[i:i+p.n]) == p.hash) {
						found[p] = true
						if left--; left == 0 {
							return found
						}
					}
				}
			}
			if i+k >= len(s) {
				break
			}
			h = addmod(h, mersenne61-mulmod(uint64(s[i])+1, top))
			h = addmod(mulmod(h, hashBase), uint64(s[i+k])+1)
		}
	}
	return found
}

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
