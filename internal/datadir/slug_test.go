package datadir

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// TestSlug checks Slug and IsSlug against their definition as regular expressions: a slug is
// the text lower-cased with every run of other characters than a-z and 0-9 made one '-', the
// ends trimmed; IsSlug holds exactly for the texts that are their own slug (but "").
func TestSlug(t *testing.T) {
	nonSlug := regexp.MustCompile(`[^a-z0-9]+`)
	isSlug := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	rng := rand.New(rand.NewPCG(5, 6))
	parts := []string{"a", "z", "0", "9", "-", "--", "A", "_", " ", "é", "\u212a", "inc", "src", "\xff"}
	for range 5000 {
		var b strings.Builder
		for range rng.IntN(6) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		s := b.String()
		want := strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
		if got := Slug(s); got != want {
			t.Fatalf("Slug(%q) = %q, want %q", s, got, want)
		}
		if got := IsSlug(s); got != isSlug.MatchString(s) {
			t.Fatalf("IsSlug(%q) = %v", s, got)
		}
	}
}
