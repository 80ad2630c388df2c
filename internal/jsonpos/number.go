package jsonpos

import (
	"encoding/json"
	"math/big"
	"strconv"
)

// Integer reads a JSON number that is an integer however it is written: 12, but also 12.0 and
// 1.2e1, which JSON Schema's "integer" accepts as well. ok is false for a fraction and for an
// integer beyond int64. It is the one reading of integers for the rules and the exports.
func Integer(n json.Number) (int64, bool) {
	if v, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return v, true
	}
	r, ok := new(big.Rat).SetString(string(n))
	if !ok || !r.IsInt() || !r.Num().IsInt64() {
		return 0, false
	}
	return r.Num().Int64(), true
}

// IntegerDigits is Integer for any size: the decimal digits of a JSON number that is an
// integer (1e2 → "100", 12.0 → "12"), and false for a fraction or a number math/big cannot hold.
func IntegerDigits(n json.Number) (string, bool) {
	if v, ok := Integer(n); ok {
		return strconv.FormatInt(v, 10), true
	}
	r, ok := new(big.Rat).SetString(string(n))
	if !ok || !r.IsInt() {
		return "", false
	}
	return r.Num().String(), true
}
