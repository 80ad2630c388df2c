// Package wording reads what a source's words say about numbers and dates, so that the
// validator can check a record's values against the wording it copied and against the quotes
// that support them: the numbers a count's wording states ("over 113", "three police
// officers"), the qualifier its words imply ("over" is more_than), the calendar dates a date's
// wording names ("On December 11, 2024"), and where a wording occurs in a quote.
//
// It knows English only, as the sources are; a wording it cannot read yields nothing, so a
// check built on it stays silent rather than guessing.
package wording

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Match is where a wording occurs in a quote, and how.
type Match struct {
	Start, End int  // byte offsets in the quote; -1 when absent
	Folded     bool // found only when case is ignored
}

// Find looks for the wording w in quote, as whole words ("13 people" is not in "113 people"),
// then, if it is not there, for it with case ignored. Both must have their white space
// normalised already (every run of white space one space, none at the ends: the validator's
// normaliser, which quotes are compared with), so that line breaks and doubled spaces never make
// two texts differ. It returns the first place w occurs; All returns every place.
func Find(q, w string) Match {
	if w == "" {
		return Match{Start: -1, End: -1}
	}
	if i := next(q, w, 0); i >= 0 {
		return Match{Start: i, End: i + len(w)}
	}
	if ms := All(q, w); len(ms) > 0 {
		return ms[0] // found with case ignored
	}
	return Match{Start: -1, End: -1}
}

// All returns every place the wording w occurs in quote as whole words, as Find looks for it:
// the exact places, else the places it occurs with case ignored.
func All(q, w string) []Match {
	if w == "" {
		return nil
	}
	if ms := occurrences(q, w, false); len(ms) > 0 {
		return ms
	}
	// Case folding keeps byte lengths for the letters the sources use; when it would not,
	// the match is not reported (a finding then says the wording does not occur).
	lq, lw := strings.ToLower(q), strings.ToLower(w)
	if len(lq) == len(q) && len(lw) == len(w) {
		return occurrences(lq, lw, true)
	}
	return nil
}

func occurrences(q, w string, folded bool) []Match {
	var out []Match
	for i := next(q, w, 0); i >= 0; i = next(q, w, i+1) {
		out = append(out, Match{Start: i, End: i + len(w), Folded: folded})
	}
	return out
}

// next returns the first offset from from on where w occurs in q as whole words, or -1.
func next(q, w string, from int) int {
	for from <= len(q)-len(w) {
		i := strings.Index(q[from:], w)
		if i < 0 {
			return -1
		}
		i += from
		if wordEdge(q, i, w, true) && wordEdge(q, i+len(w), w, false) {
			return i
		}
		_, n := utf8.DecodeRuneInString(q[i:])
		from = i + n
	}
	return -1
}

// wordEdge reports whether offset at of q is a word boundary for the wording w that starts
// (start) or ends there: a letter or digit of w there must not continue a word of q.
func wordEdge(q string, at int, w string, start bool) bool {
	var inner, outer rune
	if start {
		inner, _ = utf8.DecodeRuneInString(w)
		if at == 0 {
			return true
		}
		outer, _ = utf8.DecodeLastRuneInString(q[:at])
	} else {
		inner, _ = utf8.DecodeLastRuneInString(w)
		if at == len(q) {
			return true
		}
		outer, _ = utf8.DecodeRuneInString(q[at:])
	}
	return !alnum(inner) || !alnum(outer)
}

func alnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// Words splits a text into lower-case words of letters and digits (keeping inner apostrophes,
// hyphens and digit commas), with their byte offsets.
func Words(s string) []Word { return appendWords(nil, s) }

// appendWords appends the words of s to out: the functions below give it a buffer on their
// stack, so that reading a short wording allocates nothing but its lower-case words.
func appendWords(out []Word, s string) []Word {
	start := -1
	for i, r := range s {
		inner := (r == '\'' || r == '’' || r == '-' || r == ',' || r == '.') && start >= 0
		if unicode.IsLetter(r) || unicode.IsDigit(r) || inner {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, word(s, start, i))
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, word(s, start, len(s)))
	}
	return out
}

// Word is one word of a text and where it stands. Text is in lower case for the words this
// package reads (numbers, months, the words of the cues): "March" is "march"; another word is
// as written, which spares an allocation for every capitalised name.
type Word struct {
	Text       string
	Start, End int
}

