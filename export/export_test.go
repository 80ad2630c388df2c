package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/apmd-data/apmd"
	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/export/golden")

const (
	fixtureDir = "../testdata/export/fixture"
	goldenDir  = "../testdata/export/golden"
)

// load reads a dataset folder and checks every record against its schema, so that a broken
// fixture fails here rather than as a puzzling export difference.
func load(t testing.TB, fsys fs.FS) *datadir.Dataset {
	t.Helper()
	d, errs := datadir.Load(fsys)
	if len(errs) > 0 {
		t.Fatalf("load: %v", errs)
	}
	for _, r := range append([]*datadir.Record{d.Manifest}, d.Records...) {
		set, err := schema.Released().Get(r.Version)
		if err != nil {
			t.Fatal(err)
		}
		if err := set.Validate(r.Kind, r.Value); err != nil {
			t.Fatalf("%s: %v", r.File, err)
		}
	}
	return d
}

func build(t testing.TB, fsys fs.FS) *Export {
	t.Helper()
	e, err := Build(load(t, fsys))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// exportTo writes every format of the fixture into a new folder and returns it.
func exportTo(t *testing.T, e *Export, opts Options) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := Write(dir, e, Formats, opts); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestGolden(t *testing.T) {
	e := build(t, os.DirFS(fixtureDir))
	dir := exportTo(t, e, Options{})
	got := readDir(t, dir)
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
}

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, en := range entries {
		b, err := os.ReadFile(filepath.Join(dir, en.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[en.Name()] = b
	}
	return out
}

// TestDeterministic exports twice, from records loaded in different orders, and compares bytes.
func TestDeterministic(t *testing.T) {
	d := load(t, os.DirFS(fixtureDir))
	e1, err := Build(d)
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(d.Records)
	e2, err := Build(d)
	if err != nil {
		t.Fatal(err)
	}
	a, b := readDir(t, exportTo(t, e1, Options{})), readDir(t, exportTo(t, e2, Options{}))
	if len(a) != len(e1.Tables)+2 {
		t.Errorf("wrote %d files, want %d (one CSV per table, the workbook, the descriptor)", len(a), len(e1.Tables)+2)
	}
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s: two exports of the same data differ", name)
		}
	}
}

// readCSV reads one exported table back with encoding/csv.
func readCSV(t reporter, path string) (header []string, rows [][]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v", err)
	}
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(recs) == 0 {
		t.Fatalf("%s: no header row", path)
	}
	return recs[0], recs[1:]
}

