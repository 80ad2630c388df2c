package schema

// This file holds the fast path's hand-written matchers for the "pattern" keyword (and for
// patternProperties and propertyNames, which use the same regexps). regexp.MatchString was a
// few percent of all the CPU of validating a dataset, spent on a dozen simple patterns that a
// loop over the bytes decides. A matcher is chosen by the regexp's source text, which is how v5
// compiled it (regexp.MustCompile: Perl syntax, so ^ and $ anchor at the very start and end of
// the text, and $ does not match before a final "\n"); a pattern not recognised here keeps its
// regexp. A matcher must answer exactly what the regexp answers, for every string: invalid
// UTF-8 included, which the regexp reads as U+FFFD one byte at a time.

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// The pattern sources the fast path matches by hand, verbatim as the schemas write them (JSON
// decoding turns their "\\." into "\.").
const (
	// jsonPointerPattern is a non-empty JSON pointer: segments of at least one rune but '/'.
	jsonPointerPattern = `^(/[^/]+)+$`
	// semverPattern is MAJOR.MINOR.PATCH without leading zeros.
	semverPattern = `^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$`
	// partialDatePattern is YYYY, YYYY-MM or YYYY-MM-DD with months 01-12 and days 01-31 (any
	// day in any month: the pattern checks digit ranges, not the calendar).
	partialDatePattern = `^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$`
	// languageTagPattern is a lower-case primary language subtag and optional subtags.
	languageTagPattern = `^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`
)

// Subtag lengths of languageTagPattern.
const (
	minPrimaryTag, maxPrimaryTag = 2, 3
	minSubtag, maxSubtag         = 2, 8
)

// Lengths of the forms of partialDatePattern: YYYY, YYYY-MM, YYYY-MM-DD.
const (
	yearLen  = len("2024")
	monthLen = len("2024-01")
	dayLen   = len("2024-01-31")
)

// Upper bounds of the two-digit fields of partialDatePattern (their lower bound is 01).
const (
	maxMonth = 12
	maxDay   = 31
)

// exactMatchers are the matchers of the pattern sources recognised verbatim.
var exactMatchers = map[string]func(string) bool{
	jsonPointerPattern: matchJSONPointer,
	semverPattern:      matchSemver,
	partialDatePattern: matchPartialDate,
	languageTagPattern: matchLanguageTag,
}

// slugSource recognises the source of a slug identifier pattern,
// ^PREFIX[a-z0-9]+(-[a-z0-9]+)*SUFFIX$, where PREFIX (like "inc-" or "x-") and SUFFIX (like
// "\.txt") are literal texts, possibly empty, of lower-case letters, digits, '_', '-' and, in
// SUFFIX, escaped dots. Submatch 1 is PREFIX, 2 is SUFFIX as written.
var slugSource = regexp.MustCompile(`^\^([a-z0-9_-]*)\[a-z0-9\]\+\(-\[a-z0-9\]\+\)\*((?:\\\.|[a-z0-9_-])*)\$$`)

// patternMatcher returns what the fast path calls to match a string against re, with the
// answer of re.MatchString: a hand-written matcher when it recognises re's source, else re's.
func patternMatcher(re *regexp.Regexp) func(string) bool {
	if m := handMatcher(re.String()); m != nil {
		return m
	}
	return re.MatchString
}

// handMatcher returns the hand-written matcher of a pattern source (compiled as
// regexp.MustCompile compiles it), or nil when it recognises none.
func handMatcher(src string) func(string) bool {
	if m, ok := exactMatchers[src]; ok {
		return m
	}
	if sm := slugSource.FindStringSubmatch(src); sm != nil {
		return slugMatcher(sm[1], strings.ReplaceAll(sm[2], `\.`, "."))
	}
	return classRunMatcher(src)
}

// slugMatcher matches PREFIX, then runs of [a-z0-9] joined by single '-', then SUFFIX. Both
// literals being anchored, what lies between them is fixed, whatever their characters.
func slugMatcher(prefix, suffix string) func(string) bool {
	return func(s string) bool {
		if len(s) <= len(prefix)+len(suffix) || !strings.HasPrefix(s, prefix) || !strings.HasSuffix(s, suffix) {
			return false
		}
		return IsSlug(s[len(prefix) : len(s)-len(suffix)])
	}
}

// IsSlug reports whether s matches [a-z0-9]+(-[a-z0-9]+)*, the body of every id: no '-'
// first, last or twice in a row.
func IsSlug(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isLower(c) || isDigit(c):
		case c == '-' && s[i-1] != '-': // i > 0: s[0] is not '-'
		default:
			return false
		}
	}
	return true
}