func word(s string, start, end int) Word {
	// Trailing punctuation that was let in as "inner" (a comma or full stop after a word).
	for end > start {
		r, n := utf8.DecodeLastRuneInString(s[start:end])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			break
		}
		end -= n
	}
	return Word{Text: lowerKnown(s[start:end]), Start: start, End: end}
}

// known holds, in lower case, the words this package reads: those it must see in lower case
// however a text writes them.
var known = func() map[string]string {
	m := map[string]string{"a": "a", "an": "an", "few": "few", "number": "number", "handful": "handful"}
	for w := range units {
		m[w] = w
	}
	for w := range months {
		m[w] = w
	}
	for _, c := range cues {
		for _, w := range strings.Fields(c.Phrase) {
			m[w] = w
		}
	}
	return m
}()

// lowerKnown returns w in lower case if it is a word the package reads, else w itself; it does
// not allocate.
func lowerKnown(w string) string {
	var buf [16]byte
	if len(w) > len(buf) {
		return w
	}
	lower := buf[:len(w)]
	changed := false
	for i := range len(w) {
		c := w[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
			changed = true
		}
		lower[i] = c
	}
	if !changed {
		return w
	}
	if k, ok := known[string(lower)]; ok {
		return k
	}
	return w
}

// Numbers returns the numbers a wording states, in order: written with digits ("113",
// "1,200") or in words ("three", "twenty-five", "a dozen", "a"/"an" before a noun, as in "a
// Chinese citizen"). Words for an unstated quantity ("dozens", "several") are not numbers.
func Numbers(text string) []int64 {
	var out []int64
	var buf [16]Word
	ws := appendWords(buf[:0], text)
	for i := 0; i < len(ws); i++ {
		w := ws[i].Text
		if n, ok := digits(w); ok {
			out = append(out, n)
			continue
		}
		if (w == "a" || w == "an") && i+1 < len(ws) {
			if ws[i+1].Text == "dozen" {
				out = append(out, 12)
				i++
				continue
			}
			if i == 0 && !isQuantityWord(ws[i+1].Text) && !startsCue(ws, i) {
				out = append(out, 1)
			}
			continue
		}
		if n, ok := numberWord(w); ok {
			if i+1 < len(ws) && ws[i+1].Text == "hundred" {
				n *= 100
				i++
			}
			out = append(out, n)
		}
	}
	return out
}

func digits(w string) (int64, bool) {
	s := strings.ReplaceAll(w, ",", "")
	if s == "" {
		return 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

var units = map[string]int64{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
	"nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
	"fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
	"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
	"eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "single": 1,
}

func numberWord(w string) (int64, bool) {
	if n, ok := units[w]; ok {
		return n, true
	}
	// twenty-five
	if tens, unit, ok := strings.Cut(w, "-"); ok {
		t, ok1 := units[tens]
		u, ok2 := units[unit]
		if ok1 && ok2 && t >= 20 && t%10 == 0 && u < 10 {
			return t + u, true
		}
	}
	return 0, false
}

// Cue is a phrase that qualifies a number, and the count qualifier it implies.
type Cue struct {
	Phrase    string
	Qualifier string
}

// cues, longest first within each qualifier so that "more than" wins over "more".
var cues = []Cue{
	{"more than", "more_than"}, {"over", "more_than"}, {"in excess of", "more_than"}, {"upwards of", "more_than"},
	{"at least", "at_least"}, {"no fewer than", "at_least"}, {"no less than", "at_least"}, {"a minimum of", "at_least"},
	{"approximately", "approximately"}, {"about", "approximately"}, {"around", "approximately"},
	{"roughly", "approximately"}, {"nearly", "approximately"}, {"almost", "approximately"},
	{"some", "approximately"}, {"an estimated", "approximately"}, {"close to", "approximately"},
	{"up to", "at_most"}, {"at most", "at_most"}, {"as many as", "at_most"}, {"no more than", "at_most"},
	{"fewer than", "fewer_than"}, {"less than", "fewer_than"}, {"under", "fewer_than"},
	{"between", "range"},
	{"dozens", "many"}, {"scores", "many"}, {"hundreds", "many"}, {"thousands", "many"},
	{"many", "many"}, {"numerous", "many"},
	{"several", "several"}, {"a few", "several"}, {"a number of", "several"}, {"a handful of", "several"},
}

// cueEntry is a cue with its phrase split into words.
type cueEntry struct {
	Cue
	words []string
}

// cuesByWord holds the cues by the first word of their phrase, each word's in the order of cues.
var cuesByWord = func() map[string][]cueEntry {
	m := map[string][]cueEntry{}
	for _, c := range cues {
		ws := strings.Fields(c.Phrase)
		m[ws[0]] = append(m[ws[0]], cueEntry{c, ws})
	}
	return m
}()

// cueAt returns the first cue (in the order of cues) whose phrase is the words of ws from i on.
func cueAt(ws []Word, i int) (cueEntry, bool) {
	for _, e := range cuesByWord[ws[i].Text] {
		if wordsAt(ws, i, e.words) {
			return e, true
		}
	}
	return cueEntry{}, false
}

// cueEnds holds the last word of every cue phrase ("than" of "more than").
var cueEnds = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range cues {
		ws := strings.Fields(c.Phrase)
		m[ws[len(ws)-1]] = true
	}
	return m
}()

// lastWord returns the last word of s (letters and digits), in lower case.
func lastWord(s string) string {
	end := len(s)
	for end > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:end])
		if alnum(r) {
			break
		}
		end -= n
	}
	start := end
	for start > 0 {
		r, n := utf8.DecodeLastRuneInString(s[:start])
		if !alnum(r) {
			break
		}
		start -= n
	}
	return strings.ToLower(s[start:end])
}

