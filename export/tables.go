// Package export turns a dataset into tidy tables and writes them as CSV files, one XLSX
// workbook and a Frictionless Data Package descriptor.
//
// The tables are derived from the schema trees (schema.Set.Node), never from field names
// written in Go, by one small set of rules:
//
//   - each record kind is a table named after its folder (sources, groups, incidents, claims),
//     one row per record, keyed by id;
//   - a nested object flattens into columns named <property>_<member> (date_type, count_low…);
//   - an array of objects is a child table: <parent>_<property> (incident_perpetrators), or
//     just <property> when its items have their own id (casualties); an array defined once in
//     the shared definitions and used by every kind (evidence, inferences) is one table named
//     after that definition, keyed by record_kind and record_id;
//   - an array of ids of another table (a many-to-many reference) is a link table
//     <parent>_<property> (claim_incidents) with one value column named after the property in
//     the singular (incident);
//   - any other array of plain values is joined in one cell with Separator;
//   - an object without declared properties (extensions: free JSON) is not exported.
//
// A child table starts with its parent's key columns (incident_id, or incident_id and
// perpetrator_index for a grandchild), then index, the item's position in its list counted
// from 0 as in JSON pointers, unless the item has its own id.
//
// Before these normalised tables come the analysis tables (analysis*.go): events, aggregates
// and claims_flat, one row per single event, aggregate and claim, with names beside ids and
// the casualty figures counted by the rule of docs/counting.md (counting.go).
package export

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/internal/jsonpos"
	"github.com/apmd-data/apmd/schema"
)

// Separator joins the items of a list of plain values (e.g. a source's authors, an evidence
// quote's supported pointers) in one cell. Ids, JSON pointers and the names in the dataset
// never contain it; a value that does is refused rather than split wrongly later.
const Separator = " | "

// Table Schema types of the columns.
const (
	TypeString  = "string"
	TypeInteger = "integer"
	TypeNumber  = "number"
	TypeBoolean = "boolean"
	TypeDate    = "date"
)

// Names of the key columns the export adds; they are not schema properties.
const (
	colID         = "id"
	colIndex      = "index"
	colRecordKind = "record_kind"
	colRecordID   = "record_id"
)

// Column is one column of a table.
type Column struct {
	Name string
	// Type is a Table Schema type: string, integer, number, boolean or date.
	Type        string
	Title       string
	Description string
	// Required is true when every row has a value.
	Required bool
	// Node is the schema node the column is read from; nil for a key column made by the export.
	Node *schema.Node
	// List is true for a list of plain values joined with Separator.
	List bool

	src  source
	path []string // property names from the row's object, for src == fromField
	key  int      // which parent key, for src == fromParent
}

type source int

const (
	fromField  source = iota // a property of the row's object
	fromParent               // a key of the parent row
	fromIndex                // the item's position in its list
	fromItem                 // the item itself (a link table's value)
)

// ForeignKey says that Columns of a table hold the RefColumns of the table RefTable.
type ForeignKey struct {
	Columns    []string
	RefTable   string
	RefColumns []string
}

// Cell is one value; Null marks an absent value (an empty CSV cell, an empty sheet cell).
type Cell struct {
	Value string
	Null  bool
}

// Table is one table: its columns and keys.
type Table struct {
	Name        string
	Title       string
	Description string
	Columns     []*Column
	PrimaryKey  []string
	ForeignKeys []ForeignKey

	item     string   // one item, in the singular, for key names: "incident", "perpetrator"
	singular string   // the table in the singular, for child names: "incident_perpetrator"
	path     []string // property names from the parent row's object to the array
	node     *schema.Node
	idDef    string // the shared definition of the table's own id, if it has one
	children []*Table
	link     bool // a link table: each item is a plain value
	shared   bool // keyed by record_kind and record_id

	analysis *analysisSpec // an analysis table (events, aggregates, claims_flat): how its rows are made
}

