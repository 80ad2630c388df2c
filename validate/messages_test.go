package validate

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/apmd-data/apmd/internal/jsonpos"
	"github.com/apmd-data/apmd/schema"
)

// TestEncodingGuess: a record saved as UTF-16 (Notepad's "Unicode") is said to be UTF-16, not a
// legacy encoding (the review's D10).
func TestEncodingGuess(t *testing.T) {
	var u16 []byte
	for _, r := range utf16.Encode([]rune(`{"id": "inc-a"}`)) {
		u16 = append(u16, byte(r), byte(r>>8))
	}
	if g := encodingGuess(append([]byte{0xFF, 0xFE}, u16...)); !strings.Contains(g, "UTF-16") {
		t.Errorf("UTF-16 with BOM: %q", g)
	}
	if g := encodingGuess(u16); !strings.Contains(g, "UTF-16") {
		t.Errorf("UTF-16 without BOM: %q", g)
	}
	if g := encodingGuess([]byte("{\"quote\": \"ISKP\x92s\"}")); !strings.Contains(g, "Windows-1252") {
		t.Errorf("Windows-1252: %q", g)
	}
}

// TestSyntaxHints: the JSON mistakes of word processors and programmers get a hint.
func TestSyntaxHints(t *testing.T) {
	for _, c := range []struct{ doc, want string }{
		{"{\n  \"a\": 1,\n  // a comment\n  \"b\": 2\n}", "JSON has no comments"},
		{"{\n  \"quote\": \"he said \"no\" twice\"\n}", `a " inside a string must be written \"`},
		{"{\n  \"a\": 1\n  \"b\": 2\n}", "is a comma missing at the end of the line before?"},
	} {
		_, err := jsonpos.Parse([]byte(c.doc))
		var se *jsonpos.SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("%q parsed: %v", c.doc, err)
		}
		if got := syntaxHint([]byte(c.doc), se); !strings.Contains(got, c.want) {
			t.Errorf("%q: %s, hint %q; want %q", c.doc, se.Msg, got, c.want)
		}
	}
}

// TestDateFixes: a date the schema refuses gets the date meant, or the two it may mean.
func TestDateFixes(t *testing.T) {
	for s, want := range map[string]string{
		"2024-12-1":            `Did you mean "2024-12-01"?`,
		"2024-12-11T10:00:00Z": `Did you mean "2024-12-11"?`,
		"December 11, 2024":    `Did you mean "2024-12-11"?`,
		"12/11/2024":           "Write it 2024-12-11 if 12 is the month (as in the US), 2024-11-12 if it is the day.",
		"25/12/2024":           `Did you mean "2024-12-25"?`,
	} {
		if got := fixFor(&schema.Node{Def: "partial_date"}, "/date/value", s, partialDateRE); !strings.Contains(got, want) {
			t.Errorf("fixFor(%q) = %q, want %q", s, got, want)
		}
	}
}

var partialDateRE = regexp.MustCompile(`^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$`)

func TestLowerFirst(t *testing.T) {
	for in, want := range map[string]string{"SHA-256": "SHA-256", "Event type": "event type", "URL": "URL", "X": "x"} {
		if got := lowerFirst(in); got != want {
			t.Errorf("lowerFirst(%q) = %q, want %q", in, got, want)
		}
	}
}