// startsCue reports whether a cue phrase starts at word i ("a few", "an estimated").
func startsCue(ws []Word, i int) bool {
	_, ok := cueAt(ws, i)
	return ok
}

func isQuantityWord(w string) bool {
	for _, e := range cuesByWord[w] {
		if len(e.words) == 1 {
			return true
		}
	}
	return w == "few" || w == "number" || w == "handful" || w == "dozen"
}

// onlyBeforeNumber are the cues that qualify only a number after them: "some people", "about the
// attack", "over the border" qualify nothing.
var onlyBeforeNumber = map[string]bool{"some": true, "about": true, "around": true, "under": true, "over": true, "between": true}

// Qualifiers returns the cues a wording contains (as whole words), in order of appearance.
// "some" before a number ("some 40") is a cue; "some" before anything else ("some people") is
// not counted as one.
func Qualifiers(text string) []Cue {
	var buf [16]Word
	ws := appendWords(buf[:0], text)
	var out []Cue
	for i := 0; i < len(ws); i++ {
		for _, e := range cuesByWord[ws[i].Text] {
			if !wordsAt(ws, i, e.words) {
				continue
			}
			next := i + len(e.words)
			if onlyBeforeNumber[e.Phrase] && (next >= len(ws) || !isNumber(ws[next].Text)) {
				continue
			}
			out = append(out, e.Cue)
			i = next - 1
			break
		}
	}
	return out
}

func isNumber(w string) bool {
	if _, ok := digits(w); ok {
		return true
	}
	_, ok := numberWord(w)
	return ok
}

func wordsAt(ws []Word, i int, parts []string) bool {
	if i+len(parts) > len(ws) {
		return false
	}
	for k, p := range parts {
		if ws[i+k].Text != p {
			return false
		}
	}
	return true
}

// CueBefore returns the cue that stands immediately before offset at in text (the last one to
// three words before it, the longest cue first: "no more than", not "more than"), such as
// "over" in "the death of over 113 people" before "113 people", and the offset where it starts.
// The text's white space must be normalised.
func CueBefore(text string, at int) (c Cue, start int, ok bool) {
	if !cueEnds[lastWord(text[:at])] {
		return Cue{}, -1, false // the common case, found without splitting words
	}
	lo := at // the start of the fourth word before at, at most
	for spaces := 0; lo > 0; lo-- {
		if text[lo-1] == ' ' {
			if spaces++; spaces == 5 {
				break
			}
		}
	}
	var buf [8]Word
	ws := appendWords(buf[:0], text[lo:at])
	for n := min(3, len(ws)); n >= 1; n-- {
		tail := ws[len(ws)-n:]
		for _, e := range cuesByWord[tail[0].Text] {
			if len(e.words) == n && wordsAt(tail, 0, e.words) {
				return e.Cue, lo + tail[0].Start, true
			}
		}
	}
	return Cue{}, -1, false
}