// Column returns the named column, or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Layout derives the tables, empty, from the schema trees of the record kinds.
func Layout(nodes map[schema.Kind]*schema.Node) ([]*Table, error) {
	l := &layout{ids: map[string]bool{}, shared: map[string]*Table{}}
	for _, k := range schema.Kinds {
		n := nodes[k]
		if n == nil {
			return nil, fmt.Errorf("no schema tree for kind %q", k)
		}
		if id := n.Prop(colID); id != nil {
			l.ids[id.Def] = true
		}
		collectIDs(n, l.ids)
	}
	for _, k := range schema.Kinds {
		n := nodes[k]
		t := &Table{Name: datadir.Folder(k), Title: n.Title, Description: n.Description,
			item: string(k), singular: string(k), node: n, PrimaryKey: []string{colID}}
		l.tables = append(l.tables, t)
		if err := l.object(t, n, "", nil, "", true); err != nil {
			return nil, fmt.Errorf("%s: %w", t.Name, err)
		}
	}
	l.tables = append(l.tables, l.sharedOrder...)
	for _, t := range l.tables {
		if t.isRoot() {
			versionLast(t)
		}
	}
	analysis, err := analysisTables(nodes)
	if err != nil {
		return nil, err
	}
	l.tables = append(analysis, l.tables...)
	l.foreignKeys()
	for _, t := range l.tables {
		seen := map[string]bool{}
		for _, c := range t.Columns {
			if seen[c.Name] {
				return nil, fmt.Errorf("table %s: two columns named %q; rename a property in the schema", t.Name, c.Name)
			}
			seen[c.Name] = true
		}
	}
	return l.tables, nil
}

type layout struct {
	tables      []*Table
	ids         map[string]bool // shared definitions of ids that key a table
	shared      map[string]*Table
	sharedOrder []*Table
}

// collectIDs finds the id definitions of array items that have their own id (casualty figures).
func collectIDs(n *schema.Node, ids map[string]bool) {
	if n == nil {
		return
	}
	if n.Type == "array" && n.Items != nil && n.Items.Type == "object" {
		if id := n.Items.Prop(colID); id != nil && id.Def != "" {
			ids[id.Def] = true
		}
	}
	for _, p := range n.Properties {
		collectIDs(p.Node, ids)
	}
	collectIDs(n.Items, ids)
}

// object adds the columns of an object node to t, and the child tables of its arrays.
func (l *layout) object(t *Table, n *schema.Node, prefix string, path []string, title string, required bool) error {
	for _, p := range n.Properties {
		name := prefix + p.Name
		ppath := append(append([]string(nil), path...), p.Name)
		req := required && p.Required
		ptitle := joinTitle(title, p.Title)
		switch p.Type {
		case "object":
			if len(p.Properties) == 0 {
				continue // free JSON (extensions): not a table's business
			}
			if err := l.object(t, p.Node, name+"_", ppath, ptitle, req); err != nil {
				return err
			}
		case "array":
			if err := l.array(t, p, name, ppath, ptitle, req); err != nil {
				return err
			}
		default:
			typ, err := columnType(p.Node)
			if err != nil {
				return fmt.Errorf("property %s: %w", strings.Join(ppath, "/"), err)
			}
			desc := p.Description
			if desc == "" {
				desc = n.Description
			}
			t.Columns = append(t.Columns, &Column{Name: name, Type: typ, Title: ptitle, Description: desc,
				Required: req, Node: p.Node, path: ppath})
		}
	}
	return nil
}

