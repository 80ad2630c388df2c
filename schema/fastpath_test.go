package schema_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/apmd-data/apmd"
	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/internal/jsonpos"
	"github.com/apmd-data/apmd/internal/synth"
	"github.com/apmd-data/apmd/schema"
)

// These tests check the fast path of Set.Validate against jsonschema/v5 alone: it must never
// call valid what v5 rejects, and should prove valid what v5 accepts (or it saves nothing).

// casesDir holds the validator's txtar cases, whose record files join the corpus.
const casesDir = "../testdata/validate"

// caseFiles returns the record files of a txtar case: path → bytes.
func caseFiles(t testing.TB, file string) map[string][]byte {
	t.Helper()
	a, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range a.Files {
		if strings.HasSuffix(f.Name, ".json") {
			out[f.Name] = f.Data
		}
	}
	return out
}

// fastKinds are the kinds whose schemas the fast-path tests check every value against.
var fastKinds = append([]schema.Kind{schema.Manifest}, schema.Kinds...)

// fastRegistry serves the released versions and the fixture 1.99.0.
func fastRegistry() *schema.Registry {
	return schema.NewRegistry(schema.FS(), os.DirFS("../testdata/schema"))
}

// fastSets returns the compiled sets of every version of the registry.
func fastSets(t testing.TB, reg *schema.Registry) []*schema.Set {
	var sets []*schema.Set
	for _, v := range reg.Versions() {
		set, err := reg.Get(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range fastKinds {
			if err := schema.FastPathError(set, k); err != nil {
				t.Fatalf("%s/%s has no fast path: %v", v, k, err)
			}
		}
		sets = append(sets, set)
	}
	return sets
}

// fastDiff compares the fast path with v5 on values and counts the outcomes.
type fastDiff struct {
	t              testing.TB
	valid, invalid int // values v5 accepts, rejects
	unsure         int // values v5 accepts that the fast path left to it
	errors         int
}

// check compares one value against one kind's schema. sure says the fast path must prove the
// value valid when v5 accepts it (false for the values it is allowed to leave to v5).
func (d *fastDiff) check(set *schema.Set, kind schema.Kind, v any, sure bool, what string) {
	gotFast, gotV5 := schema.FastValid(set, kind, v), schema.V5Valid(set, kind, v)
	switch {
	case gotV5 && gotFast:
		d.valid++
	case gotV5:
		d.unsure++
		if sure {
			d.fail("%s against %s/%s: v5 accepts it but the fast path is not sure", what, set.Version, kind)
		}
	default:
		d.invalid++
		if gotFast {
			d.fail("%s against %s/%s: the fast path says valid, v5 reports an error", what, set.Version, kind)
		}
	}
}

func (d *fastDiff) fail(format string, args ...any) {
	d.t.Helper()
	d.errors++
	d.t.Errorf(format, args...)
	if d.errors >= 20 {
		d.t.Fatal("too many errors")
	}
}

// recordFiles returns the record files of a dataset folder: path → bytes.
func recordFiles(t testing.TB, fsys fs.FS) map[string][]byte {
	entries, err := datadir.List(fsys)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		if e.Kind == "" {
			continue
		}
		b, err := fs.ReadFile(fsys, e.Path)
		if err != nil {
			t.Fatal(err)
		}
		out[e.Path] = b
	}
	return out
}

