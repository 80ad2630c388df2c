package schema

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseVersion parses a canonical MAJOR.MINOR.PATCH version (no 'v', no leading zeros).
func ParseVersion(v string) ([3]int, error) {
	var out [3]int
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return out, fmt.Errorf("version %q: want MAJOR.MINOR.PATCH", v)
	}
	for i, p := range parts {
		if p == "" || (len(p) > 1 && p[0] == '0') || strings.TrimLeft(p, "0123456789") != "" {
			return out, fmt.Errorf("version %q: %q is not a number without leading zeros", v, p)
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			return out, fmt.Errorf("version %q: %w", v, err)
		}
		out[i] = n
	}
	return out, nil
}

// CompareVersions orders two versions; unparsable versions sort first, by text.
func CompareVersions(a, b string) int {
	va, ea := ParseVersion(a)
	vb, eb := ParseVersion(b)
	if ea != nil || eb != nil {
		switch {
		case ea != nil && eb == nil:
			return -1
		case ea == nil && eb != nil:
			return 1
		}
		return strings.Compare(a, b)
	}
	for i := range va {
		if va[i] != vb[i] {
			if va[i] < vb[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}
