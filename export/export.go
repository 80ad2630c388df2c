package export

import (
	"errors"
	"fmt"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/schema"
)

// ErrData marks an error in the data itself (as opposed to the schema or the file system):
// a value the tables cannot hold. Validation catches these first.
var ErrData = errors.New("data cannot be exported")

// book is what every file of an export describes: the manifest, its schema tree and the
// tables laid out from the schema version the manifest declares.
type book struct {
	version      string
	manifest     map[string]any
	manifestNode *schema.Node
	tables       []*Table

	counting *countSummary // what the analysis tables say for the README sheet, once written
}

// newBook lays out the tables from the schema version the manifest declares.
func newBook(reg *schema.Registry, manifest *datadir.Record) (*book, error) {
	set, err := reg.Get(manifest.Version)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: schema_version: %v", ErrData, manifest.File, err)
	}
	nodes := map[schema.Kind]*schema.Node{}
	for _, k := range append([]schema.Kind{schema.Manifest}, schema.Kinds...) {
		nodes[k] = set.Node(k)
	}
	tables, err := Layout(nodes)
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", set.Version, err)
	}
	m, _ := manifest.Value.(map[string]any)
	return &book{version: set.Version, manifest: m, manifestNode: nodes[schema.Manifest], tables: tables}, nil
}

// manifestValue reads a member of the manifest by path, as text ("" when absent).
func (e *book) manifestValue(path ...string) string {
	s, _ := plain(lookup(e.manifest, path))
	return s
}

// manifestFact is one line of the manifest as a reader sees it: the schema's title and the value.
type manifestFact struct {
	Title string
	Value string
}

// manifestFacts lists the manifest's plain values in schema order, titled by the schema
// (nested objects flattened: "License: Data license"), for the workbook's README sheet.
func (e *book) manifestFacts() []manifestFact {
	var out []manifestFact
	titles := []string{""} // titles[d]: the title of the value at depth d
	schema.Walk(e.manifestNode, e.manifest, func(n *schema.Node, v any, at *schema.Path) bool {
		if n == nil {
			return false
		}
		d := at.Len()
		titles = append(titles[:d], "")
		if d > 0 {
			titles[d] = joinTitle(titles[d-1], n.Title)
		}
		if _, ok := v.(map[string]any); ok {
			return true
		}
		if s, err := plain(v); err == nil && d > 0 {
			out = append(out, manifestFact{Title: titles[d], Value: s})
		}
		return false
	})
	return out
}
