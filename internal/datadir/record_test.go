package datadir

import "testing"

// TestFileErrorOnePosition: a record's syntax error names its place once, as file:line:col.
func TestFileErrorOnePosition(t *testing.T) {
	_, err := DecodeRecord("incident", "x.json", []byte(`{"a": 1,}`))
	want := `x.json:1:9: invalid character '}' after ','; expected '"' (trailing commas are not allowed)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}
