package jsonpos

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestLargeValuesPositions: the positions of every item of a 50,000-item array and every member
// of a 50,000-member object, on one line of a minified file (with characters of several bytes),
// are those PositionAt counts, and are found in linear time (50,000 bad items took 20 s).
func TestLargeValuesPositions(t *testing.T) {
	const n = 50_000
	var b strings.Builder
	b.WriteString(`{"a": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"é%d": "ü"}`, i)
	}
	b.WriteString(`], "o": {`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"k%d": %d`, i, i)
	}
	b.WriteString("}}\n")
	data := []byte(b.String())
	doc, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	type asked struct {
		ptr      string
		key      bool
		got      Position
		wantFrom string // the text that starts at the position
	}
	var all []asked
	for i := n - 1; i >= 0; i -= 7 { // backwards, and skipping: no help from the order
		all = append(all, asked{ptr: fmt.Sprintf("/a/%d/é%d", i, i), wantFrom: `"ü"}`},
			asked{ptr: fmt.Sprintf("/o/k%d", i), wantFrom: fmt.Sprint(i)},
			asked{ptr: fmt.Sprintf("/o/k%d", i), key: true, wantFrom: fmt.Sprintf(`"k%d"`, i)})
	}
	start := time.Now()
	for i := range all {
		if all[i].key {
			all[i].got = doc.KeyPosition(all[i].ptr)
		} else {
			all[i].got = doc.Position(all[i].ptr)
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("%v for %d positions", d, len(all))
	}
	for i := 0; i < len(all); i += 301 { // PositionAt counts from the start: a sample
		a := all[i]
		if want := PositionAt(data, a.got.Offset); a.got != want || !strings.HasPrefix(string(data[a.got.Offset:]), a.wantFrom) {
			t.Fatalf("%s (key %v): %+v, want %+v at %q", a.ptr, a.key, a.got, want, a.wantFrom)
		}
	}
}
