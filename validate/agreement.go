package validate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apmd-data/apmd/internal/english"
	"github.com/apmd-data/apmd/schema"
	"github.com/apmd-data/apmd/validate/internal/wording"
)

// agreementCheck checks that a record's values agree with the words they come from: a fact's
// wording (a count's or a date's text, a place, a name: the wording fields of fields.go) occurs
// in a quote that supports it, a count's qualifier is the one its wording implies, and a date's
// value is the date its wording names. Quotes are compared as the quote check compares them
// with the source's text (white space aside), and case aside.
var agreementCheck = &Check{
	Name:  "agreement",
	Doc:   "a fact's wording occurs in a quote that supports it, and its values agree with that wording",
	Rules: []*Rule{ruleWordingNotQuoted, ruleWordingDropsQual, ruleQualifierWording, ruleDateWording},
	Run:   checkAgreement,
	Facts: unquotedFacts,
	Cross: dropCascades,
	// dropCascades reads the sources check's quote-not-found findings.
	AfterCross: true,
}

// unquoted is a wording reported as not in the quotes that support it, with those quotes (their
// evidence indexes).
type unquoted struct {
	ptr      string
	evidence []int
}

// unquotedFacts keeps, of a record, its wordings reported as not quoted: the report is dropped
// when none of the quotes it compared them with is in its source (quote-not-found says so,
// and once the quote is copied right the wording is checked again).
var unquotedFacts = &Facts[[]unquoted]{}

// dropCascades drops the wording-not-quoted findings whose quotes are all reported as not found
// in their source. It runs after the sources check (AfterCross).
func dropCascades(x *Index) error {
	notFound := map[string]map[int]bool{} // file → evidence indexes of quotes not found
	for _, f := range x.findings {
		var i int
		if f.Rule == ruleQuoteNotFound.ID && scanIndex(f.Pointer, &i) {
			if notFound[f.File] == nil {
				notFound[f.File] = map[int]bool{}
			}
			notFound[f.File][i] = true
		}
	}
	if len(notFound) == 0 {
		return nil
	}
	for _, r := range x.records {
		us, ok := unquotedFacts.Of(r)
		if !ok || notFound[r.file] == nil {
			continue
		}
		r.findings = slices.DeleteFunc(r.findings, func(f Finding) bool {
			if f.Rule != ruleWordingNotQuoted.ID {
				return false
			}
			for _, u := range *us {
				if u.ptr == f.Pointer && !slices.ContainsFunc(u.evidence, func(i int) bool { return !notFound[r.file][i] }) {
					return true
				}
			}
			return false
		})
	}
	return nil
}

// scanIndex reads the evidence index of a quote's pointer (/evidence/<i>/quote).
func scanIndex(ptr string, i *int) bool {
	n, err := fmt.Sscanf(ptr, "/"+schema.FieldEvidence+"/%d/"+schema.FieldQuote, i)
	return n == 1 && err == nil
}

// wordingValue is one wording field of a record: the member of a count, date, location or
// area object (base is the object's pointer), or a named property (base is its pointer, member
// is ""); its text, and the shared definition it belongs to ("" for a named property).
type wordingValue struct {
	base, member string
	text, def    string
	parent       map[string]any // the object holding a member
}

// ptr is the wording's pointer (built only for a message or a fact: most wordings agree).
func (w wordingValue) ptr() string {
	if w.member == "" {
		return w.base
	}
	return w.base + "/" + w.member
}

// in reports whether the wording is the value at the pointer anc or inside it.
func (w wordingValue) in(anc string) bool { return inMember(w.base, w.member, anc) }

// inMember reports whether the member of the object at base (itself when member is "") is
// the value at the pointer anc or inside it, without building its pointer.
func inMember(base, member, anc string) bool {
	if len(anc) <= len(base) || member == "" {
		return within(base, anc)
	}
	return len(anc) == len(base)+1+len(member) && strings.HasPrefix(anc, base) && anc[len(base)] == '/' &&
		anc[len(base)+1:] == member
}

// inferred reports whether the member of the object at base is named in the inferences, itself
// or an ancestor.
func inferred(p *Pass, base, member string) bool {
	for _, anc := range p.Inferred() {
		if inMember(base, member, anc) {
			return true
		}
	}
	return false
}

