package schema

// What the tests of package schema_test see of the fast path, which nothing else does.

// FastValid reports whether the fast path proves v valid against kind k's schema (false: it is
// not sure, or the kind has no fast path).
func FastValid(s *Set, k Kind, v any) bool { return s.fast[k].Valid(v) }

// FastPathError says why kind k's schema has no fast path (nil when it has one).
func FastPathError(s *Set, k Kind) error {
	if s.fast[k] != nil {
		return nil
	}
	_, err := compileFast(s.compiled[k], nil)
	return err
}

// V5Valid reports whether jsonschema/v5 alone accepts v (a panic of the library counts as not).
func V5Valid(s *Set, k Kind, v any) bool { return validateSafely(s.compiled[k], v) == nil }
