package export

import (
	"testing"

	"github.com/apmd-data/apmd/validate"
)

// TestFixturesValidate keeps the export fixtures valid data: the exporter is only ever fed a
// dataset the validator accepts, so a fixture that a new rule rejects tests nothing real.
func TestFixturesValidate(t *testing.T) {
	for _, dir := range []string{"../testdata/export/fixture", countingDir} {
		rep, err := validate.Dir(dir, validate.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range rep.Findings {
			t.Errorf("%s/%s:%d:%d: %s %s: %s", dir, f.File, f.Line, f.Column, f.Severity, f.Rule, f.Message)
		}
	}
}
