package dataset

import "strconv"

// Resolve follows a JSON pointer (RFC 6901) through a decoded value and reports whether it
// names a value. Array indexes must be canonical decimal numbers ("1", not "01" or "+1").
func Resolve(v any, ptr string) (any, bool) {
	toks, err := SplitPointer(ptr)
	if err != nil {
		return nil, false
	}
	for _, tok := range toks {
		switch c := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = c[tok]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) || strconv.Itoa(i) != tok {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
}
