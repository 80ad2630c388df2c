package datadir

import "strings"

// IsSlug reports whether s matches [a-z0-9]+(-[a-z0-9]+)*, the body of every id: lower-case
// letters and digits, with no '-' first, last or twice in a row.
func IsSlug(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
		case c == '-' && s[i-1] != '-': // i > 0: s[0] is not '-'
		default:
			return false
		}
	}
	return true
}

// Slug is the id-like form of a text: lower-cased, its runs of letters a-z and digits joined
// by single '-' ("Sipah-e-Mizan, Waziristan" → "sipah-e-mizan-waziristan"). It is what a
// contributor most likely meant by a malformed id, and how generated ids are made.
func Slug(s string) string {
	if IsSlug(s) {
		return s
	}
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}
