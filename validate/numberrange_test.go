package validate

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/apmd-data/apmd/schema"
)

// TestValidateSafely: jsonschema/v5 panics on a number math/big cannot hold; validateSafely
// turns that into an error, the net under the json-number-range rule.
func TestValidateSafely(t *testing.T) {
	set, err := schema.Get(schema.Latest())
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(`{"id": "inc-x", "casualties": [{"count": {"best": 1}}]}`), &rec); err != nil {
		t.Fatal(err)
	}
	rec["casualties"].([]any)[0].(map[string]any)["count"].(map[string]any)["best"] = json.Number("1e9999999")
	err = validateSafely(set.Schema(schema.Incident), rec)
	if err == nil || !strings.Contains(err.Error(), "the schema library failed on it") {
		t.Errorf("validateSafely = %v, want the library's panic as an error", err)
	}
}