// matchJSONPointer matches jsonPointerPattern: a '/' first, none last and none twice in a row.
// Any other byte is part of a segment: '/' never occurs inside a multi-byte rune, and an invalid
// byte is U+FFFD, which [^/] matches.
func matchJSONPointer(s string) bool {
	return len(s) >= 2 && s[0] == '/' && s[len(s)-1] != '/' && !strings.Contains(s, "//")
}

// matchSemver matches semverPattern.
func matchSemver(s string) bool {
	const parts = 3
	for i := range parts {
		n := digitRun(s)
		if n == 0 || (n > 1 && s[0] == '0') {
			return false
		}
		s = s[n:]
		if i < parts-1 {
			if s == "" || s[0] != '.' {
				return false
			}
			s = s[1:]
		}
	}
	return s == ""
}

// matchPartialDate matches partialDatePattern.
func matchPartialDate(s string) bool {
	switch len(s) {
	case yearLen, monthLen, dayLen:
	default:
		return false
	}
	if digitRun(s[:yearLen]) != yearLen {
		return false
	}
	if len(s) == yearLen {
		return true
	}
	if s[yearLen] != '-' || !twoDigits(s[yearLen+1:monthLen], maxMonth) {
		return false
	}
	if len(s) == monthLen {
		return true
	}
	return s[monthLen] == '-' && twoDigits(s[monthLen+1:dayLen], maxDay)
}

// twoDigits reports whether s is two digits of a value from 1 to hi.
func twoDigits(s string, hi int) bool {
	if len(s) != 2 || !isDigit(s[0]) || !isDigit(s[1]) {
		return false
	}
	v := int(s[0]-'0')*10 + int(s[1]-'0')
	return v >= 1 && v <= hi
}

// matchLanguageTag matches languageTagPattern. No class holds '-', so the subtags are what
// lies between the '-'.
func matchLanguageTag(s string) bool {
	n := 0
	for n < len(s) && isLower(s[n]) {
		n++
	}
	if n < minPrimaryTag || n > maxPrimaryTag {
		return false
	}
	for s = s[n:]; s != ""; s = s[n:] {
		if s[0] != '-' {
			return false
		}
		s = s[1:]
		n = 0
		for n < len(s) && (isLower(s[n]) || isUpper(s[n]) || isDigit(s[n])) {
			n++
		}
		if n < minSubtag || n > maxSubtag {
			return false
		}
	}
	return true
}

// asciiSet is a set of bytes; only ASCII ones are ever added.
type asciiSet [256]bool

// classRunMatcher returns the matcher of a source that is ^, a character class of ASCII
// characters repeated (*, +, ?, {n}, {n,} or {n,m}), and $ (or \z): like ^[0-9a-f]{64}$ or
// ^[a-z0-9._-]+$. It parses the source as regexp.MustCompile does, so the class is read with
// Go's own syntax, case folding ((?i)) already spelled out as ranges. A class with a non-ASCII
// rune, or anything else, gives nil. With an ASCII class, every byte must be in it (a byte of
// a multi-byte rune, or an invalid one, is not), so runes and bytes count alike.
func classRunMatcher(src string) func(string) bool {
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil || re.Op != syntax.OpConcat || len(re.Sub) != 3 ||
		re.Sub[0].Op != syntax.OpBeginText || re.Sub[2].Op != syntax.OpEndText {
		return nil
	}
	rep := re.Sub[1]
	lo, hi := 0, -1 // hi -1: no upper bound
	switch rep.Op {
	case syntax.OpStar:
	case syntax.OpPlus:
		lo = 1
	case syntax.OpQuest:
		hi = 1
	case syntax.OpRepeat:
		lo, hi = rep.Min, rep.Max
	default:
		return nil
	}
	if len(rep.Sub) != 1 || rep.Sub[0].Op != syntax.OpCharClass {
		return nil
	}
	set := new(asciiSet)
	ranges := rep.Sub[0].Rune
	for i := 0; i+1 < len(ranges); i += 2 {
		if ranges[i+1] >= utf8.RuneSelf {
			return nil
		}
		for r := ranges[i]; r <= ranges[i+1]; r++ {
			set[r] = true
		}
	}
	return func(s string) bool {
		if len(s) < lo || (hi >= 0 && len(s) > hi) {
			return false
		}
		for i := 0; i < len(s); i++ {
			if !set[s[i]] {
				return false
			}
		}
		return true
	}
}

// digitRun returns how many ASCII digits s starts with.
func digitRun(s string) int {
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	return n
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isLower(c byte) bool { return 'a' <= c && c <= 'z' }
func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
