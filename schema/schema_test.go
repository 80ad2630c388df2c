package schema

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

func TestVersionsCompile(t *testing.T) {
	vs := Released().Versions()
	if len(vs) == 0 {
		t.Fatal("no released schema versions embedded")
	}
	for _, v := range vs {
		s, err := Released().Get(v)
		if err != nil {
			t.Fatalf("Released().Get(%s): %v", v, err)
		}
		for _, k := range append([]Kind{Manifest}, Kinds...) {
			if s.compiled[k] == nil || s.Node(k) == nil {
				t.Errorf("%s/%s: missing compiled schema or tree", v, k)
			}
		}
	}
}

// TestMetaschema validates every embedded schema document against the draft 2020-12
// metaschema explicitly (compiling does too, but this fails with the metaschema's own message).
func TestMetaschema(t *testing.T) {
	meta, err := jsonschema.NewCompiler().Compile("https://json-schema.org/draft/2020-12/schema")
	if err != nil {
		t.Fatal(err)
	}
	err = fs.WalkDir(files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(files, path)
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		if err := meta.Validate(v); err != nil {
			t.Errorf("%s is not a valid draft 2020-12 schema: %#v", path, err)
		}
		var doc struct {
			Schema string `json:"$schema"`
			ID     string `json:"$id"`
		}
		json.Unmarshal(b, &doc)
		if doc.Schema != "https://json-schema.org/draft/2020-12/schema" {
			t.Errorf("%s: $schema = %q, want draft 2020-12", path, doc.Schema)
		}
		if doc.ID != BaseURL+path {
			t.Errorf("%s: $id = %q, want %q (it must contain the version)", path, doc.ID, BaseURL+path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDocumented checks that every property has a title and a description and every
// vocabulary value its own definition, since the codebook and the exports read them.
func TestDocumented(t *testing.T) {
	for _, v := range Released().Versions() {
		s, _ := Released().Get(v)
		for _, k := range append([]Kind{Manifest}, Kinds...) {
			walkNodes(s.Node(k), string(k), func(path string, n *Node) {
				if len(n.Enum) > 0 {
					if len(n.Vocabulary) != len(n.Enum) {
						t.Errorf("%s %s: %d enum values but %d definitions in %s", v, path, len(n.Enum), len(n.Vocabulary), KeyVocabulary)
					}
					for _, e := range n.Enum {
						if strings.TrimSpace(n.Vocabulary[e]) == "" {
							t.Errorf("%s %s: enum value %q has no definition", v, path, e)
						}
					}
				}
				for _, p := range n.Properties {
					if p.Title == "" || p.Description == "" {
						t.Errorf("%s %s/%s: missing title or description", v, path, p.Name)
					}
				}
			})
		}
	}
}

func walkNodes(n *Node, path string, fn func(string, *Node)) {
	if n == nil {
		return
	}
	fn(path, n)
	for _, p := range n.Properties {
		walkNodes(p.Node, path+"/"+p.Name, fn)
	}
	walkNodes(n.Items, path+"/*", fn)
}

func TestNoNetworkOrDisk(t *testing.T) {
	c := compiler(Released().load)
	if err := c.AddResource("mem://x.json", strings.NewReader(`{"$ref": "file:///etc/passwd"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Compile("mem://x.json"); err == nil || !strings.Contains(err.Error(), "never fetches") {
		t.Errorf("a $ref to a local file compiled or failed for another reason: %v", err)
	}
	if _, err := Released().Get("9.9.9"); err == nil {
		t.Error("Get of an unreleased version succeeded")
	}
}

func TestFormatAsserted(t *testing.T) {
	s, err := Released().Get(Released().Latest())
	if err != nil {
		t.Fatal(err)
	}
	rec := map[string]any{
		"id": "src-x", "schema_version": Released().Latest(), "kind": "news_report", "language": "en",
		"text_file": "src-x.txt", "sha256": strings.Repeat("a", 64), "url": "not a url at all",
		"evidence": []any{map[string]any{"source": "src-x", "quote": "abc", "supports": []any{"/kind"}}},
	}
	if err := s.compiled[Source].Validate(rec); err == nil {
		t.Error("a source with url 'not a url at all' validated: format is not asserted")
	}
	rec["url"] = "https://example.org/a"
	if err := s.compiled[Source].Validate(rec); err != nil {
		t.Errorf("a valid source failed: %v", err)
	}
}

func TestFactPointers(t *testing.T) {
	s, _ := Released().Get(Released().Latest())
	var rec any
	json.Unmarshal([]byte(`{"id":"inc-a","title":"t","date":{"type":"point","value":"2024"},
		"locations":[{"precision":"country","country":"AF"},{"precision":"unknown"}],
		"casualties":[{"id":"cas-a","count":{"qualifier":"exact","text":"1","best":1},"outcome":"killed"}]}`), &rec)
	got := strings.Join(FactPointers(s.Node(Incident), rec), " ")
	want := "/casualties/0/count /casualties/0/outcome /date /locations/0 /locations/1"
	if got != want {
		t.Errorf("FactPointers = %q, want %q", got, want)
	}
}

func TestCompareVersions(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{{"1.0.0", "1.0.0", 0}, {"1.0.0", "1.1.0", -1}, {"1.10.0", "1.9.9", 1}, {"2.0.0", "10.0.0", -1}} {
		if got := CompareVersions(c.a, c.b); got != c.want {
			t.Errorf("CompareVersions(%s, %s) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
	for _, bad := range []string{"1.0", "v1.0.0", "01.0.0", "1.0.0-rc1", ""} {
		if _, err := ParseVersion(bad); err == nil {
			t.Errorf("ParseVersion(%q) accepted a non-canonical version", bad)
		}
	}
}

// TestValidateSafely: jsonschema/v5 panics on a number math/big cannot hold; Validate turns
// that into an error, the net under the validator's json-number-range rule.
func TestValidateSafely(t *testing.T) {
	set, err := Released().WithoutFastPath().Get(Released().Latest())
	if err != nil {
		t.Fatal(err)
	}
	rec := map[string]any{"id": "inc-x", "casualties": []any{map[string]any{"count": map[string]any{"best": json.Number("1e9999999")}}}}
	err = set.Validate(Incident, rec)
	if err == nil || !strings.Contains(err.Error(), "the schema library failed on it") {
		t.Errorf("Validate = %v, want the library's panic as an error", err)
	}
}
