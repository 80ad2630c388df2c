package export

import (
	"errors"
	"fmt"

	"github.com/apmd-data/apmd/dataset"
	"github.com/apmd-data/apmd/schema"
)

// Export is a dataset laid out as tables, ready to be written.
type Export struct {
	// SchemaVersion is the schema version the tables are derived from: the manifest's.
	SchemaVersion string
	// Manifest is the decoded dataset.json, and ManifestNode its schema tree.
	Manifest     map[string]any
	ManifestNode *schema.Node
	Tables       []*Table

	counting *countSummary // what the analysis tables say for the README sheet, once written
}

// ErrData marks an error in the data itself (as opposed to the schema or the file system):
// a value the tables cannot hold. Validation catches most of these first.
var ErrData = errors.New("data cannot be exported")

// Build lays out the tables of a loaded dataset from the schema version its manifest declares
// and fills them.
func Build(d *dataset.Dataset) (*Export, error) {
	return fromManifest(d.Manifest, d.Records)
}

// fromManifest lays out the tables from the schema version the manifest declares and fills them
// with records (none, for Stream).
func fromManifest(manifest *dataset.Record, records []*dataset.Record) (*Export, error) {
	if manifest == nil {
		return nil, fmt.Errorf("%w: %s is missing; a dataset folder starts with its manifest", ErrData, dataset.ManifestFile)
	}
	set, err := schema.Get(manifest.Version)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: schema_version: %v", ErrData, manifest.File, err)
	}
	nodes := map[schema.Kind]*schema.Node{}
	for _, k := range append([]schema.Kind{schema.Manifest}, schema.Kinds...) {
		nodes[k] = set.Node(k)
	}
	return New(set.Version, nodes, manifest, records)
}

// New builds an Export from schema trees (one per kind, and the manifest's) and records.
func New(version string, nodes map[schema.Kind]*schema.Node, manifest *dataset.Record, records []*dataset.Record) (*Export, error) {
	tables, err := Layout(nodes)
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", version, err)
	}
	if err := Fill(tables, records); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrData, err)
	}
	counting, err := analyse(tables, records)
	if err != nil {
		return nil, err
	}
	m, _ := manifest.Value.(map[string]any)
	return &Export{SchemaVersion: version, Manifest: m, ManifestNode: nodes[schema.Manifest], Tables: tables, counting: counting}, nil
}

// Table returns the named table, or nil.
func (e *Export) Table(name string) *Table {
	for _, t := range e.Tables {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// manifestValue reads a member of the manifest by path, as text ("" when absent).
func (e *Export) manifestValue(path ...string) string {
	s, _ := plain(lookup(e.Manifest, path))
	return s
}

// ManifestFact is one line of the manifest as a reader sees it: the schema's title and the value.
type ManifestFact struct {
	Title string
	Value string
}

// ManifestFacts lists the manifest's plain values in schema order, titled by the schema
// (nested objects flattened: "License: Data license"), for the workbook's README sheet.
func (e *Export) ManifestFacts() []ManifestFact {
	var out []ManifestFact
	var walk func(n *schema.Node, v map[string]any, title string)
	walk = func(n *schema.Node, v map[string]any, title string) {
		for _, p := range n.Properties {
			pv, ok := v[p.Name]
			if !ok {
				continue
			}
			t := joinTitle(title, p.Title)
			if m, ok := pv.(map[string]any); ok {
				walk(p.Node, m, t)
				continue
			}
			if s, err := plain(pv); err == nil {
				out = append(out, ManifestFact{Title: t, Value: s})
			}
		}
	}
	if e.ManifestNode != nil {
		walk(e.ManifestNode, e.Manifest, "")
	}
	return out
}
