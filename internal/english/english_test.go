package english

import "testing"

func TestPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 files", 1: "1 file", 2: "2 files"} {
		if got := Plural(n, "file"); got != want {
			t.Errorf("Plural(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestQuoted(t *testing.T) {
	for _, c := range []struct {
		vals []string
		max  int
		want string
	}{
		{nil, 0, ""},
		{[]string{"a"}, 0, `"a"`},
		{[]string{"a", `b"c`}, 0, `"a", "b\"c"`},
		{[]string{"a", "b", "c"}, 2, `"a", "b", "c"`},
		{[]string{"a", "b", "c", "d"}, 2, `"a", "b", … (2 more)`},
	} {
		if got := Quoted(c.vals, c.max); got != c.want {
			t.Errorf("Quoted(%q, %d) = %q, want %q", c.vals, c.max, got, c.want)
		}
	}
}

func TestList(t *testing.T) {
	for _, c := range []struct {
		words []string
		want  string
	}{
		{nil, ""}, {[]string{"a"}, "a"}, {[]string{"a", "b"}, "a and b"}, {[]string{"a", "b", "c"}, "a, b and c"},
	} {
		if got := List(c.words); got != c.want {
			t.Errorf("List(%q) = %q, want %q", c.words, got, c.want)
		}
	}
}

func TestA(t *testing.T) {
	for w, want := range map[string]string{"incident": "an incident", "group": "a group", "claim": "a claim", "": "a "} {
		if got := A(w); got != want {
			t.Errorf("A(%q) = %q, want %q", w, got, want)
		}
	}
}
