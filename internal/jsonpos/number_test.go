package jsonpos

import (
	"encoding/json"
	"testing"
)

func TestInteger(t *testing.T) {
	for _, c := range []struct {
		in     string
		want   int64
		digits string
		ok     bool
	}{
		{"12", 12, "12", true}, {"12.0", 12, "12", true}, {"1.2e1", 12, "12", true}, {"-3E0", -3, "-3", true},
		{"1.5", 0, "", false}, {"1e-1", 0, "", false},
		{"12345678901234567891", 0, "12345678901234567891", false}, // beyond int64: digits only, exact
		{"1e20", 0, "100000000000000000000", false},
	} {
		v, ok := Integer(json.Number(c.in))
		if ok != c.ok || v != c.want {
			t.Errorf("Integer(%s) = %d, %v; want %d, %v", c.in, v, ok, c.want, c.ok)
		}
		d, ok := IntegerDigits(json.Number(c.in))
		if ok != (c.digits != "") || d != c.digits {
			t.Errorf("IntegerDigits(%s) = %q, %v; want %q", c.in, d, ok, c.digits)
		}
	}
}
