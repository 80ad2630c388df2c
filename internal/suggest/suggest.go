// Package suggest finds, among known names, the one a mistyped name most likely meant: the
// "did you mean" of apmd's messages (a vocabulary value, an id, a rule, a flag).
package suggest

import (
	"strings"
	"unicode/utf8"
)

// levenshtein returns the edit distance between a and b in runes, or limit+1 as soon as it
// must exceed limit (so a long list of candidates is cheap to scan).
func levenshtein(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			c := prev[j-1]
			if ra[i-1] != rb[j-1] {
				c++
			}
			c = min(c, prev[j]+1, cur[j-1]+1)
			cur[j] = c
			best = min(best, c)
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Closest returns the candidate nearest to s by edit distance (case aside), if it is near
// enough to be a likely typo (at most a third of the word, at least 2 edits), else "".
func Closest(s string, candidates []string) string {
	limit := max(2, utf8.RuneCountInString(s)/3)
	best, bestD := "", limit+1
	for _, c := range candidates {
		if c == s {
			continue
		}
		d := levenshtein(strings.ToLower(s), strings.ToLower(c), min(limit, bestD))
		if d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	if bestD > limit {
		return ""
	}
	return best
}