func checkAgreement(p *Pass) {
	if !p.content() {
		return
	}
	var kept []unquoted
	eachWording(p, func(w wordingValue) {
		switch w.def {
		case schema.DefCount:
			checkQualifierWording(p, w)
		case schema.DefDate:
			checkDateWording(p, w)
		}
		if inferred(p, w.base, w.member) {
			return // an inference: its reasoning says where the value comes from
		}
		if evs := quoted(p, w); evs != nil {
			kept = append(kept, unquoted{w.ptr(), evs})
		}
	})
	if kept != nil {
		unquotedFacts.Keep(p, &kept)
	}
}

// The members wordingMembers lists, by shared definition, read once.
var (
	countWording = wordingMembers[schema.DefCount]
	dateWording  = wordingMembers[schema.DefDate]
	placeWording = wordingMembers[schema.DefLocation]
	areaWording  = wordingMembers[schema.DefArea]
)

// eachWording calls fn with each wording field of the record: the members of the shared
// definitions that fields.go lists, then the named properties of the record's kind.
func eachWording(p *Pass, fn func(wordingValue)) {
	for _, d := range p.Defs() {
		var members []string
		switch d.node.Def {
		case schema.DefCount:
			members = countWording
		case schema.DefDate:
			members = dateWording
		case schema.DefLocation:
			members = placeWording
		case schema.DefArea:
			members = areaWording
		default:
			continue
		}
		obj, _ := d.v.(map[string]any)
		for _, m := range members {
			if s, ok := obj[m].(string); ok && s != "" {
				fn(wordingValue{base: d.ptr, member: m, text: s, def: d.node.Def, parent: obj})
			}
		}
	}
	var buf [64]byte // the pointers of named properties are short: no allocation to build them
	for _, pattern := range wordingPatterns[p.Kind] {
		expand(p.Object, pattern, buf[:0], func(ptr []byte, v any) {
			if s, ok := v.(string); ok && s != "" {
				fn(wordingValue{base: string(ptr), text: s})
			}
		})
	}
}

// wordingPatterns are wordingProperties split into tokens.
var wordingPatterns = func() map[schema.Kind][][]string {
	m := map[schema.Kind][][]string{}
	for k, patterns := range wordingProperties {
		for _, p := range patterns {
			m[k] = append(m[k], strings.Split(p[1:], "/"))
		}
	}
	return m
}()

// expand calls fn with each value of v at a pointer pattern, split into tokens ("*" stands for
// every item of an array), and its pointer (appended to at; valid only during the call).
func expand(v any, pattern []string, at []byte, fn func(ptr []byte, v any)) {
	if len(pattern) == 0 {
		fn(at, v)
		return
	}
	tok, rest := pattern[0], pattern[1:]
	switch x := v.(type) {
	case map[string]any:
		if m, ok := x[tok]; ok && tok != "*" {
			expand(m, rest, append(append(at, '/'), tok...), fn)
		}
	case []any:
		if tok == "*" {
			for i, item := range x {
				expand(item, rest, strconv.AppendInt(append(at, '/'), int64(i), 10), fn)
			}
		}
	}
}

// supporting returns the indexes of the evidence items with a quote whose supports name the
// wording or one of its ancestors.
func supporting(p *Pass, w wordingValue) []int {
	var out []int
	for i := range p.Evidence() {
		if supports(&p.Evidence()[i], w) {
			out = append(out, i)
		}
	}
	return out
}

func supports(ev *evidenceItem, w wordingValue) bool {
	if ev.quote == "" {
		return false
	}
	for _, s := range ev.supports {
		if s.resolves && w.in(s.ptr) {
			return true
		}
	}
	return false
}

// quoted checks that a wording occurs in a quote that supports it and, for a count, that the
// quote does not qualify it with a word the wording left out. A value no quote supports is
// left to fact-unsupported. It returns the evidence indexes of the quotes a wording reported
// as not quoted was compared with.
func quoted(p *Pass, w wordingValue) []int {
	text := normalized(w.text)
	supported := false
	for i := range p.Evidence() {
		if !supports(&p.Evidence()[i], w) {
			continue
		}
		supported = true
		q := p.quoteText(i)
		if m := wording.Find(q, text); m.Start >= 0 {
			if w.def == schema.DefCount {
				checkDroppedCue(p, w, text, q, m)
			}
			return nil
		}
	}
	if !supported {
		return nil
	}
	evs := supporting(p, w)
	best, bestAt := "", evs[0]
	for _, i := range evs {
		if c := context(p.quoteText(i), text); len(c) > len(best) {
			best, bestAt = c, i
		}
	}
	which := "the quote that supports it"
	if len(evs) > 1 {
		which = fmt.Sprintf("any of the %d quotes that support it", len(evs))
	}
	says := fmt.Sprintf("the quote (evidence %d) says %q where the wording is %q", bestAt, best, w.text)
	if best == "" {
		says = fmt.Sprintf("the quote (evidence %d) is %q", bestAt, clip(p.Evidence()[bestAt].quote, 160))
	}
	ptr := w.ptr()
	p.Reportf(ruleWordingNotQuoted, ptr,
		"%s %q does not occur in %s: %s. Copy the wording verbatim from the quote and take the values from it; or support %s with the quote that says it; or, if you inferred it, explain it in inferences",
		describeField(p.Node, ptr), w.text, which, says, w.base)
	return evs // the indexes of Evidence() are those of the evidence list
}

