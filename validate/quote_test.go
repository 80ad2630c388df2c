package validate

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestFindMatchesContains checks the rolling-hash search against strings.Contains.
func TestFindMatchesContains(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const alphabet = "ab c’d"
	randText := func(n int) string {
		r := []rune(alphabet)
		var b strings.Builder
		for range n {
			b.WriteRune(r[rng.IntN(len(r))])
		}
		return b.String()
	}
	for range 300 {
		tx := newText(randText(rng.IntN(200)))
		var quotes []string
		for range 10 {
			if q := normalizeSpace(randText(1+rng.IntN(8)), nil); q != "" {
				quotes = append(quotes, q)
			}
		}
		// Quotes longer than the anchor: passages of the text, and the same altered.
		for range 5 {
			if len(tx.norm) < anchorLen+1 {
				break
			}
			i := rng.IntN(len(tx.norm) - anchorLen)
			j := i + anchorLen + rng.IntN(len(tx.norm)-i-anchorLen+1)
			q := normalizeSpace(strings.ToValidUTF8(tx.norm[i:j], ""), nil)
			quotes = append(quotes, q, normalizeSpace(q+randText(1+rng.IntN(3)), nil))
		}
		var prints []fingerprint
		for _, q := range quotes {
			prints = append(prints, fingerprintOf(q))
		}
		found := tx.find(prints)
		for _, q := range quotes {
			if got, want := found[fingerprintOf(q)], strings.Contains(tx.norm, q); got != want {
				t.Fatalf("find(%q) in %q = %v, want %v", q, tx.norm, got, want)
			}
		}
	}
}

func TestClosestPassage(t *testing.T) {
	tx := newText("Intro line.\n\nOn December 11, 2024, a suicide bombing at the Afghan Ministry\n   for Refugees in Kabul claimed the life of a minister. Other text follows here.")
	msg := tx.explain("a suicide bombing at the Afgan Ministry for Refugees", "src-x", "sources/src-x.txt")
	for _, want := range []string{`at line 3, column 23`, `"a suicide bombing at the Afghan Ministry for Refugees"`, `"…bing at the Afgan Ministry for…"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %s:\n%s", want, msg)
		}
	}
}
