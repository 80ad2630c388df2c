package validate

import (
	"strings"
	"testing"
)

func TestClosestPassage(t *testing.T) {
	tx := newText("Intro line.\n\nOn December 11, 2024, a suicide bombing at the Afghan Ministry\n   for Refugees in Kabul claimed the life of a minister. Other text follows here.")
	msg := tx.explain("a suicide bombing at the Afgan Ministry for Refugees", "src-x", "sources/src-x.txt")
	for _, want := range []string{`at line 3, column 23`, `"a suicide bombing at the Afghan Ministry for Refugees"`, `"…bing at the Afgan Ministry for…"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %s:\n%s", want, msg)
		}
	}
}

// TestNormalASCII: the shortcut for quotes already normalised gives what normalizeSpace's loop
// gives.
func TestNormalASCII(t *testing.T) {
	for _, s := range []string{"", "a", "a b", " a", "a ", "a  b", "a\tb", "a\nb", "é b", "a\u00a0b", "a\u2028b", "x y z."} {
		var off []int
		slow := normalizeSpace(s, &off) // with offsets, the loop always runs
		if got := normalizeSpace(s, nil); got != slow {
			t.Errorf("normalizeSpace(%q) = %q, the loop gives %q", s, got, slow)
		}
	}
}
