package schema

import (
	"encoding/json"
	"io/fs"
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"testing"
)

// schemaPatterns returns every pattern of the released and fixture schemas: the values of
// "pattern" and the keys of "patternProperties".
func schemaPatterns(t testing.TB) []string {
	var out []string
	var collect func(v any)
	collect = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "pattern" {
					out = append(out, s)
				}
				if pp, ok := x.(map[string]any); ok && k == "patternProperties" {
					for p := range pp {
						out = append(out, p)
					}
				}
				collect(x)
			}
		case []any:
			for _, x := range v {
				collect(x)
			}
		}
	}
	for _, fsys := range []fs.FS{FS(), os.DirFS(fixtureDir)} {
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || !strings.HasSuffix(p, ".json") {
				return err
			}
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				return err
			}
			collect(v)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(out) < 10 {
		t.Fatalf("found only %d patterns in the schemas", len(out))
	}
	return out
}

// morePatterns are patterns the schemas do not use, for the table's edge cases: not anchored,
// tests it cannot take, anchors inside, case folding, classes beyond ASCII.
var morePatterns = []string{
	`abc`, `^a\b`, `(?m)^a$`, `^(a|^b)$`, `^a$|b`, `^a*$`, `^$`, `^`, `^(?i)ab$`, `^[^/]+$`,
	`^é+$`, `^.{2}$`, `^(?s).{2}$`, `^a$b`, `^[\d\s]+$`, `^(a+)+$`, `^(x|xy)z?$`,
}

// TestMatcherAgreesWithRegexp matches each pattern against strings made of the characters it
// names and of a few others, with its table and with regexp.
func TestMatcherAgreesWithRegexp(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 0
	for _, p := range append(schemaPatterns(t), morePatterns...) {
		re := regexp.MustCompile(p)
		if newByteTable(re) != nil {
			n++
		}
		alphabet := []rune(p + "aZ09-./_ \n\x00é")
		m := matcher(re)
		for range 3000 {
			s := make([]rune, rng.IntN(12))
			for i := range s {
				s[i] = alphabet[rng.IntN(len(alphabet))]
			}
			if got, want := m(string(s)), re.MatchString(string(s)); got != want {
				t.Errorf("%q against %q: %v, regexp says %v", string(s), p, got, want)
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d patterns got a table", n)
	}
}

func FuzzMatcher(f *testing.F) {
	for _, p := range append(schemaPatterns(f), morePatterns...) {
		f.Add(p, "inc-2024-01-abc")
	}
	f.Fuzz(func(t *testing.T, p, s string) {
		re, err := regexp.Compile(p)
		if err != nil {
			return
		}
		if got, want := matcher(re)(s), re.MatchString(s); got != want {
			t.Errorf("%q against %q: %v, regexp says %v", s, p, got, want)
		}
	})
}
