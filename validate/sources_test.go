package validate

import (
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

// TestOnlyEndings: a text that differs from the recorded one only by its line endings or its
// final newline is said to (the review's D4), whichever way it changed; another change is not.
func TestOnlyEndings(t *testing.T) {
	sum := func(s string) string {
		h := sha256.Sum256([]byte(s))
		return hex.EncodeToString(h[:])
	}
	const lf = "Bomb kills 12\n\nA bomb exploded.\n"
	for _, c := range []struct {
		name, recorded, now, want string
	}{
		{"crlf", lf, "Bomb kills 12\r\n\r\nA bomb exploded.\r\n", "its line endings (CRLF where the recorded text has LF)"},
		{"lf", "Bomb kills 12\r\nA bomb.\r\n", "Bomb kills 12\nA bomb.\n", "its line endings (LF where the recorded text has CRLF)"},
		{"final newline added", "Bomb kills 12\nA bomb.", "Bomb kills 12\nA bomb.\n", "a final newline the recorded text does not have"},
		{"final newline removed", lf, "Bomb kills 12\n\nA bomb exploded.", "the final newline the recorded text has"},
		{"both", "Bomb kills 12\nA bomb.", "Bomb kills 12\r\nA bomb.\r\n", "its line endings (CRLF where the recorded text has LF) and a final newline the recorded text does not have"},
		{"edited", lf, "Bomb kills 13\n\nA bomb exploded.\n", ""},
	} {
		if got := onlyEndings([]byte(c.now), sum(c.recorded)); got != c.want {
			t.Errorf("%s: onlyEndings = %q, want %q", c.name, got, c.want)
		}
	}
}
