package suggest

import "testing"

func TestClosest(t *testing.T) {
	cands := []string{"format", "quiet", "select", "ignore", "list-rules"}
	for s, want := range map[string]string{
		"formatt": "format", "Quite": "quiet", "selct": "select", "bogus": "", "format": "",
	} {
		if got := Closest(s, cands); got != want {
			t.Errorf("Closest(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestLevenshteinLimit(t *testing.T) {
	if d := levenshtein("kitten", "sitting", 10); d != 3 {
		t.Errorf("levenshtein = %d, want 3", d)
	}
	if d := levenshtein("a", "abcdef", 2); d != 3 {
		t.Errorf("past the limit: %d, want limit+1", d)
	}
}