func (l *layout) array(t *Table, p *schema.Property, name string, path []string, title string, required bool) error {
	items := p.Items
	if items == nil {
		return fmt.Errorf("array %s has no items schema", strings.Join(path, "/"))
	}
	switch {
	case items.Type == "object":
		return l.childTable(t, p, name, path, title)
	case items.Type == "array":
		return fmt.Errorf("array %s: arrays of arrays cannot be tabled", strings.Join(path, "/"))
	case l.ids[items.Def]:
		return l.linkTable(t, p, name, path, title)
	}
	if _, err := columnType(items); err != nil {
		return fmt.Errorf("array %s: %w", strings.Join(path, "/"), err)
	}
	desc := p.Description
	if desc == "" {
		desc = items.Description
	}
	t.Columns = append(t.Columns, &Column{Name: name, Type: TypeString, Title: title,
		Description: desc, Required: required, Node: p.Node, List: true, path: path})
	return nil
}

// childTable adds the table of an array of objects below t.
func (l *layout) childTable(t *Table, p *schema.Property, name string, path []string, title string) error {
	items := p.Items
	c := &Table{Title: title, Description: p.Description, node: items, path: path}
	if c.Title == "" {
		c.Title = items.Title
	}
	if c.Description == "" {
		c.Description = items.Description
	}
	ownID := items.Prop(colID)
	switch {
	case p.Def != "" && t.isRoot():
		// One table for every kind: evidence, inferences.
		if s := l.shared[p.Def]; s != nil {
			t.children = append(t.children, &Table{Name: s.Name, node: items, path: path, shared: true, item: s.item})
			return nil
		}
		c.Name, c.item, c.singular, c.shared = p.Def, singular(p.Def), singular(p.Def), true
		c.Columns = []*Column{
			{Name: colRecordKind, Type: TypeString, Title: "Record kind", Required: true, src: fromParent, key: 0,
				Description: "The kind of the record the row belongs to."},
			{Name: colRecordID, Type: TypeString, Title: "Record id", Required: true, src: fromParent, key: 1,
				Description: "The id of the record the row belongs to."},
		}
		c.Columns = append(c.Columns, indexColumn())
		c.PrimaryKey = []string{colRecordKind, colRecordID, colIndex}
		l.shared[p.Def] = c
		l.sharedOrder = append(l.sharedOrder, c)
		t.children = append(t.children, &Table{Name: c.Name, node: items, path: path, shared: true, item: c.item})
		return l.object(c, items, "", nil, "", true)
	case ownID != nil:
		c.Name, c.item, c.singular, c.idDef = name, singular(name), singular(name), ownID.Def
		c.Columns = parentKeys(t)
		c.PrimaryKey = []string{colID}
	default:
		c.Name, c.item, c.singular = t.singular+"_"+name, singular(name), t.singular+"_"+singular(name)
		c.Columns = append(parentKeys(t), indexColumn())
		c.PrimaryKey = append(keyNames(c.Columns[:len(c.Columns)-1]), colIndex)
	}
	c.ForeignKeys = []ForeignKey{{Columns: keyNames(parentKeys(t)), RefTable: t.Name, RefColumns: t.PrimaryKey}}
	t.children = append(t.children, c)
	l.tables = append(l.tables, c)
	return l.object(c, items, "", nil, "", true)
}

// linkTable adds the table of an array of ids below t.
func (l *layout) linkTable(t *Table, p *schema.Property, name string, path []string, title string) error {
	c := &Table{Name: t.singular + "_" + name, Title: title, Description: p.Description, node: p.Items,
		path: path, link: true, item: singular(name), singular: t.singular + "_" + singular(name)}
	c.Columns = append(parentKeys(t), indexColumn())
	c.PrimaryKey = keyNames(c.Columns)
	typ, err := columnType(p.Items)
	if err != nil {
		return err
	}
	c.Columns = append(c.Columns, &Column{Name: singular(name), Type: typ, Title: joinTitle(title, p.Items.Title),
		Description: p.Items.Description, Required: true, Node: p.Items, src: fromItem})
	c.ForeignKeys = []ForeignKey{{Columns: keyNames(parentKeys(t)), RefTable: t.Name, RefColumns: t.PrimaryKey}}
	t.children = append(t.children, c)
	l.tables = append(l.tables, c)
	return nil
}