// Mention is a calendar date a wording names; a zero field is not named.
type Mention struct {
	Year, Month, Day int
	Text             string // the words that name it
}

// String writes the date a mention names, in words: "July 14, 2031", "August 2021", "2021",
// "July 14".
func (m Mention) String() string {
	var b strings.Builder
	if m.Month > 0 {
		b.WriteString(monthNames[m.Month-1])
		if m.Day > 0 {
			b.WriteString(" " + strconv.Itoa(m.Day))
			if m.Year > 0 {
				b.WriteByte(',')
			}
		}
	}
	if m.Year > 0 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(m.Year))
	}
	return b.String()
}

var monthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December"}

var months = map[string]int{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
	"august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
	"oct": 10, "nov": 11, "dec": 12,
}

// Dates returns the calendar dates a wording names: "December 11, 2024", "11 December 2024",
// "August 2021", "2021", "April". A month alone counts only when written in full, and "May" only
// beside a day or a year (it is also a verb).
func Dates(text string) []Mention { return AppendDates(nil, text) }

// AppendDates appends the dates a wording names, as Dates returns them, to out.
func AppendDates(out []Mention, text string) []Mention {
	var buf [16]Word
	ws := appendWords(buf[:0], text)
	used := make([]bool, len(ws))
	for i, w := range ws {
		m, ok := months[strings.TrimSuffix(w.Text, ".")]
		if !ok || used[i] {
			continue
		}
		full := len(w.Text) > 3 || w.Text == "may"
		men := Mention{Month: m}
		first, last := i, i
		if i+1 < len(ws) {
			if d, ok := dayNumber(ws[i+1].Text); ok {
				men.Day = d
				last = i + 1
				if i+2 < len(ws) {
					if y, ok := year(ws[i+2].Text); ok {
						men.Year = y
						last = i + 2
					}
				}
			} else if y, ok := year(ws[i+1].Text); ok {
				men.Year = y
				last = i + 1
			}
		}
		if men.Day == 0 && i > 0 && !used[i-1] {
			if d, ok := dayNumber(strings.TrimSuffix(ws[i-1].Text, "th")); ok {
				men.Day = d
				first = i - 1
			}
		}
		if !full && men.Day == 0 && men.Year == 0 {
			continue
		}
		if w.Text == "may" && men.Day == 0 && men.Year == 0 {
			continue
		}
		for k := first; k <= last; k++ {
			used[k] = true
		}
		men.Text = text[ws[first].Start:ws[last].End]
		out = append(out, men)
	}
	for i, w := range ws {
		if used[i] {
			continue
		}
		if y, ok := year(w.Text); ok {
			out = append(out, Mention{Year: y, Text: text[w.Start:w.End]})
		}
	}
	return out
}

func dayNumber(w string) (int, bool) {
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		w = strings.TrimSuffix(w, suf)
	}
	n, err := strconv.Atoi(w)
	if err != nil || n < 1 || n > 31 || len(w) > 2 {
		return 0, false
	}
	return n, true
}

func year(w string) (int, bool) {
	if len(w) != 4 {
		return 0, false
	}
	n, err := strconv.Atoi(w)
	if err != nil || n < 1000 || n > 2999 {
		return 0, false
	}
	return n, true
}

// Closest returns the passage of quote (whole words) that most resembles w, for a message that
// shows what the quote says instead: the window of as many words as w with the most words in
// common, ties going to the first.
func Closest(quote, w string) string {
	qs, ws := Words(quote), Words(w)
	if len(qs) == 0 || len(ws) == 0 {
		return ""
	}
	want := map[string]int{}
	for _, x := range ws {
		want[x.Text]++
	}
	n := len(ws)
	if n > len(qs) {
		n = len(qs)
	}
	best, bestAt := -1, 0
	for i := 0; i+n <= len(qs); i++ {
		have := map[string]int{}
		score := 0
		for _, x := range qs[i : i+n] {
			if have[x.Text] < want[x.Text] {
				score++
			}
			have[x.Text]++
		}
		if score > best {
			best, bestAt = score, i
		}
	}
	if best <= 0 {
		return ""
	}
	return quote[qs[bestAt].Start:qs[bestAt+n-1].End]
}
