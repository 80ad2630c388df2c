package jsonpos

import (
	"errors"
	"fmt"
	"strings"
)

// Resolve follows a JSON pointer (RFC 6901) through a decoded value and reports whether it
// names a value. Array indexes must be canonical decimal numbers ("1", not "01" or "+1").
func Resolve(v any, ptr string) (any, bool) {
	if ptr == "" {
		return v, true
	}
	if ptr[0] != '/' {
		return nil, false
	}
	for rest := ptr[1:]; ; {
		tok, next, more := strings.Cut(rest, "/")
		tok, ok := UnescapePointerToken(tok)
		if !ok {
			return nil, false
		}
		switch c := v.(type) {
		case map[string]any:
			if v, ok = c[tok]; !ok {
				return nil, false
			}
		case []any:
			i, ok := arrayIndex(tok)
			if !ok || i >= len(c) {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
		if !more {
			return v, true
		}
		rest = next
	}
}

// EscapePointerToken escapes one reference token for a JSON pointer
// (RFC 6901): "~" becomes "~0" and "/" becomes "~1".
func EscapePointerToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return pointerEscaper.Replace(s)
}

var (
	pointerEscaper   = strings.NewReplacer("~", "~0", "/", "~1")
	pointerUnescaper = strings.NewReplacer("~1", "/", "~0", "~")
)

// JoinPointer appends unescaped tokens to the JSON pointer base ("" is the
// root).
func JoinPointer(base string, tokens ...string) string {
	var b strings.Builder
	b.WriteString(base)
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(EscapePointerToken(t))
	}
	return b.String()
}

// SplitPointer splits a JSON pointer into its unescaped reference tokens.
// The root "" yields no tokens. A pointer not starting with "/" or holding a
// "~" not followed by "0" or "1" is an error.
func SplitPointer(p string) ([]string, error) {
	if p == "" {
		return []string{}, nil
	}
	if p[0] != '/' {
		return nil, fmt.Errorf("invalid JSON pointer %q: must be empty or start with '/'", p)
	}
	tokens := strings.Split(p[1:], "/")
	for n, t := range tokens {
		var ok bool
		if tokens[n], ok = UnescapePointerToken(t); !ok {
			return nil, fmt.Errorf("invalid JSON pointer %q: %w", p, errBadTilde)
		}
	}
	return tokens, nil
}

// UnescapePointerToken undoes EscapePointerToken; ok is false when a '~' is not followed by '0' or '1'.
func UnescapePointerToken(t string) (string, bool) {
	if !strings.Contains(t, "~") {
		return t, true
	}
	for k := 0; k < len(t); k++ {
		if t[k] == '~' && (k+1 >= len(t) || (t[k+1] != '0' && t[k+1] != '1')) {
			return "", false
		}
	}
	// Replacer scans left to right, so "~01" correctly becomes "~1".
	return pointerUnescaper.Replace(t), true
}

var errBadTilde = errors.New("'~' must be followed by '0' or '1'")

// ParentPointer returns the pointer of the value that holds the one at p ("" for the root's
// children and the root).
func ParentPointer(p string) string {
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return ""
	}
	return p[:i]
}