func (t *Table) isRoot() bool { return t.path == nil && !t.shared && t.analysis == nil }

// versionLast moves the schema_version column to the end of a record's table: it is the same
// in almost every row, and the column contract goes by name, not position.
func versionLast(t *Table) {
	for i, c := range t.Columns {
		if c.Node != nil && c.Node.Def == "schema_version" {
			t.Columns = append(append(t.Columns[:i:i], t.Columns[i+1:]...), c)
			return
		}
	}
}

// parentKeys returns the key columns a child of t starts with: t's primary key, with "id"
// and "index" named after t's item (incident_id, perpetrator_index).
func parentKeys(t *Table) []*Column {
	var out []*Column
	for i, k := range t.PrimaryKey {
		name := k
		switch k {
		case colID:
			name = t.item + "_id"
		case colIndex:
			name = t.item + "_index"
		}
		pc := t.Column(k)
		if pc == nil && k == colID {
			// The id property may come after the array in the schema; its column is not made yet.
			id := t.node.Prop(colID)
			typ, _ := columnType(id.Node)
			pc = &Column{Title: id.Title, Type: typ}
		}
		title := pc.Title
		if k == colIndex {
			title = joinTitle(t.Title, pc.Title)
		}
		c := &Column{Name: name, Type: TypeString, Required: true, src: fromParent, key: i,
			Title: title, Description: fmt.Sprintf("Key of the %s row this row belongs to (%s.%s).", t.Name, t.Name, k)}
		if pc.Type != "" {
			c.Type = pc.Type
		}
		out = append(out, c)
	}
	return out
}

func indexColumn() *Column {
	return &Column{Name: colIndex, Type: TypeInteger, Title: "Index", Required: true, src: fromIndex,
		Description: "Position of the item in its list, counted from 0 as in the JSON pointers of evidence 'supports'."}
}

func keyNames(cols []*Column) []string {
	var out []string
	for _, c := range cols {
		out = append(out, c.Name)
	}
	return out
}

// foreignKeys links every column that holds an id of a table to that table.
func (l *layout) foreignKeys() {
	byDef := map[string]*Table{}
	for _, t := range l.tables {
		def := t.idDef
		if t.isRoot() {
			if id := t.node.Prop(colID); id != nil {
				def = id.Def
			}
		}
		if def != "" {
			byDef[def] = t
		}
	}
	for _, t := range l.tables {
		for _, c := range t.Columns {
			if c.Node == nil || c.List {
				continue
			}
			ref := byDef[c.Node.Def]
			if ref == nil || (ref == t && c.Name == colID) {
				continue
			}
			t.ForeignKeys = append(t.ForeignKeys, ForeignKey{Columns: []string{c.Name}, RefTable: ref.Name, RefColumns: []string{colID}})
		}
	}
}

// columnType maps a schema node of a plain value to a Table Schema type. Partial dates
// (YYYY, YYYY-MM, YYYY-MM-DD) stay strings with their pattern; only a "date" format is a date.
func columnType(n *schema.Node) (string, error) {
	switch n.Type {
	case "string":
		if n.Format == "date" {
			return TypeDate, nil
		}
		return TypeString, nil
	case "integer":
		return TypeInteger, nil
	case "number":
		return TypeNumber, nil
	case "boolean":
		return TypeBoolean, nil
	}
	return "", fmt.Errorf("type %q cannot be a column (give the property a plain type)", n.Type)
}

func joinTitle(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + ": " + b
}

// singular makes an English plural singular, by the two rules the schema's names need:
// "casualties" → "casualty", "perpetrators" → "perpetrator"; other words stay as they are.
func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies"):
		return strings.TrimSuffix(s, "ies") + "y"
	case strings.HasSuffix(s, "ss"):
		return s
	case strings.HasSuffix(s, "s"):
		return strings.TrimSuffix(s, "s")
	}
	return s
}