// checkDroppedCue reports a count's wording that the quote qualifies ("over" in "the death of
// over 113 people") without the wording saying so ("113 people"): when every place it occurs
// in the quotes that support it has a qualifier before it (the first place found, m in q, is
// checked first: it rarely has one).
func checkDroppedCue(p *Pass, w wordingValue, text, q string, m wording.Match) {
	if _, _, ok := wording.CueBefore(q, m.Start); !ok {
		return
	}
	var first cuedAt
	for i := range p.Evidence() {
		if !supports(&p.Evidence()[i], w) {
			continue
		}
		q := p.quoteText(i)
		for _, m := range wording.All(q, text) {
			cue, start, ok := wording.CueBefore(q, m.Start)
			if !ok {
				return
			}
			if first.quote == "" {
				first = cuedAt{q, m, cue, start}
			}
		}
	}
	reportDroppedCue(p, w, first)
}

// context returns the passage of quote that most resembles a wording (wording.Closest), with
// the word before it when the passage is short, so that a changed number is shown with what
// it counts ("killing 12 people").
func context(quote, w string) string {
	c := wording.Closest(quote, w)
	if c == "" {
		c = misspelt(quote, w)
	}
	if c == "" {
		return ""
	}
	at := strings.Index(quote, c)
	if ws := wording.Words(quote[:at]); len(ws) > 0 && len(wording.Words(c)) <= 3 {
		return quote[ws[len(ws)-1].Start : at+len(c)]
	}
	return c
}

// misspelt returns the passage of quote, as many words long as w, nearest to it by edit
// distance if it is near enough to be a typo of it ("Examplabad" for "Examplabaad"), else "".
func misspelt(quote, w string) string {
	qs, n := wording.Words(quote), len(wording.Words(w))
	if n == 0 || n > 3 || n > len(qs) {
		return ""
	}
	var windows []string
	for i := 0; i+n <= len(qs); i++ {
		windows = append(windows, quote[qs[i].Start:qs[i+n-1].End])
	}
	return closestWord(w, windows)
}

// cuedAt is a place a count's wording occurs in a quote, with the qualifier before it.
type cuedAt struct {
	quote string
	m     wording.Match
	cue   wording.Cue
	start int // where the cue starts
}

// reportDroppedCue reports a count wording that the quote qualifies ("over" in "the death of
// over 113 people") without the wording saying so ("113 people"), wherever it occurs.
func reportDroppedCue(p *Pass, w wordingValue, at cuedAt) {
	if len(wording.Qualifiers(w.text)) > 0 {
		return
	}
	full := at.quote[at.start:at.m.End]
	fix := fmt.Sprintf("qualifier %q", at.cue.Qualifier)
	if b := qualifierRules[at.cue.Qualifier]; b != nil {
		fix += " and " + b(wording.Numbers(full)).String()
	}
	if q, _ := w.parent[schema.FieldQualifier].(string); q == at.cue.Qualifier {
		fix = "keep qualifier " + strconv.Quote(q)
	}
	p.Reportf(ruleWordingDropsQual, w.ptr(),
		"the quote says %q where the wording is %q: the wording leaves out %q, which makes the count %s. Copy the wording with it (%q) and give the count %s",
		full, w.text, at.cue.Phrase, at.cue.Qualifier, full, fix)
}

// checkQualifierWording reports a count whose wording's words imply another qualifier than its
// own ("over 113" recorded as exact).
func checkQualifierWording(p *Pass, w wordingValue) {
	q, ok := w.parent[schema.FieldQualifier].(string)
	if !ok || qualifierRules[q] == nil {
		return // no qualifier, or one the schema rejects
	}
	cues := wording.Qualifiers(w.text)
	if len(cues) == 0 {
		return
	}
	var implied []string
	for _, c := range cues {
		if c.Qualifier == q {
			return
		}
		implied = append(implied, fmt.Sprintf("%q (%s)", c.Phrase, c.Qualifier))
	}
	c := cues[0]
	p.Reportf(ruleQualifierWording, w.base+"/"+schema.FieldQualifier,
		"the wording %q has %s, but the qualifier is %q: set qualifier %q and %s (the rule in the schema's count_qualifier description), or, if the wording is not the source's, copy it from the quote",
		w.text, english.List(implied), q, c.Qualifier, qualifierRules[c.Qualifier](wording.Numbers(w.text)))
}

