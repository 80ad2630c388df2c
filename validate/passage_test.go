package validate

import (
	"os"
	"strings"
	"testing"
)

func TestClosestPassage(t *testing.T) {
	tx := newText([]byte("Intro line.\n\nOn December 11, 2024, a suicide bombing at the Afghan Ministry\n   for Refugees in Kabul claimed the life of a minister. Other text follows here."))
	msg := tx.explain("a suicide bombing at the Afgan Ministry for Refugees", 0, "src-x", "sources/src-x.txt")
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

// TestClosestWholeWords: the closest passage starts and ends on a word (contributor review D9:
// it began "ssination is a stark reminder").
func TestClosestWholeWords(t *testing.T) {
	data, err := os.ReadFile("../dataset/sources/src-iskp-strikes-again.txt")
	if err != nil {
		t.Fatal(err)
	}
	msg := newText(data).explain("This killing is a stark reminder", 2000, "src-iskp-strikes-again", "sources/src-iskp-strikes-again.txt")
	if !strings.Contains(msg, `is "assassination is a stark reminder"`) {
		t.Errorf("the passage is not whole words:\n%s", msg)
	}
	for _, c := range []struct{ s, want string }{
		{"xx assassination is", "assassination is"},
		{"ssination is a sta", "assassination is a stark"},
		{"a b", "a b"},
	} {
		text := "The assassination is a stark reminder. " + strings.Repeat("z", 100) + " end"
		i := strings.Index(text, c.s)
		if i < 0 {
			continue
		}
		s, e := wholeWords(text, i, i+len(c.s))
		if got := text[s:e]; got != c.want {
			t.Errorf("wholeWords(%q) = %q, want %q", c.s, got, c.want)
		}
	}
	long := "ab " + strings.Repeat("z", 100) + " cd"
	if s, e := wholeWords(long, 50, len(long)); long[s:e] != "cd" {
		t.Errorf("a passage inside a long word: got %q, want %q", long[s:e], "cd")
	}
}

// TestExplainBounded: explaining a quote costs at most maxCandidates·maxCells cells, however
// long the quote and the text (review D3: 100,000 characters against 6 KB took 13 s).
func TestExplainBounded(t *testing.T) {
	words := strings.Fields("the attack killed several people at the market in Kabul on Monday police said")
	var b strings.Builder
	for i := 0; b.Len() < 1<<20; i++ {
		b.WriteString(words[(i*7)%len(words)])
		b.WriteByte(" \n"[i%9/8])
	}
	text := b.String()
	for _, n := range []int{1900, 100_000, 1 << 20} {
		q := strings.Repeat("police said the market killed ", n/30+1)[:n]
		tx := newText([]byte(text))
		for _, limit := range []int{2000, 0} {
			before := tx.cells
			msg := tx.explain(q, limit, "src-x", "sources/src-x.txt")
			if d := tx.cells - before; d > maxCandidates*maxCells {
				t.Errorf("quote of %d, limit %d: %d cells", n, limit, d)
			}
			if n > limit && limit > 0 && !strings.Contains(msg, "more than the 2000") {
				t.Errorf("quote of %d: %s", n, clip(msg, 200))
			}
		}
	}
}
