package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/apmd-data/apmd"
	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/internal/jsonpos"
	"github.com/apmd-data/apmd/schema"
)

// TestGolden exports the fixture and compares every file with its golden copy, byte for byte.
func TestGolden(t *testing.T) {
	e := exportTo(t, os.DirFS(fixtureDir), Options{})
	got := readDir(t, e.dir)
	if *update {
		os.RemoveAll(goldenDir)
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range got {
			if err := os.WriteFile(filepath.Join(goldenDir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	want := readDir(t, goldenDir)
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("%s: not written any more", name)
		}
	}
	for name, b := range got {
		w, ok := want[name]
		switch {
		case !ok:
			t.Errorf("%s: written but has no golden file (run go test ./export -update)", name)
		case !bytes.Equal(b, w):
			t.Errorf("%s differs from %s (run go test ./export -update and review the diff)", name, filepath.Join(goldenDir, name))
		}
	}
	rows := 0
	for _, r := range e.rows {
		rows += len(r)
	}
	if len(e.w.Files) != len(want) || e.w.Tables != len(e.book.tables) || e.w.Rows != rows {
		t.Errorf("reported %d files, %d tables, %d rows; want %d, %d, %d", len(e.w.Files), e.w.Tables, e.w.Rows, len(want), len(e.book.tables), rows)
	}
}

// TestDeterministic exports the fixture twice, the second time from a copy whose record files
// sit in sub-folders by year, and compares the bytes.
func TestDeterministic(t *testing.T) {
	moved := t.TempDir()
	if err := os.CopyFS(moved, os.DirFS(fixtureDir)); err != nil {
		t.Fatal(err)
	}
	for _, k := range schema.Kinds {
		files, _ := filepath.Glob(filepath.Join(moved, datadir.Folder(k), "*.json"))
		for i, f := range files {
			sub := filepath.Join(filepath.Dir(f), strconv.Itoa(2000+len(files)-i))
			os.MkdirAll(sub, 0o755)
			if k != schema.Source { // a source's text stays beside it
				if err := os.Rename(f, filepath.Join(sub, filepath.Base(f))); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	e1, e2 := exportTo(t, os.DirFS(fixtureDir), Options{}), exportTo(t, os.DirFS(moved), Options{})
	a, b := readDir(t, e1.dir), readDir(t, e2.dir)
	if len(a) != len(e1.book.tables)+2 {
		t.Errorf("wrote %d files, want %d (one CSV per table, the workbook, the descriptor)", len(a), len(e1.book.tables)+2)
	}
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s: two exports of the same data differ", name)
		}
	}
}

// TestRoundTripCSV rebuilds every record from the CSV files alone (guided by the layout's
// column paths and child tables) and compares it with the record as loaded, extensions aside:
// every cell of every table must carry its value back.
func TestRoundTripCSV(t *testing.T) {
	for _, tc := range []struct {
		name string
		fsys fs.FS
		opts Options
	}{
		{"fixture", os.DirFS(fixtureDir), Options{}},
		{"fixture-bom-raw", os.DirFS(fixtureDir), Options{BOM: true, NoNeutralize: true}},
		{"embedded", apmd.Data(), Options{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs := records(t, tc.fsys)
			e := exportRecords(t, recs, tc.opts)
			byID := map[string]*datadir.Record{}
			for _, r := range recs {
				byID[r.ID] = r
			}
			csvs := map[string][]map[string]*string{}
			byName := map[string]*Table{}
			for _, tb := range e.book.tables {
				byName[tb.Name] = tb
				header, _ := readCSV(t, filepath.Join(e.dir, tb.Name+".csv"))
				if !slices.Equal(header, keyNames(tb.Columns)) {
					t.Fatalf("%s: header %v, want %v", tb.Name, header, keyNames(tb.Columns))
				}
				for _, r := range e.rows[tb.Name] {
					m := map[string]*string{}
					for i, c := range r {
						if !c.Null {
							m[header[i]] = &c.Value
						}
					}
					csvs[tb.Name] = append(csvs[tb.Name], m)
				}
			}
			rebuilt := 0
			for _, tb := range e.book.tables {
				if !tb.isRoot() {
					continue
				}
				for _, row := range csvs[tb.Name] {
					got := rebuild(t, byName, tb, row, csvs, string(kindOfTable(tb)), *row[colID])
					r := byID[*row[colID]]
					if r == nil {
						t.Fatalf("%s: row for unknown id %s", tb.Name, *row[colID])
					}
					want := withoutFreeObjects(tb.node, r.Value)
					if !reflect.DeepEqual(got, want) {
						gj, _ := json.MarshalIndent(got, "", " ")
						wj, _ := json.MarshalIndent(want, "", " ")
						t.Errorf("%s: rebuilt from CSV:\n%s\nwant:\n%s", r.File, gj, wj)
					}
					rebuilt++
				}
			}
			if rebuilt != len(recs)-1 {
				t.Errorf("rebuilt %d records from the CSV files, the dataset has %d", rebuilt, len(recs)-1)
			}
		})
	}
}

func kindOfTable(t *Table) schema.Kind {
	for _, k := range schema.Kinds {
		if datadir.Folder(k) == t.Name {
			return k
		}
	}
	return ""
}

// rebuild turns one CSV row (and the rows of its child tables) back into JSON values.
func rebuild(t *testing.T, byName map[string]*Table, tb *Table, row map[string]*string, csvs map[string][]map[string]*string, kind, id string) map[string]any {
	obj := map[string]any{}
	for _, c := range tb.Columns {
		if c.src != fromField || row[c.Name] == nil {
			continue
		}
		setPath(obj, c.path, typed(t, c, *row[c.Name]))
	}
	for _, child := range tb.children {
		var keys map[string]string
		target := child
		if child.shared {
			// The child entry only points to the one table every kind shares.
			target = byName[child.Name]
			keys = map[string]string{colRecordKind: kind, colRecordID: id}
		} else {
			keys = map[string]string{}
			parent := parentKeys(tb)
			for i, k := range tb.PrimaryKey {
				keys[parent[i].Name] = *row[k]
			}
		}
		var items []any
		for _, crow := range csvs[child.Name] {
			match := true
			for k, v := range keys {
				if crow[k] == nil || *crow[k] != v {
					match = false
				}
			}
			if !match {
				continue
			}
			if idx := crow[colIndex]; idx != nil && *idx != strconv.Itoa(len(items)) {
				t.Fatalf("%s: index %s out of order", child.Name, *idx)
			}
			if child.link {
				items = append(items, typed(t, child.Columns[len(child.Columns)-1], *crow[child.Columns[len(child.Columns)-1].Name]))
				continue
			}
			items = append(items, rebuild(t, byName, target, crow, csvs, kind, id))
		}
		if len(items) > 0 {
			setPath(obj, child.path, items)
		}
	}
	return obj
}

func typed(t *testing.T, c *Column, s string) any {
	if c.List {
		var out []any
		for _, p := range strings.Split(s, Separator) {
			out = append(out, p)
		}
		return out
	}
	switch c.Type {
	case TypeInteger, TypeNumber:
		return json.Number(s)
	case TypeBoolean:
		b, err := strconv.ParseBool(s)
		if err != nil {
			t.Fatalf("%s: %q is not a boolean", c.Name, s)
		}
		return b
	}
	return s
}

func setPath(obj map[string]any, path []string, v any) {
	for _, k := range path[:len(path)-1] {
		next, ok := obj[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			obj[k] = next
		}
		obj = next
	}
	obj[path[len(path)-1]] = v
}

// withoutFreeObjects drops what the export leaves out on purpose: objects without declared
// properties (extensions).
func withoutFreeObjects(n *schema.Node, v any) any {
	switch val := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, pv := range val {
			p := n.Prop(k)
			if p != nil && p.Type == "object" && len(p.Properties) == 0 {
				continue
			}
			if p == nil {
				out[k] = pv
				continue
			}
			out[k] = withoutFreeObjects(p.Node, pv)
		}
		return out
	case []any:
		out := make([]any, len(val))
		for i, item := range val {
			out[i] = withoutFreeObjects(n.Items, item)
		}
		return out
	}
	return v
}

func TestNeutralize(t *testing.T) {
	tb := &Table{Name: "t", Columns: []*Column{
		{Name: "text", Type: TypeString}, {Name: "n", Type: TypeInteger}, {Name: "x", Type: TypeNumber},
	}}
	texts := []string{"=1+1", "+1", "-5", "@SUM(A1)", "\tx", "\rx", "plain", "'=quoted", ""}
	write := func(opts Options) string {
		var buf bytes.Buffer
		cw, err := startCSV(&buf, tb, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range texts {
			if err := cw.write([]Cell{{Value: v}, {Value: "-5"}, {Value: "-1.5"}}); err != nil {
				t.Fatal(err)
			}
		}
		return buf.String()
	}
	recs, err := csv.NewReader(strings.NewReader(write(Options{}))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// A text starting with ' gets one more, so that undoing is one rule: drop a leading '.
	want := []string{"'=1+1", "'+1", "'-5", "'@SUM(A1)", "'\tx", "'\rx", "plain", "''=quoted", ""}
	for i, r := range recs[1:] {
		if r[0] != want[i] {
			t.Errorf("text %q written as %q, want %q", texts[i], r[0], want[i])
		}
		if r[1] != "-5" || r[2] != "-1.5" {
			t.Errorf("numbers altered: %q %q", r[1], r[2])
		}
	}
	// Undoing is one rule, whatever the text: every string of these characters comes back.
	alphabet := []string{"=", "+", "-", "@", "\t", "\r", "\n", ",", ";", "'", "\"", "a", " "}
	var check func(s string, depth int)
	check = func(s string, depth int) {
		if got := unneutralize(Neutralize(s)); got != s {
			t.Fatalf("unneutralize(Neutralize(%q)) = %q", s, got)
		}
		if depth < 4 {
			for _, c := range alphabet {
				check(s+c, depth+1)
			}
		}
	}
	check("", 0)
	raw := write(Options{NoNeutralize: true, BOM: true})
	if !strings.HasPrefix(raw, "\uFEFF") {
		t.Error("--bom: no byte order mark")
	}
	if !strings.Contains(raw, "\n\"=1+1\",-5,-1.5\n") {
		t.Errorf("--no-neutralize: cell altered:\n%s", raw)
	}
}

// TestSchemaDrivesColumns adds properties to a copy of the schema and checks that they
// become columns, with their type, description and allowed values, without Go changes.
func TestSchemaDrivesColumns(t *testing.T) {
	// A released version, pinned: it never changes, so the properties the test adds stay new to
	// it whatever later versions add (a real "weapon" in 1.2.0 must not fail this test).
	const v = "1.1.0"
	fsys := copyFS(t, schema.FS())
	edit(t, fsys, v+"/incident.schema.json", func(doc map[string]any) {
		props := doc["properties"].(map[string]any)
		props["weapon"] = map[string]any{"title": "Weapon", "description": "The weapon the source names.",
			"type": "string", "enum": []any{"rifle", "knife"}, "x-vocabulary": map[string]any{"rifle": "A long gun.", "knife": "A blade."}}
		props["suicide"] = map[string]any{"title": "Suicide attack", "description": "Whether the attacker meant to die.", "type": "boolean"}
	})
	edit(t, fsys, v+"/defs.schema.json", func(doc map[string]any) {
		count := doc["$defs"].(map[string]any)["count"].(map[string]any)["properties"].(map[string]any)
		count["unit"] = map[string]any{"title": "Unit", "description": "What is counted.", "type": "string"}
	})
	set, err := schema.NewRegistry(os.DirFS(fsys)).Get(v)
	if err != nil {
		t.Fatal(err)
	}
	nodes := map[schema.Kind]*schema.Node{}
	for _, k := range schema.Kinds {
		nodes[k] = set.Node(k)
	}
	tables, err := Layout(nodes)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*Table{}
	for _, tb := range tables {
		byName[tb.Name] = tb
	}
	for _, want := range []struct{ table, column, typ string }{
		{"incidents", "weapon", TypeString},
		{"incidents", "suicide", TypeBoolean},
		{"casualties", "count_unit", TypeString},
		{"claims", "count_unit", TypeString},
	} {
		c := byName[want.table].Column(want.column)
		if c == nil {
			t.Errorf("%s has no column %s after the schema gained it", want.table, want.column)
			continue
		}
		if c.Type != want.typ || c.Description == "" {
			t.Errorf("%s.%s: type %q description %q", want.table, want.column, c.Type, c.Description)
		}
	}
	if c := byName["incidents"].Column("weapon"); c != nil {
		if got := allowedValues(c); got != "rifle: A long gun.\nknife: A blade." {
			t.Errorf("codebook allowed values: %q", got)
		}
		if f := tableField(c, true); f.Constraints == nil || !slices.Equal(f.Constraints.Enum, []string{"rifle", "knife"}) {
			t.Errorf("Table Schema field: %+v", f)
		}
	}
	// The unchanged schema has none of them: the columns come from the edit, not from Go.
	pinned, err := schema.Released().Get(v)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range schema.Kinds {
		nodes[k] = pinned.Node(k)
	}
	orig, err := Layout(nodes)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range orig {
		if tb.Column("weapon") != nil || tb.Column("count_unit") != nil {
			t.Errorf("%s already has the test's columns", tb.Name)
		}
	}
}

func latestNodes(t testing.TB) map[schema.Kind]*schema.Node {
	set, err := schema.Released().Get(schema.Released().Latest())
	if err != nil {
		t.Fatal(err)
	}
	nodes := map[schema.Kind]*schema.Node{}
	for _, k := range append([]schema.Kind{schema.Manifest}, schema.Kinds...) {
		nodes[k] = set.Node(k)
	}
	return nodes
}

func copyFS(t *testing.T, src fs.FS) string {
	dir := t.TempDir()
	if err := os.CopyFS(dir, src); err != nil {
		t.Fatal(err)
	}
	return dir
}

func edit(t *testing.T, dir, name string, f func(map[string]any)) {
	p := filepath.Join(dir, name)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	f(doc)
	b, err = json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLayoutNames pins the table names and keys the README documents.
func TestLayoutNames(t *testing.T) {
	tables, err := Layout(latestNodes(t))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, tb := range tables {
		got[tb.Name] = strings.Join(tb.PrimaryKey, ",")
		if len(SheetName(tb.Name)) > maxSheetName {
			t.Errorf("%s: sheet name too long", tb.Name)
		}
	}
	for name, pk := range map[string]string{
		"sources": "id", "groups": "id", "group_names": "group_id,index", "group_relations": "group_id,index",
		"incidents": "id", "incident_perpetrators": "incident_id,index", "casualties": "id", "claims": "id",
		"evidence": "record_kind,record_id,index", "inferences": "record_kind,record_id,index",
		"claim_incidents": "claim_id,index", "claim_groups": "claim_id,index",
		"incident_perpetrator_claims": "incident_id,perpetrator_index,index",
		"casualty_named_victims":      "casualty_id,index", "incident_locations": "incident_id,index",
	} {
		if got[name] != pk {
			t.Errorf("table %s: primary key %q, want %q", name, got[name], pk)
		}
	}
}

func TestWriteErrors(t *testing.T) {
	recs := records(t, os.DirFS(fixtureDir))
	t.Run("out is a file", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "file")
		os.WriteFile(f, []byte("x"), 0o644)
		err := NewStream(f, Formats, Options{}).Add(recs[0])
		var oe *OutError
		if !errors.As(err, &oe) || oe.Path != f || !strings.Contains(err.Error(), "--out") {
			t.Errorf("got %v, want an OutError naming %s and --out", err, f)
		}
	})
	t.Run("failure keeps the earlier export", func(t *testing.T) {
		dir := exportRecords(t, recs, Options{}).dir
		before := readDir(t, dir)
		// A list item holding the separator cannot be joined in one cell: the export fails
		// after the files of the records before it are staged.
		bad := slices.Clone(recs)
		src := recordOf(t, bad, schema.Source)
		bad[slices.Index(bad, src)] = &datadir.Record{Kind: src.Kind, File: src.File, ID: src.ID, Version: src.Version,
			Doc: &jsonpos.Doc{Value: withMember(src.Value, "author", []any{"A | B"})}}
		s := NewStream(dir, Formats, Options{})
		for _, r := range bad {
			s.Add(r)
		}
		if _, err := s.Close(); !errors.Is(err, ErrData) {
			t.Fatalf("got %v, want ErrData", err)
		}
		after := readDir(t, dir)
		if !reflect.DeepEqual(before, after) {
			t.Errorf("the failed export changed the folder: %v", mapKeys(after))
		}
	})
	t.Run("invalid data leaves no folder", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "dist")
		s := NewStream(out, Formats, Options{})
		for _, r := range recs {
			s.Add(r)
		}
		s.Abort()
		if _, err := os.Stat(out); err == nil {
			t.Error("an aborted export left its folder")
		}
	})
}

// withMember returns a copy of a record's value with one member set.
func withMember(v any, name string, value any) any {
	m := map[string]any{}
	for k, x := range v.(map[string]any) {
		m[k] = x
	}
	m[name] = value
	return m
}

func mapKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestSeparatorRefused(t *testing.T) {
	c := &Column{Name: "l", List: true, Type: TypeString}
	if _, err := cell(c, []any{"a | b"}); err == nil {
		t.Error("an item holding the separator was joined")
	}
	if got, err := cell(c, []any{"a", "b"}); err != nil || got.Value != "a | b" {
		t.Errorf("got %v %v", got, err)
	}
}

func TestUnknownFieldRefused(t *testing.T) {
	recs := records(t, os.DirFS(fixtureDir))
	r := recordOf(t, recs, schema.Incident)
	r.Value = withMember(r.Value, "weapon", "rifle")
	s := NewStream(t.TempDir(), Formats, Options{})
	var err error
	for _, rec := range recs {
		if err = s.Add(rec); err != nil {
			break
		}
	}
	if !errors.Is(err, ErrData) || !strings.Contains(err.Error(), "/weapon") || !strings.Contains(err.Error(), r.File) {
		t.Errorf("got %v, want a data error naming %s and /weapon", err, r.File)
	}
	s.Abort()
}

// TestOrderRefused: the export takes records in id order within each kind, as the validator
// hands them over; another order is refused rather than written, and leaves nothing behind.
func TestOrderRefused(t *testing.T) {
	recs := records(t, os.DirFS(fixtureDir))
	i := slices.IndexFunc(recs, func(r *datadir.Record) bool { return r.Kind == schema.Incident })
	recs[i], recs[i+1] = recs[i+1], recs[i]
	out := t.TempDir()
	s := NewStream(out, Formats, Options{})
	for _, r := range recs {
		s.Add(r)
	}
	_, err := s.Close()
	if !errors.Is(err, ErrData) || !strings.Contains(err.Error(), recs[i].File) || !strings.Contains(err.Error(), "id order") {
		t.Errorf("got %v, want a data error naming %s", err, recs[i].File)
	}
	if left := readDir(t, out); len(left) != 0 {
		t.Errorf("files left in the output folder: %d", len(left))
	}
}
