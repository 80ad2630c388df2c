package jsonpos

import "testing"

func TestResolve(t *testing.T) {
	v, _, err := Decode([]byte(`{"a":[{"b~c":1,"d/e":"x"}],"":true}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ptr string
		ok  bool
	}{
		{"", true}, {"/a", true}, {"/a/0", true}, {"/a/0/b~0c", true}, {"/a/0/d~1e", true}, {"/", true},
		{"/a/1", false}, {"/a/01", false}, {"/a/-1", false}, {"/a/0/b", false}, {"/x", false}, {"a", false}, {"/a/0/b~0c/z", false},
	} {
		if _, ok := Resolve(v, c.ptr); ok != c.ok {
			t.Errorf("Resolve(%q) ok = %v, want %v", c.ptr, ok, c.ok)
		}
	}
}
