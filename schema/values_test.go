package schema_test

import (
	"slices"
	"testing"

	"github.com/apmd-data/apmd/schema"
)

// TestValuesInSchema checks that every vocabulary value schema/values.go names is a value of
// the latest release where the Go code reads it.
func TestValuesInSchema(t *testing.T) {
	set, err := schema.Released().Get(schema.Released().Latest())
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []struct {
		kind   schema.Kind
		ptr    string
		values []string
	}{
		{schema.Incident, "/kind", []string{schema.KindEvent, schema.KindAggregate}},
		{schema.Incident, "/related/0/relation", []string{schema.RelationPartOf, schema.RelationIncludes, schema.RelationSameAs, schema.RelationPossiblySameAs}},
		{schema.Incident, "/perpetrators/0/attribution", []string{schema.AttributionClaimed, schema.AttributionDisputed, schema.AttributionInspired}},
		{schema.Incident, "/casualties/0/role", []string{schema.RoleTotal, schema.RoleComponent, schema.RolePartial}},
		{schema.Incident, "/casualties/0/basis", []string{schema.BasisReported, schema.BasisClaimed, schema.BasisImplied}},
		{schema.Incident, "/casualties/0/victims", []string{schema.VictimsAll}},
		{schema.Incident, "/casualties/0/count/qualifier", []string{schema.QualifierMoreThan, schema.QualifierUnspecified}},
		{schema.Incident, "/event_count/qualifier", []string{schema.QualifierMoreThan, schema.QualifierUnspecified}},
		{schema.Claim, "/type", []string{schema.ClaimResponsibility, schema.ClaimOperationsCount}},
		{schema.Claim, "/claimant/kind", []string{schema.ClaimantGroup}},
		{schema.Group, "/type", []string{schema.GroupStateActor}},
	} {
		n := set.Node(v.kind).At(v.ptr)
		for _, want := range v.values {
			if n == nil || !slices.Contains(n.Enum, want) {
				t.Errorf("%s %s: no value %q in schema %s, which the rules and the counting compare with", v.kind, v.ptr, want, set.Version)
			}
		}
	}
}
