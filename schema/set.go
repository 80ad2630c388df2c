package schema

import (
	"fmt"
	"io"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Set is one schema version, compiled: the one entry point for validating a record against it.
type Set struct {
	Version  string
	compiled map[Kind]*jsonschema.Schema
	// fast holds each kind's fast path (fast.go), which proves most records valid without
	// jsonschema/v5; a kind whose schema uses a keyword it does not implement has none.
	fast  map[Kind]*fastPath
	nodes map[Kind]*Node
	// at indexes every compiled subschema by its absolute location (URL#pointer).
	at map[string]*jsonschema.Schema
}

// compiler returns a jsonschema compiler for draft 2020-12 that asserts formats and content
// and resolves $refs with load alone.
func compiler(load func(url string) (io.ReadCloser, error)) *jsonschema.Compiler {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	c.AssertContent = true
	c.LoadURL = load
	return c
}

// compile compiles every kind of one version of a registry.
func compile(r *Registry, version string) (*Set, error) {
	c := compiler(r.load)
	s := &Set{Version: version, compiled: map[Kind]*jsonschema.Schema{}, fast: map[Kind]*fastPath{},
		nodes: map[Kind]*Node{}, at: map[string]*jsonschema.Schema{}}
	for _, k := range allKinds {
		sch, err := c.Compile(URL(version, k))
		if err != nil {
			return nil, fmt.Errorf("compile schema %s/%s: %w", version, k, err)
		}
		s.compiled[k] = sch
		index(sch, s.at)
		if !r.noFast {
			s.fast[k], _ = compileFast(sch, c.Formats) // no fast path: v5 validates every record
		}
		if s.nodes[k], err = buildTreeFS(r.fsys, version, k); err != nil {
			return nil, fmt.Errorf("read schema %s/%s: %w", version, k, err)
		}
	}
	return s, nil
}

// Validate checks v, a decoded record (map[string]any, []any, string, json.Number, bool and
// nil), against kind k's schema. It returns nil when v is valid, a *jsonschema.ValidationError
// with every failure when it is not, and another error when the schema library cannot decide.
//
// Most records are proved valid by the fast path, which answers only "certainly valid" or "not
// sure"; jsonschema/v5 decides, and explains, the others. Registry.WithoutFastPath (or
// APMD_NOFASTPATH=1) turns the fast path off.
func (s *Set) Validate(k Kind, v any) error {
	if f := s.fast[k]; f != nil && f.Valid(v) {
		return nil
	}
	sch := s.compiled[k]
	if sch == nil {
		return fmt.Errorf("schema %s has no kind %q", s.Version, k)
	}
	return validateSafely(sch, v)
}

// validateSafely runs jsonschema/v5 on v and turns a panic of the library into an error, so
// that one record it cannot handle is a finding, not a crash of the whole run. (v5 panics on
// numbers math/big cannot hold; the validator's json-number-range rule keeps those away, this
// is the net.)
func validateSafely(sch *jsonschema.Schema, v any) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the schema library failed on it (%v): please report this as a bug of apmd, with the record", p)
		}
	}()
	return sch.Validate(v)
}

// Node returns the annotated tree of a kind's schema.
func (s *Set) Node(k Kind) *Node { return s.nodes[k] }

// Subschema returns the compiled schema at an absolute location (URL#/json/pointer, as a
// validation error's AbsoluteKeywordLocation names the keyword inside it), or nil. It lets a
// message quote what the schema allows (an enum's values, a pattern, the "if" beside a
// failing "then") from this very version.
func (s *Set) Subschema(location string) *jsonschema.Schema { return s.at[location] }

// index records sch and every schema it reaches by location.
func index(sch *jsonschema.Schema, at map[string]*jsonschema.Schema) {
	if sch == nil || at[sch.Location] != nil {
		return
	}
	at[sch.Location] = sch
	for _, p := range sch.Properties {
		index(p, at)
	}
	for _, p := range sch.PatternProperties {
		index(p, at)
	}
	if a, ok := sch.AdditionalProperties.(*jsonschema.Schema); ok {
		index(a, at)
	}
	for _, sub := range append([]*jsonschema.Schema{sch.Ref, sch.PropertyNames, sch.Items2020, sch.Contains,
		sch.Not, sch.If, sch.Then, sch.Else}, append(append(sch.AllOf, sch.AnyOf...), sch.OneOf...)...) {
		index(sub, at)
	}
}
