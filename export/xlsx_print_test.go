package export

import (
	"strings"
	"testing"
)

// TestWrappedLines checks the line count that sets the height of wrapped rows: never fewer
// lines than a word-wrapping reader needs.
func TestWrappedLines(t *testing.T) {
	for _, c := range []struct {
		text  string
		width float64
		want  int
	}{
		{"", 10, 1},
		{"short", 10, 1},
		{"one two three four", 10, 2},        // 10 units hold 10 characters: "one two" | "three four"
		{"first line\nsecond", 60, 2},        // every line break starts a line
		{strings.Repeat("x", 25), 10, 3},     // a word longer than the line breaks anywhere
		{strings.Repeat("word ", 40), 60, 4}, // 199 characters at 68 a line
	} {
		if got := wrappedLines(c.text, c.width); got != c.want {
			t.Errorf("wrappedLines(%q, %v) = %d, want %d", c.text, c.width, got, c.want)
		}
	}
}