// fillRecord makes the rows of one record, of its table t and its child tables, and hands
// them to emit.
func fillRecord(byName map[string]*Table, t *Table, r *datadir.Record, emit emitFunc) error {
	if err := known(t.node, r.Value); err != nil {
		return fmt.Errorf("%s: %w", r.File, err)
	}
	f := filler{byName: byName, kind: string(r.Kind), id: r.ID, emit: emit}
	if err := f.fill(t, r.Value, nil, 0); err != nil {
		return fmt.Errorf("%s: %w", r.File, err)
	}
	return nil
}

func kindOrder(k schema.Kind) int {
	for i, x := range schema.Kinds {
		if x == k {
			return i
		}
	}
	return len(schema.Kinds)
}

// known refuses a value the schema tree does not describe: the export would drop it silently.
func known(n *schema.Node, v any) error {
	var err error
	schema.Walk(n, v, func(n *schema.Node, _ any, at *schema.Path) bool {
		if n == nil && err == nil {
			err = fmt.Errorf("%s is not in the schema the export reads; validate the dataset first", at)
		}
		return err == nil
	})
	return err
}

type filler struct {
	byName map[string]*Table
	kind   string
	id     string
	emit   emitFunc
}

// fill adds the row of one item (a record, or an item of a list) to t and to its children.
func (f *filler) fill(t *Table, item any, keys []Cell, index int) error {
	row := make([]Cell, len(t.Columns))
	obj, _ := item.(map[string]any)
	for i, c := range t.Columns {
		var err error
		switch c.src {
		case fromParent:
			row[i] = keys[c.key]
		case fromIndex:
			row[i] = Cell{Value: strconv.Itoa(index)}
		case fromItem:
			row[i], err = cell(c, item)
		case fromField:
			row[i], err = cell(c, lookup(obj, c.path))
		}
		if err != nil {
			return fmt.Errorf("%s: %w", c.Name, err)
		}
	}
	if err := f.emit(t, row); err != nil {
		return err
	}
	for _, child := range t.children {
		arr, _ := lookup(obj, child.path).([]any)
		if len(arr) == 0 {
			continue
		}
		target := child
		var ckeys []Cell
		if child.shared {
			target = f.byName[child.Name]
			ckeys = []Cell{{Value: f.kind}, {Value: f.id}}
		} else {
			for _, k := range t.PrimaryKey {
				ckeys = append(ckeys, row[columnIndex(t, k)])
			}
		}
		for j, it := range arr {
			if err := f.fill(target, it, ckeys, j); err != nil {
				return err
			}
		}
	}
	return nil
}

func columnIndex(t *Table, name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

func lookup(obj map[string]any, path []string) any {
	var v any = obj
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// cell renders one value of a column.
func cell(c *Column, v any) (Cell, error) {
	if v == nil {
		return Cell{Null: true}, nil
	}
	if c.List {
		arr, ok := v.([]any)
		if !ok {
			return Cell{}, fmt.Errorf("want a list, got %T", v)
		}
		parts := make([]string, 0, len(arr))
		for _, item := range arr {
			s, err := plain(item)
			if err != nil {
				return Cell{}, err
			}
			if strings.Contains(s, Separator) {
				return Cell{}, fmt.Errorf("list item %q contains the separator %q, so it cannot be joined in one cell", s, Separator)
			}
			parts = append(parts, s)
		}
		return Cell{Value: strings.Join(parts, Separator)}, nil
	}
	s, err := plain(v)
	if err != nil {
		return Cell{}, err
	}
	if c.Type == TypeInteger {
		// JSON allows 1.0 or 1e2 for an integer; the table writes it as digits.
		if n, ok := v.(json.Number); ok {
			if d, ok := jsonpos.IntegerDigits(n); ok {
				s = d
			}
		}
	}
	return Cell{Value: s}, nil
}

func plain(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(x), nil
	}
	return "", fmt.Errorf("want a plain value, got %T", v)
}
