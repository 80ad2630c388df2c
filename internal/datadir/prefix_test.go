package datadir_test

import (
	"strings"
	"testing"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/schema"
)

// TestPrefixesAreTheSchemas: the id prefixes the folder model and the validator's messages use
// are the ones the schema's id patterns require, in every release.
func TestPrefixesAreTheSchemas(t *testing.T) {
	reg := schema.Released()
	for _, v := range reg.Versions() {
		set, err := reg.Get(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range schema.Kinds {
			n := set.Node(k).At("/id")
			if n == nil || !strings.HasPrefix(n.Pattern, "^"+datadir.Prefix(k)) {
				t.Errorf("schema %s: a %s's id pattern is not ^%s…: %+v", v, k, datadir.Prefix(k), n)
			}
		}
		if n := set.Node(schema.Incident).At("/casualties/0/id"); n == nil || !strings.HasPrefix(n.Pattern, "^"+datadir.CasualtyPrefix) {
			t.Errorf("schema %s: a casualty figure's id pattern is not ^%s…", v, datadir.CasualtyPrefix)
		}
	}
}
