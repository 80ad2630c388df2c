package validate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/apmd-data/apmd/schema"
)

// rulesTable renders Rules() as the Markdown table of docs/validate.md.
func rulesTable() string {
	var b strings.Builder
	b.WriteString("| rule | severity | category | what it reports |\n|---|---|---|---|\n")
	for _, r := range Rules() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.ID, r.Severity, r.Category, strings.ReplaceAll(r.Doc, "|", `\\|`))
	}
	return b.String()
}

// TestRulesDoc fails when the rule table of docs/validate.md differs from Rules(); -update
// rewrites it.
func TestRulesDoc(t *testing.T) {
	const file = "../docs/validate.md"
	const begin, end = "<!-- rules:begin -->\n", "<!-- rules:end -->"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("%s: no %q … %q markers", file, begin, end)
	}
	got, want := s[i+len(begin):j], rulesTable()
	if got == want {
		return
	}
	if *update {
		if err := os.WriteFile(file, []byte(s[:i+len(begin)]+want+s[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the rule table of docs/validate.md is out of date with Rules(); run go test ./validate -run TestRulesDoc -update\n--- docs/validate.md\n%s--- Rules()\n%s", got, want)
}

// TestWordingFieldsInSchema checks that the wording fields the agreement rules read exist in the
// latest schema: each shared definition with the members fields.go names, and each named
// property of a kind.
func TestWordingFieldsInSchema(t *testing.T) {
	set, err := schema.Released().Get(schema.Released().Latest())
	if err != nil {
		t.Fatal(err)
	}
	defs := map[string]*schema.Node{}
	for _, k := range schema.Kinds {
		var visit func(n *schema.Node, depth int)
		visit = func(n *schema.Node, depth int) {
			if n == nil || depth > 8 {
				return
			}
			if n.Def != "" && defs[n.Def] == nil {
				defs[n.Def] = n
			}
			for _, p := range n.Properties {
				visit(p.Node, depth+1)
			}
			visit(n.Items, depth+1)
		}
		visit(set.Node(k), 0)
	}
	for def, members := range wordingMembers {
		n := defs[def]
		if n == nil {
			t.Errorf("no value of the latest schema is the shared definition %q, whose %v the agreement rules read", def, members)
			continue
		}
		for _, m := range members {
			if p := n.Prop(m); p == nil || p.Type != "string" {
				t.Errorf("shared definition %q has no string member %q, which the agreement rules read", def, m)
			}
		}
	}
	for kind, patterns := range wordingProperties {
		for _, pat := range patterns {
			if n := set.Node(kind).At(strings.ReplaceAll(pat, "*", "0")); n == nil || n.Type != "string" {
				t.Errorf("%s schema has no string at %s, which the agreement rules read", kind, pat)
			}
		}
	}
}

// TestPatternWordsInSchema: every key of patternWords names a shared definition or a member
// of the latest schema that has a pattern, so that no explanation outlives its pattern.
func TestPatternWordsInSchema(t *testing.T) {
	set, err := schema.Released().Get(schema.Released().Latest())
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, k := range append([]schema.Kind{schema.Manifest}, schema.Kinds...) {
		var visit func(n *schema.Node, name string, depth int)
		visit = func(n *schema.Node, name string, depth int) {
			if n == nil || depth > 10 {
				return
			}
			if n.Pattern != "" {
				found[n.Def], found[name] = true, true
			}
			for _, p := range n.Properties {
				visit(p.Node, p.Name, depth+1)
			}
			visit(n.Items, name, depth+1)
		}
		visit(set.Node(k), "", 0)
	}
	for key := range patternWords {
		if !found[key] {
			t.Errorf("patternWords explains %q, which is no shared definition or member with a pattern in the latest schema", key)
		}
	}
}

// TestQualifierRulesCoverSchema fails when the schema's count qualifiers and the rules differ.
func TestQualifierRulesCoverSchema(t *testing.T) {
	set, err := schema.Released().Get(schema.Released().Latest())
	if err != nil {
		t.Fatal(err)
	}
	n := set.Node(schema.Incident).At("/" + schema.FieldCasualties + "/0/" + schema.FieldCount + "/" + schema.FieldQualifier)
	if n == nil || len(n.Enum) == 0 {
		t.Fatal("no qualifier enum in the schema")
	}
	for _, q := range n.Enum {
		if qualifierRules[q] == nil {
			t.Errorf("qualifier %q of the schema has no rule in qualifierRules", q)
		}
	}
	if len(qualifierRules) != len(n.Enum) {
		t.Errorf("qualifierRules has %d qualifiers, the schema %d", len(qualifierRules), len(n.Enum))
	}
}

// TestGolden checks the three reporters on one case with findings of both severities.
func TestGolden(t *testing.T) {
	_, fsys, _ := loadCase(t, casesDir+"/contributor-typos.txtar")
	fsys["sources/src-other.txt"] = &fstest.MapFile{Data: []byte("Another article.\n")} // a warning, too
	r, err := Dataset(fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Stats.Errors == 0 || r.Stats.Warnings == 0 {
		t.Fatalf("want errors and warnings, got %+v", r.Stats)
	}
	for _, g := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"report.txt", func(b *bytes.Buffer) error { return WriteText(b, r) }},
		{"report.json", func(b *bytes.Buffer) error { return WriteJSON(b, r) }},
		{"report.github", func(b *bytes.Buffer) error { return WriteGitHub(b, r.WithPathPrefix("dataset")) }},
	} {
		var b bytes.Buffer
		if err := g.write(&b); err != nil {
			t.Fatal(err)
		}
		file := casesDir + "/golden/" + g.name
		if *update {
			if err := os.MkdirAll(casesDir+"/golden", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s differs (run with -update to accept)\n--- got\n%s--- want\n%s", g.name, b.Bytes(), want)
		}
	}
}

func TestJSONShape(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, &Report{}); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["valid"] != true || doc["findings"] == nil {
		t.Errorf("an empty report must be valid with an empty findings list: %s", b.Bytes())
	}
}

func TestGitHubEscaping(t *testing.T) {
	r := &Report{Findings: []Finding{{File: "a,b:c%.json", Line: 1, Column: 2, Rule: "schema", Severity: Error,
		Message: "100% wrong\r\nsecond line: a, b"}}}
	var b bytes.Buffer
	if err := WriteGitHub(&b, r); err != nil {
		t.Fatal(err)
	}
	want := "::error file=a%2Cb%3Ac%25.json,line=1,col=2,title=schema::100%25 wrong%0D%0Asecond line: a, b\n"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
}
