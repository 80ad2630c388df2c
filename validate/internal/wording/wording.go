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

// Normalize collapses every run of white space to one space and trims the ends, as the quote
// check does: line breaks and doubled spaces never make two texts differ.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Match is where a wording occurs in a quote (both normalised), and how.
type Match struct {
	Start, End int  // byte offsets in the normalised quote; -1 when absent
	Folded     bool // found only when case is ignored
}

// Find looks for the wording w in quote, ignoring white space differences, then case. Both are
// normalised first; the offsets are in Normalize(quote).
func Find(quote, w string) Match {
	q, nw := Normalize(quote), Normalize(w)
	if nw == "" {
		return Match{Start: -1, End: -1}
	}
	if i := strings.Index(q, nw); i >= 0 {
		return Match{Start: i, End: i + len(nw)}
	}
	// Case folding keeps byte lengths for the letters the sources use; when it would not,
	// the match is not reported (a finding then says the wording does not occur).
	lq, lw := strings.ToLower(q), strings.ToLower(nw)
	if len(lq) == len(q) && len(lw) == len(nw) {
		if i := strings.Index(lq, lw); i >= 0 {
			return Match{Start: i, End: i + len(nw), Folded: true}
		}
	}
	return Match{Start: -1, End: -1}
}

// Words splits a text into lower-case words of letters and digits (keeping inner apostrophes,
// hyphens and digit commas), with their byte offsets.
func Words(s string) []Word {
	var out []Word
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

// Word is one word of a text: its lower-case form and where it stands.
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
	return Word{Text: strings.ToLower(s[start:end]), Start: start, End: end}
}

// Numbers returns the numbers a wording states, in order: written with digits ("113",
// "1,200") or in words ("three", "twenty-five", "a dozen", "a"/"an" before a noun, as in "a
// Chinese citizen"). Words for an unstated quantity ("dozens", "several") are not numbers.
func Numbers(text string) []int64 {
	var out []int64
	ws := Words(text)
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
			if i == 0 && !isQuantityWord(ws[i+1].Text) {
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

func isQuantityWord(w string) bool {
	for _, c := range cues {
		if c.Phrase == w {
			return true
		}
	}
	return w == "few" || w == "number" || w == "handful" || w == "dozen"
}

// Qualifiers returns the cues a wording contains (as whole words), in order of appearance.
// "some" before a number ("some 40") is a cue; "some" before anything else ("some people") is
// not counted as one.
func Qualifiers(text string) []Cue {
	ws := Words(text)
	var out []Cue
	for i := 0; i < len(ws); i++ {
		for _, c := range cues {
			parts := strings.Fields(c.Phrase)
			if !wordsAt(ws, i, parts) {
				continue
			}
			next := i + len(parts)
			if c.Phrase == "some" || c.Phrase == "about" || c.Phrase == "around" || c.Phrase == "under" || c.Phrase == "over" || c.Phrase == "between" {
				// Only before a number: "some people", "about the attack", "over the border".
				if next >= len(ws) || !isNumber(ws[next].Text) {
					continue
				}
			}
			out = append(out, c)
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

// CueBefore returns the cue that stands immediately before offset at in text (within the two
// words before it), such as "over" in "the death of over 113 people" before "113 people".
func CueBefore(text string, at int) (Cue, bool) {
	ws := Words(text[:at])
	for n := 1; n <= 3 && n <= len(ws); n++ {
		tail := ws[len(ws)-n:]
		phrase := make([]string, len(tail))
		for i, w := range tail {
			phrase[i] = w.Text
		}
		p := strings.Join(phrase, " ")
		for _, c := range cues {
			if c.Phrase == p {
				return c, true
			}
		}
	}
	return Cue{}, false
}

// Mention is a calendar date a wording names; a zero field is not named.
type Mention struct {
	Year, Month, Day int
	Text             string // the words that name it
}

var months = map[string]int{
	"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
	"august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
	"oct": 10, "nov": 11, "dec": 12,
}

// Dates returns the calendar dates a wording names: "December 11, 2024", "11 December 2024",
// "August 2021", "2021", "April". A month alone counts only when written in full, and "May" only
// beside a day or a year (it is also a verb).
func Dates(text string) []Mention {
	ws := Words(text)
	var out []Mention
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