// checkDateWording reports a date whose value is not the date its wording names: a point date
// must agree with every date the wording names (as far as both go: "July 2031" agrees with
// 2031-07-14), an interval must contain them (a day's leeway either side, for "after July 13").
// A date named in inferences is left alone: the reasoning says how its value follows.
func checkDateWording(p *Pass, w wordingValue) {
	if inferred(p, w.base, schema.FieldDateValue) {
		return
	}
	typ, _ := w.parent[schema.FieldDateType].(string)
	var lo, hi time.Time
	var member string
	if typ == "point" {
		s, _ := w.parent[schema.FieldDateValue].(string)
		l, h, ok, exists := partialDate(s)
		if !ok || !exists {
			return // date-invalid or the schema reports it
		}
		lo, hi, member = l, h, schema.FieldDateValue
	} else {
		if inferred(p, w.base, schema.FieldDateStart) || inferred(p, w.base, schema.FieldDateEnd) {
			return
		}
		if s, ok := w.parent[schema.FieldDateStart].(string); ok {
			if lo, _, ok, _ = partialDate(s); ok {
				lo = lo.AddDate(0, 0, -1)
			}
		}
		if s, ok := w.parent[schema.FieldDateEnd].(string); ok {
			if _, hi, ok, _ = partialDate(s); ok {
				hi = hi.AddDate(0, 0, 1)
			}
		}
	}
	var buf [4]wording.Mention
	for _, m := range wording.AppendDates(buf[:0], w.text) {
		mlo, mhi, ok := mentionSpan(m, lo, hi)
		if !ok || (lo.IsZero() || !mhi.Before(lo)) && (hi.IsZero() || !mlo.After(hi)) {
			continue
		}
		reportDateWording(p, w, m, member, mlo, lo)
		return
	}
}

func reportDateWording(p *Pass, w wordingValue, m wording.Mention, member string, mlo, lo time.Time) {
	if member == schema.FieldDateValue {
		p.Reportf(ruleDateWording, w.base+"/"+schema.FieldDateValue,
			"the date %q is not %s, which its wording %q names: correct the value, or the wording (copy it from the quote); if the value is inferred, explain it in inferences",
			w.parent[schema.FieldDateValue], m, w.text)
		return
	}
	member = schema.FieldDateEnd
	if !lo.IsZero() && mlo.Before(lo) {
		member = schema.FieldDateStart
	}
	p.Reportf(ruleDateWording, w.base+"/"+member,
		"the interval %s does not contain %s, which its wording %q names: correct %s, or the wording (copy it from the quote); if the bounds are inferred, explain them in inferences",
		intervalText(w.parent), m, w.text, member)
}

// intervalText writes an interval's bounds for a message: "from 2021-09 to 2022", "from 2021-09 on".
func intervalText(obj map[string]any) string {
	start, _ := obj[schema.FieldDateStart].(string)
	end, _ := obj[schema.FieldDateEnd].(string)
	switch {
	case start != "" && end != "":
		return fmt.Sprintf("from %s to %s", start, end)
	case start != "":
		return fmt.Sprintf("from %s on", start)
	case end != "":
		return fmt.Sprintf("up to %s", end)
	}
	return "without bounds"
}

// mentionSpan returns the first and last day a date the wording names may mean. A mention
// without a year takes the year of the date it is compared with, when lo and hi share one;
// otherwise it is not compared (ok false).
func mentionSpan(m wording.Mention, lo, hi time.Time) (mlo, mhi time.Time, ok bool) {
	y := m.Year
	if y == 0 {
		if lo.IsZero() || hi.IsZero() || lo.Year() != hi.Year() || m.Month == 0 {
			return mlo, mhi, false
		}
		y = lo.Year()
	}
	switch {
	case m.Month == 0:
		mlo = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		return mlo, mlo.AddDate(1, 0, -1), true
	case m.Day == 0:
		mlo = time.Date(y, time.Month(m.Month), 1, 0, 0, 0, 0, time.UTC)
		return mlo, mlo.AddDate(0, 1, -1), true
	}
	mlo = time.Date(y, time.Month(m.Month), m.Day, 0, 0, 0, 0, time.UTC)
	return mlo, mlo, mlo.Day() == m.Day
}