// unneutralize undoes Neutralize.
func unneutralize(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune(formulaTriggers, rune(s[1])) {
		return s[1:]
	}
	return s
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
			d := load(t, tc.fsys)
			e, err := Build(d)
			if err != nil {
				t.Fatal(err)
			}
			dir := exportTo(t, e, tc.opts)
			csvs := map[string][]map[string]*string{}
			byName := map[string]*Table{}
			for _, tb := range e.Tables {
				byName[tb.Name] = tb
				header, rows := readCSV(t, filepath.Join(dir, tb.Name+".csv"))
				if !slices.Equal(header, keyNames(tb.Columns)) {
					t.Fatalf("%s: header %v, want %v", tb.Name, header, keyNames(tb.Columns))
				}
				for _, r := range rows {
					m := map[string]*string{}
					for i, v := range r {
						if v == "" {
							continue
						}
						if !tc.opts.NoNeutralize && tb.Columns[i].Type == TypeString {
							v = unneutralize(v)
						}
						m[header[i]] = &v
					}
					csvs[tb.Name] = append(csvs[tb.Name], m)
				}
			}
			rebuilt := 0
			for _, tb := range e.Tables {
				if !tb.isRoot() {
					continue
				}
				for _, row := range csvs[tb.Name] {
					got := rebuild(t, byName, tb, row, csvs, string(kindOfTable(tb)), *row[colID])
					r := d.ByID(*row[colID])
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
			if rebuilt != len(d.Records) {
				t.Errorf("rebuilt %d records from the CSV files, the dataset has %d", rebuilt, len(d.Records))
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
	for _, v := range []string{"=1+1", "+1", "-5", "@SUM(A1)", "\tx", "\rx", "plain", "'=quoted", ""} {
		tb.Rows = append(tb.Rows, []Cell{{Value: v}, {Value: "-5"}, {Value: "-1.5"}})
	}
	var buf bytes.Buffer
	if err := CSV(&buf, tb, Options{}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"'=1+1", "'+1", "'-5", "'@SUM(A1)", "'\tx", "'\rx", "plain", "'=quoted", ""}
	for i, r := range recs[1:] {
		if r[0] != want[i] {
			t.Errorf("text %q written as %q, want %q", tb.Rows[i][0].Value, r[0], want[i])
		}
		if r[1] != "-5" || r[2] != "-1.5" {
			t.Errorf("numbers altered: %q %q", r[1], r[2])
		}
	}
	buf.Reset()
	if err := CSV(&buf, tb, Options{NoNeutralize: true, BOM: true}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Error("--bom: no byte order mark")
	}
	if !strings.Contains(buf.String(), "\n=1+1,-5,-1.5\n") {
		t.Errorf("--no-neutralize: cell altered:\n%s", buf.String())
	}
}

// TestSchemaDrivesColumns adds properties to a copy of the schema and checks that they
// become columns, with their type, description and allowed values, without Go changes.
func TestSchemaDrivesColumns(t *testing.T) {
	v := schema.Released().Latest()
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
	nodes := map[schema.Kind]*schema.Node{}
	for _, k := range schema.Kinds {
		n, err := schema.TreeFromFS(os.DirFS(fsys), v, k)
		if err != nil {
			t.Fatal(err)
		}
		nodes[k] = n
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
		if f := tableField(c); f.Constraints == nil || !slices.Equal(f.Constraints.Enum, []string{"rifle", "knife"}) {
			t.Errorf("Table Schema field: %+v", f)
		}
	}
	// The unchanged schema has none of them: the columns come from the edit, not from Go.
	orig, err := Layout(latestNodes(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range orig {
		if tb.Column("weapon") != nil || tb.Column("count_unit") != nil {
			t.Errorf("%s already has the test's columns", tb.Name)
		}
	}
}

func latestNodes(t *testing.T) map[schema.Kind]*schema.Node {
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
	e := build(t, os.DirFS(fixtureDir))
	t.Run("out is a file", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "file")
		os.WriteFile(f, []byte("x"), 0o644)
		_, err := Write(f, e, Formats, Options{})
		var oe *OutError
		if !errors.As(err, &oe) || oe.Path != f || !strings.Contains(err.Error(), "--out") {
			t.Errorf("got %v, want an OutError naming %s and --out", err, f)
		}
	})
	t.Run("failure keeps the earlier export", func(t *testing.T) {
		dir := exportTo(t, e, Options{})
		before := readDir(t, dir)
		// Two tables whose names share their first 31 characters cannot both be sheets:
		// the workbook fails after the CSV files are staged.
		long := strings.Repeat("x", 40)
		bad := *e
		bad.Tables = append(slices.Clone(e.Tables), &Table{Name: long + "a", Columns: e.Tables[0].Columns}, &Table{Name: long + "b", Columns: e.Tables[0].Columns})
		if _, err := Write(dir, &bad, Formats, Options{}); err == nil {
			t.Fatal("no error")
		}
		after := readDir(t, dir)
		if !reflect.DeepEqual(before, after) {
			var names []string
			for n := range after {
				names = append(names, n)
			}
			sort.Strings(names)
			t.Errorf("the failed export changed the folder: %v", names)
		}
	})
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
	d := load(t, os.DirFS(fixtureDir))
	r := d.OfKind(schema.Incident)[0]
	m := r.Value.(map[string]any)
	m["weapon"] = "rifle"
	_, err := Build(d)
	if !errors.Is(err, ErrData) || !strings.Contains(err.Error(), "/weapon") || !strings.Contains(err.Error(), r.File) {
		t.Errorf("got %v, want a data error naming %s and /weapon", err, r.File)
	}
}
