package validate

import (
	"fmt"
	"unicode/utf8"

	"github.com/apmd-data/apmd/internal/english"
	"github.com/apmd-data/apmd/internal/suggest"
)

// closestWord returns the candidate nearest to s by edit distance, if it is near enough to be
// a likely typo (suggest.Closest), else "".
func closestWord(s string, candidates []string) string { return suggest.Closest(s, candidates) }

// didYouMean returns ` did you mean "x"?` or "".
func didYouMean(s string, candidates []string) string {
	if c := closestWord(s, candidates); c != "" {
		return fmt.Sprintf(" Did you mean %q?", c)
	}
	return ""
}

// quoteList renders values as "a", "b", "c", eliding the rest of a long list after 16.
func quoteList(vals []string) string { return english.Quoted(vals, 16) }

// clip shortens s to n runes, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
