package schema

import (
	"encoding/json"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// matcherCase is a pattern the fast path matches by hand, with strings it matches, which the
// tests mutate into near misses.
type matcherCase struct {
	src      string
	examples []string // strings the pattern matches
}

// matcherCases are the patterns of the released schemas and the fixture, and others of the
// families the matchers recognise generically.
var matcherCases = []matcherCase{
	{jsonPointerPattern, []string{"/a", "/records/0/value", "/é/\xff/~1", "/ /\t/\n/x"}},
	{semverPattern, []string{"1.0.0", "0.0.0", "10.20.30", "0.10.999999999999999999999"}},
	{partialDatePattern, []string{"2024", "0000", "2024-01", "2024-12", "2024-02-31", "9999-09-30", "2024-10-19"}},
	{languageTagPattern, []string{"en", "fra", "en-GB", "zh-Hant-TW", "de-CH-1996", "sl-rozaj-biske-12345678"}},
	{`^[0-9a-f]{64}$`, []string{strings.Repeat("0123456789abcdef", 4)}},
	{`^[A-Z]{2}$`, []string{"FR", "ZZ"}},
	{`^[A-Z]{2,3}$`, []string{"FR", "FRA"}},
	{`^[a-z0-9._-]+$`, []string{"a", "apmd.toolkit_2-x", "-", ".", "_"}},
	{`^[a-z]+$`, []string{"a", "abc"}},
	{`^cas-[a-z0-9]+(-[a-z0-9]+)*$`, []string{"cas-1", "cas-a-b-c", "cas-2024-x9"}},
	{`^clm-[a-z0-9]+(-[a-z0-9]+)*$`, []string{"clm-1", "clm-abc-def"}},
	{`^grp-[a-z0-9]+(-[a-z0-9]+)*$`, []string{"grp-1", "grp-a0-b1"}},
	{`^inc-[a-z0-9]+(-[a-z0-9]+)*$`, []string{"inc-1", "inc-0001", "inc-a-b", "inc-inc"}},
	{`^src-[a-z0-9]+(-[a-z0-9]+)*$`, []string{"src-x", "src-report-2024"}},
	{`^src-[a-z0-9]+(-[a-z0-9]+)*\.txt$`, []string{"src-x.txt", "src-report-2024.txt", "src-txt.txt"}},
	{`^x-[a-z0-9]+(-[a-z0-9]+)*$`, []string{"x-a", "x-vendor-field-2"}},
	// Generic members of the families.
	{`^[a-z0-9]+(-[a-z0-9]+)*$`, []string{"a", "a-b", "0-0-0"}},
	{`^ab[a-z0-9]+(-[a-z0-9]+)*-end$`, []string{"abc-end", "ab0-end-end", "abx-y-end"}},
	{`^a_[a-z0-9]+(-[a-z0-9]+)*\.tar\.gz$`, []string{"a_b.tar.gz", "a_b-c.tar.gz"}},
	{`^[a-z]*$`, []string{"", "z"}},
	{`^[0-9]?$`, []string{"", "7"}},
	{`^[0-9]{2,}$`, []string{"00", "123456"}},
	{`^[a-z]+\z`, []string{"a"}},
	{`(?i)^[0-9]{2}$`, []string{"42"}},
	{`^[\x00-\x7f]{1,3}$`, []string{"\x00", "\n\x7f/"}},
}

// unrecognisedPatterns look like patterns the matchers recognise but mean something else (or
// are not worth a matcher): they must keep their regexp.
var unrecognisedPatterns = []string{
	`^x`,
	`^[a-z]+`,
	`[a-z]+$`,
	`(?m)^[a-z]+$`,
	`(?i)^[a-z]{2}$`, // folds to K (U+212A) and ſ (U+017F)
	`(?s)^[a-z]+.$`,
	`^[^/]+$`,
	`^[a-zé]+$`,
	`^[a-z]+|[0-9]+$`,
	`^([a-z])+$`,
	`^inc-[a-z0-9]+(-[a-z0-9]+)*.txt$`, // an unescaped dot is any rune
	`(?i)^inc-[a-z0-9]+(-[a-z0-9]+)*$`,
	`^inc-[a-z0-9]+(-[a-z0-9]+)*$x`,
	`^inc-[a-z0-9]+(-[a-z0-9]+)+$`,
	`^inc-[a-z0-9]+(-[a-z0-9]*)*$`,
	`^inc-[a-z0-9]*(-[a-z0-9]+)*$`,
	`^in.-[a-z0-9]+(-[a-z0-9]+)*$`,
	`^(/[^/]*)+$`,
	`^(/[^/]+)*$`,
	`(?m)^(/[^/]+)+$`,
	`^(id|n|x-[a-z]+)$`,
}

// trickyStrings are near misses of every pattern, tried against all of them.
var trickyStrings = []string{
	"", "\n", " ", "-", "--", ".", "/", "//", "0", "00", "a", "A", "é", "\xff", "\x00", "\r\n",
	"inc-", "inc--", "inc-a-", "inc--a", "inc-a--b", "-inc-a", "inc-A", "INC-a", "inc-a\n", "inc-\na",
	"inc-a.txt", "src-", "src-.txt", "src-a.txt\n", "src-a.TXT", "src-a-.txt", "src-a.txt.txt", "src-atxt",
	"x-", "x-a", "x-a\n", "\nx-a", "x-é", "x-a\xff", "x-ab\u00e9", "x_a", "x--a",
	"/a/", "/a//b", "a/b", "/a\n", "/\n", "/\xff", "/a/\xfe\xff", "//a",
	"1.0.0\n", "1.0", "1.0.0.0", "01.0.0", "1.00.0", "1.0.01", "1..0", ".1.0.0", "1.0.0.", "1.0.-0", "١.٠.٠", "1.0.0a",
	"2024-00", "2024-13", "2024-1", "2024-01-00", "2024-01-32", "2024-02-31", "2024-02-30\n", "2024-", "202", "20245",
	"2024-01-", "2024/01", "2024-1-01", "２０２４",
	"en-", "en--GB", "e", "engl", "EN", "en-G", "en-GBGBGBGBG", "en-gb", "en-GB\n", "en-GB-",
	"FR\n", "Fr", "FRA", "FRAN", "fr", "ÉT",
	strings.Repeat("a", 63), strings.Repeat("a", 64), strings.Repeat("a", 65), strings.Repeat("A", 64),
	strings.Repeat("0", 64) + "\n", strings.Repeat("g", 64),
}

// nearMisses returns the strings of a case and mutations of them: every byte deleted, doubled
// or replaced with a tricky one, a tricky byte or rune inserted anywhere, and every prefix and
// suffix.
func nearMisses(examples []string) []string {
	inserts := []string{"-", "--", ".", "/", "_", "0", "1", "9", "a", "z", "A", "Z", "\n", "\r", " ", "é", "\xff", "\xc3", "\u212a", "\x00"}
	var out []string
	for _, e := range examples {
		out = append(out, e, e+"\n", "\n"+e, strings.ToUpper(e), e+e)
		for i := 0; i <= len(e); i++ {
			out = append(out, e[:i], e[i:])
			for _, in := range inserts {
				out = append(out, e[:i]+in+e[i:])
				if i < len(e) {
					out = append(out, e[:i]+in+e[i+1:])
				}
			}
			if i < len(e) {
				out = append(out, e[:i]+e[i+1:], e[:i]+e[i:i+1]+e[i:])
			}
		}
	}
	return out
}

// TestPatternMatchersMatchRegexp checks every hand-written matcher against its regexp on the
// tricky strings and on near misses of strings it matches.
func TestPatternMatchersMatchRegexp(t *testing.T) {
	var all []string
	for _, c := range matcherCases {
		all = append(all, c.examples...)
	}
	for _, c := range matcherCases {
		re := regexp.MustCompile(c.src)
		m := handMatcher(c.src)
		if m == nil {
			t.Errorf("%s: no hand-written matcher", c.src)
			continue
		}
		for _, e := range c.examples {
			if !re.MatchString(e) {
				t.Errorf("%s: the regexp does not match the example %q: the case is wrong", c.src, e)
			}
		}
		matched, missed := 0, 0
		for _, s := range slices.Concat(trickyStrings, all, nearMisses(c.examples)) {
			want := re.MatchString(s)
			if got := m(s); got != want {
				t.Errorf("%s on %q: matcher %v, regexp %v", c.src, s, got, want)
			}
			if want {
				matched++
			} else {
				missed++
			}
		}
		if matched == 0 || missed == 0 {
			t.Errorf("%s: %d strings match and %d do not: the table does not test it", c.src, matched, missed)
		}
	}
}

// TestPatternMatchersRefuseLookalikes checks that patterns which only resemble the recognised
// ones keep their regexp.
func TestPatternMatchersRefuseLookalikes(t *testing.T) {
	for _, src := range unrecognisedPatterns {
		re := regexp.MustCompile(src)
		if handMatcher(src) != nil {
			t.Errorf("%s: got a hand-written matcher", src)
		}
		m := patternMatcher(re)
		for _, s := range slices.Concat(trickyStrings, []string{"abc", "ab", "inc-a", "inc-a.txt", "inc-aXtxt", "/a/b", "/", "KK"}) {
			if m(s) != re.MatchString(s) {
				t.Errorf("%s on %q: the fallback differs from the regexp", src, s)
			}
		}
	}
}

// TestReleasedPatternsHaveMatchers checks that every pattern of every released schema version
// (pattern, and the keys of patternProperties) gets a hand-written matcher: one that silently
// fell back to its regexp would only be slower, and no other test would notice.
func TestReleasedPatternsHaveMatchers(t *testing.T) {
	var srcs []string
	var collect func(v any)
	collect = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if p, ok := x.(string); ok && k == "pattern" {
					srcs = append(srcs, p)
				}
				if pp, ok := x.(map[string]any); ok && k == "patternProperties" {
					for p := range pp {
						srcs = append(srcs, p)
					}
				}
				collect(x)
			}
		case []any:
			for _, x := range v {
				collect(x)
			}
		}
	}
	names, err := fs.Glob(FS(), "*/*.schema.json")
	if err != nil || len(names) == 0 {
		t.Fatalf("no released schema files: %v", err)
	}
	for _, name := range names {
		data, err := fs.ReadFile(FS(), name)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		n := len(srcs)
		collect(doc)
		for _, src := range srcs[n:] {
			if handMatcher(src) == nil {
				t.Errorf("%s: pattern %q has no hand-written matcher", path.Clean(name), src)
			}
		}
	}
	if len(srcs) < len(exactMatchers) {
		t.Errorf("found only %d patterns in the released schemas", len(srcs))
	}
	// Each of them must also be in the table of TestPatternMatchersMatchRegexp.
	for _, src := range srcs {
		if !slices.ContainsFunc(matcherCases, func(c matcherCase) bool { return c.src == src }) {
			t.Errorf("pattern %q is not in matcherCases", src)
		}
	}
}

// FuzzPatternMatchers compares every hand-written matcher with its regexp on arbitrary strings,
// and on the string spliced into one of the case's examples (at picks the example and where),
// which random bytes alone would rarely bring near a match.
func FuzzPatternMatchers(f *testing.F) {
	for i, s := range trickyStrings {
		f.Add(s, uint(i))
	}
	type compiled struct {
		src      string
		re       *regexp.Regexp
		m        func(string) bool
		examples []string
	}
	var cs []compiled
	for _, c := range matcherCases {
		m := handMatcher(c.src)
		if m == nil {
			f.Fatalf("%s: no hand-written matcher", c.src)
		}
		cs = append(cs, compiled{c.src, regexp.MustCompile(c.src), m, c.examples})
	}
	f.Fuzz(func(t *testing.T, s string, at uint) {
		for _, c := range cs {
			e := c.examples[at%uint(len(c.examples))]
			i := int(at / uint(len(c.examples)) % uint(len(e)+1))
			for _, x := range []string{s, e[:i] + s + e[i:], e[:i] + s} {
				if got, want := c.m(x), c.re.MatchString(x); got != want {
					t.Errorf("%s on %q: matcher %v, regexp %v", c.src, x, got, want)
				}
			}
		}
	})
}