// fastCorpus gathers every record file the tests know: the bundled dataset, a synthetic dataset
// with half its records broken in every way the generator knows, the mixed-version dataset, and
// the files of every txtar case under testdata/validate. Keys name the file's origin.
func fastCorpus(t testing.TB) map[string][]byte {
	out := map[string][]byte{}
	add := func(origin string, files map[string][]byte) {
		for p, b := range files {
			out[origin+":"+p] = b
		}
	}
	add("bundled", recordFiles(t, apmd.Data()))
	add("mixed-versions", recordFiles(t, os.DirFS("../testdata/mixed-versions")))
	dir := t.TempDir()
	if err := synth.Generate(dir, synth.Options{Incidents: 300, Seed: 7, Break: 0.5}); err != nil {
		t.Fatal(err)
	}
	add("synth", recordFiles(t, os.DirFS(dir)))
	files, err := filepath.Glob(filepath.Join(casesDir, "*.txtar"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases in %s: %v", casesDir, err)
	}
	for _, file := range files {
		for name, b := range caseFiles(t, file) {
			out[filepath.Base(file)+":"+name] = b
		}
	}
	return out
}

// decodeRecord decodes a record file as the validator does (a byte-order mark dropped); ok is
// false for a file that is not JSON.
func decodeRecord(data []byte) (any, bool) {
	v, _, err := jsonpos.Decode(bytes.TrimPrefix(data, []byte("\uFEFF")))
	return v, err == nil
}

// TestFastPathCorpus checks the fast path against v5 on every record file the repository holds
// or generates, against every kind's schema of every version: it must never call valid what v5
// rejects, and must prove valid every record v5 accepts (or the validator would not use it).
func TestFastPathCorpus(t *testing.T) {
	sets := fastSets(t, fastRegistry())
	d := &fastDiff{t: t}
	corpus := fastCorpus(t)
	for _, name := range slices.Sorted(maps.Keys(corpus)) {
		v, ok := decodeRecord(corpus[name])
		if !ok {
			continue
		}
		for _, set := range sets {
			for _, k := range fastKinds {
				d.check(set, k, v, true, name)
			}
		}
	}
	t.Logf("%d files: %d checks valid, %d invalid", len(corpus), d.valid, d.invalid)
	if d.valid < 500 || d.invalid < 5000 {
		t.Errorf("the corpus exercises too little: %d valid, %d invalid checks", d.valid, d.invalid)
	}
}

// mutator changes one value of a record at a time, checks the whole record, and restores it.
type mutator struct {
	check func(what string, sure bool)
}

// Replacements every value is swapped for: other types, and the numbers and strings the
// schemas' bounds, integer type, patterns and formats care about.
var (
	anyReplacements = []any{
		nil, true, false, "", "x", map[string]any{}, []any{},
		json.Number("0"), json.Number("-0"), json.Number("-0.0"), json.Number("3"), json.Number("3.0"),
		json.Number("1e2"), json.Number("1E+2"), json.Number("-1"), json.Number("1.5"), json.Number("0.5e1"),
		json.Number("100000000"), json.Number("100000001"), json.Number("1e8"), json.Number("1.00000001e8"),
		json.Number("99999999.5"), json.Number("-1e-3"), json.Number("12345678901234567890123"),
	}
	// unsureReplacements may be left to v5 (v5 panics on the first; the second is not a type
	// a JSON decoder produces).
	unsureReplacements = []any{json.Number("1e9999999"), float64(3)}
	stringReplacements = []string{
		"src-ok", "grp-ok", "inc-ok", "clm-ok", "cas-ok", "src-Bad", "inc-ok-", "1.0.0", "1.0.1", "1.0",
		"AF", "af", "AFG", "2024", "2024-02", "2024-02-29", "2024-13-01", "2024-02-30",
		"https://example.org/a?b=c", "http://[::1", "example.org", "not a uri", "mailto:a@b.org",
		"day", "Day", "point", "interval", "group", "person", "killed", "other",
	}
	// stringLengths are the lengths around the schemas' minLength and maxLength, in code points.
	stringLengths = []int{1, 31, 32, 33, 79, 80, 81, 299, 300, 301, 3999, 4000, 4001}
	// lengthRunes fill strings of those lengths: one, two, three and four bytes each.
	lengthRunes = []string{"a", "é", "€", "😀"}
	// extraKeys are added to every object: extension keys good and bad, and an unknown property.
	extraKeys = []string{"x-ext", "x-ext-2", "x-Bad", "X-ext", "x-", "x-ext-", "x-é", "unknown", "Id"}
	// extensionKeys are the keys of the "extensions" object added to every object: its
	// propertyNames pattern and maxLength (64) decide them.
	extensionKeys = []string{"x-ext", "x-ext-2", "x-Bad", "x-", "x-é", "y-ext", "x-" + strings.Repeat("a", 62),
		"x-" + strings.Repeat("a", 63), "x-" + strings.Repeat("é", 62)}
)

// extensionObjects are the values of "extensions" added to every object: each key alone, and
// 50 and 51 keys around its maxProperties.
func extensionObjects() []map[string]any {
	var out []map[string]any
	for _, k := range extensionKeys {
		out = append(out, map[string]any{k: map[string]any{"free": []any{json.Number("1"), json.Number("1.0")}}})
	}
	for _, n := range []int{0, 50, 51} {
		m := map[string]any{}
		for i := range n {
			m[fmt.Sprintf("x-k%d", i)] = json.Number("1")
		}
		out = append(out, m)
	}
	return out
}

// walk mutates x, the value at ptr that set replaces, and everything inside it.
func (m *mutator) walk(x any, ptr string, set func(any)) {
	try := func(what string, y any, sure bool) {
		set(y)
		m.check(ptr+": "+what, sure)
		set(x)
	}
	for _, y := range anyReplacements {
		try(fmt.Sprintf("%#v", y), y, true)
	}
	for _, y := range unsureReplacements {
		try(fmt.Sprintf("%#v", y), y, false)
	}
	switch x := x.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			y := x[k]
			delete(x, k)
			m.check(ptr+": without "+k, true)
			x[k] = y
			m.walk(y, ptr+"/"+k, func(z any) { x[k] = z })
		}
		if _, ok := x["extensions"]; !ok {
			for _, ext := range extensionObjects() {
				x["extensions"] = ext
				m.check(fmt.Sprintf("%s: with %d extensions", ptr, len(ext)), true)
			}
			delete(x, "extensions")
		}
		for _, k := range extraKeys {
			if _, ok := x[k]; !ok {
				x[k] = "x"
				m.check(ptr+": with "+k, true)
				x[k] = map[string]any{"a": []any{json.Number("1")}}
				m.check(ptr+": with object "+k, true)
				delete(x, k)
			}
		}
	case []any:
		for i, y := range x {
			m.walk(y, fmt.Sprintf("%s/%d", ptr, i), func(z any) { x[i] = z })
		}
		if len(x) > 0 {
			try("first item twice", append(slices.Clone(x), x[0]), true)
			try("without first item", slices.Clone(x[1:]), true)
			try("only the first item, twice", []any{x[0], x[0]}, true)
		}
		try("1 and 1.0", []any{json.Number("1"), json.Number("1.0")}, true)
		try("1 and 2", []any{json.Number("1"), json.Number("2")}, true)
		try("strings twice", []any{"src-ok", "src-ok"}, true)
	case string:
		try("appended x", x+"x", true)
		try("appended é", x+"é", true)
		try("upper case", strings.ToUpper(x), true)
		if x != "" {
			try("last byte dropped", x[:len(x)-1], true)
		}
		for _, s := range stringReplacements {
			try(s, s, true)
		}
		for _, n := range stringLengths {
			for _, r := range lengthRunes {
				try(fmt.Sprintf("%d × %s", n, r), strings.Repeat(r, n), true)
			}
			// A valid-looking id padded to the length with multibyte characters.
			if i := strings.IndexByte(x, '-'); i > 0 && n > i+1 {
				try(fmt.Sprintf("%s padded to %d", x[:i+1], n), x[:i+1]+strings.Repeat("é", n-i-1), true)
			}
		}
	}
}

