package validate

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apmd-data/apmd/internal/synth"
)

// TestSynthBreaks is the generator's oracle: in a synthetic dataset with a tenth of its
// records broken, every broken file must get the rule its break names (and no other), and no
// other file any finding. It keeps the break → rule table of the generator true.
func TestSynthBreaks(t *testing.T) {
	dir := t.TempDir()
	if err := synth.Generate(dir, synth.Options{Incidents: 3000, Seed: 5, Break: 0.1}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, synth.BreaksFile))
	if err != nil {
		t.Fatal(err)
	}
	breaks, err := synth.ReadBreaks(data)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Dir(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{} // file → rules reported
	for _, f := range r.Findings {
		got[f.File] = append(got[f.File], f.Rule)
	}
	kinds := map[string]bool{}
	for _, b := range breaks {
		kinds[b.Break] = true
		rules := got[b.File]
		if !slices.Contains(rules, b.Rule) {
			t.Errorf("%s: broken by %s, but no %s finding (got %v)", b.File, b.Break, b.Rule, rules)
		}
		for _, rule := range rules {
			if rule != b.Rule {
				t.Errorf("%s: broken by %s, also has a %s finding", b.File, b.Break, rule)
			}
		}
		delete(got, b.File)
	}
	for file, rules := range got {
		t.Errorf("%s: not broken, but has findings %v", file, rules)
	}
	for _, k := range synth.BreakKinds() {
		if !kinds[k.Name] {
			t.Errorf("no record broken by %s", k.Name)
		}
	}
	t.Logf("%d broken files, %d findings", len(breaks), len(r.Findings))
}