// shortSeeds is how many records TestFastPathMutations mutates in -short mode.
const shortSeeds = 3

// TestFastPathMutations changes every value of real records in the ways the schemas check
// (wrong types, integral numbers written as 3.0 or 1e2, -0, bounds, strings with multibyte
// characters at exactly maxLength, duplicate items, extra and missing properties, extension
// keys, enum, const, pattern and format misses) and checks the fast path against v5 on each.
func TestFastPathMutations(t *testing.T) {
	reg := fastRegistry()
	fastSets(t, reg)
	d := &fastDiff{t: t}
	seeds := map[string][]byte{}
	for name, b := range caseFiles(t, casesDir+"/valid.txtar") {
		seeds["valid.txtar:"+name] = b
	}
	// Two records of each kind of the bundled dataset, and the manifest.
	perKind := map[schema.Kind]int{}
	entries, err := datadir.List(apmd.Data())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Kind != "" && perKind[e.Kind] < 2 {
			perKind[e.Kind]++
			b, err := fs.ReadFile(apmd.Data(), e.Path)
			if err != nil {
				t.Fatal(err)
			}
			seeds["bundled:"+e.Path] = b
		}
	}
	mixed := recordFiles(t, os.DirFS("../testdata/mixed-versions"))
	for name, b := range mixed {
		if strings.Contains(string(b), `"1.99.0"`) {
			seeds["mixed-versions:"+name] = b
		}
	}
	names := slices.Sorted(maps.Keys(seeds))
	if testing.Short() {
		names = names[:min(len(names), shortSeeds)]
	}
	for _, name := range names {
		v, ok := decodeRecord(seeds[name])
		if !ok {
			t.Fatalf("%s: not JSON", name)
		}
		obj, _ := v.(map[string]any)
		version, _ := obj["schema_version"].(string)
		set, err := reg.Get(version)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		kind := schema.Manifest
		if !strings.HasSuffix(name, ":"+datadir.ManifestFile) {
			kind = datadir.KindOfPrefix(fmt.Sprint(obj["id"]))
		}
		root := v
		m := &mutator{check: func(what string, sure bool) { d.check(set, kind, root, sure, name+" "+what) }}
		m.check("unchanged", true)
		m.walk(v, "", func(z any) { root = z })
	}
	t.Logf("%d records mutated: %d valid, %d invalid, %d left to v5", len(names), d.valid, d.invalid, d.unsure)
	// The floors scale with the records mutated, so that -short (a few records) keeps them.
	if d.valid < 60*len(names) || d.invalid < 600*len(names) {
		t.Errorf("the mutations exercise too little: %d valid, %d invalid for %d records", d.valid, d.invalid, len(names))
	}
}

// FuzzFastPath decodes arbitrary bytes as the validator does and checks them against every
// kind's schema of every version: the fast path must never say valid where v5 reports an error
// (or panics). The seed corpus, in testdata/fuzz/FuzzFastPath, holds real records of every
// kind, so that mutations stay near valid and reach deep into the schemas.
func FuzzFastPath(f *testing.F) {
	for _, b := range caseFiles(f, casesDir+"/valid.txtar") {
		f.Add(b)
	}
	sets := fastSets(f, fastRegistry())
	f.Fuzz(func(t *testing.T, data []byte) {
		v, ok := decodeRecord(data)
		if !ok {
			return
		}
		for _, set := range sets {
			for _, k := range fastKinds {
				if schema.FastValid(set, k, v) && !schema.V5Valid(set, k, v) {
					t.Fatalf("%s/%s: the fast path says valid, v5 reports an error: %s", set.Version, k, data)
				}
			}
		}
	})
}
