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

// TestFieldsInSchema checks that the fields fields.go names (the ones validate's rules and
// export's counting read) exist in the latest release where they are read.
func TestFieldsInSchema(t *testing.T) {
	set, err := schema.Released().Get(schema.Released().Latest())
	if err != nil {
		t.Fatal(err)
	}
	has := func(k schema.Kind, ptr string) bool { return set.Node(k).At(ptr) != nil }
	checks := []struct {
		kind schema.Kind
		ptr  string
	}{
		{schema.Source, "/" + schema.FieldID}, {schema.Source, "/" + schema.FieldSchemaVersion},
		{schema.Source, "/" + schema.FieldEvidence + "/0/" + schema.FieldEvidenceSource}, {schema.Source, "/" + schema.FieldEvidence + "/0/" + schema.FieldQuote},
		{schema.Source, "/" + schema.FieldEvidence + "/0/" + schema.FieldSupports}, {schema.Source, "/" + schema.FieldInferences + "/0/" + schema.FieldInferenceField},
		{schema.Source, "/" + schema.FieldTextFile}, {schema.Source, "/" + schema.FieldSHA256}, {schema.Source, "/" + schema.FieldPublished},
		{schema.Group, "/" + schema.FieldName}, {schema.Group, "/" + schema.FieldNames + "/0/" + schema.FieldName},
		{schema.Incident, "/" + schema.FieldCasualties + "/0/" + schema.FieldComponentOf}, {schema.Incident, "/" + schema.FieldCasualties + "/0/" + schema.FieldCount},
		{schema.Incident, "/" + schema.FieldDate + "/" + schema.FieldReading}, {schema.Incident, "/" + schema.FieldKind}, {schema.Incident, "/" + schema.FieldEventCount},
		{schema.Incident, "/" + schema.FieldCasualties + "/0/" + schema.FieldRole}, {schema.Incident, "/" + schema.FieldCasualties + "/0/" + schema.FieldBasis},
		{schema.Incident, "/" + schema.FieldCasualties + "/0/" + schema.FieldClaim}, {schema.Incident, "/" + schema.FieldCasualties + "/0/" + schema.FieldSource},
		{schema.Incident, "/" + schema.FieldCasualties + "/0/" + schema.FieldOutcome}, {schema.Incident, "/" + schema.FieldCasualties + "/0/" + schema.FieldVictims},
		{schema.Incident, "/" + schema.FieldCasualties + "/0/" + schema.FieldID},
		{schema.Incident, "/" + schema.FieldTitle}, {schema.Incident, "/" + schema.FieldDate}, {schema.Group, "/" + schema.FieldType},
		{schema.Incident, "/" + schema.FieldRelated + "/0/" + schema.FieldRelation}, {schema.Incident, "/" + schema.FieldRelated + "/0/" + schema.FieldIncident},
		{schema.Incident, "/" + schema.FieldPerpetrators + "/0/" + schema.FieldGroup}, {schema.Incident, "/" + schema.FieldPerpetrators + "/0/" + schema.FieldIndividual},
		{schema.Incident, "/" + schema.FieldPerpetrators + "/0/" + schema.FieldAttribution}, {schema.Incident, "/" + schema.FieldPerpetrators + "/0/" + schema.FieldClaims},
		{schema.Group, "/" + schema.FieldAreas + "/0/" + schema.FieldSources}, {schema.Group, "/" + schema.FieldRelations + "/0/" + schema.FieldSources},
		{schema.Claim, "/" + schema.FieldType}, {schema.Claim, "/" + schema.FieldClaimant + "/" + schema.FieldGroup}, {schema.Claim, "/" + schema.FieldIncidents},
	}
	for _, m := range []string{schema.FieldDateType, schema.FieldDateValue, schema.FieldDateStart, schema.FieldDateEnd, schema.FieldDatePrecision} {
		checks = append(checks, struct {
			kind schema.Kind
			ptr  string
		}{schema.Incident, "/" + schema.FieldDate + "/" + m})
	}
	for _, m := range []string{schema.FieldDateValue, schema.FieldDateStart, schema.FieldDateEnd, schema.FieldDatePrecision} {
		checks = append(checks, struct {
			kind schema.Kind
			ptr  string
		}{schema.Incident, "/" + schema.FieldDate + "/" + schema.FieldReading + "/" + m})
	}
	for _, m := range []string{schema.FieldLow, schema.FieldBest, schema.FieldHigh, schema.FieldQualifier, schema.FieldCountText} {
		checks = append(checks, struct {
			kind schema.Kind
			ptr  string
		}{schema.Incident, "/" + schema.FieldCasualties + "/0/" + schema.FieldCount + "/" + m})
	}
	for _, c := range checks {
		if !has(c.kind, c.ptr) {
			t.Errorf("%s schema has no %s, which the rules or the counting read", c.kind, c.ptr)
		}
	}
	if n := set.Node(schema.Incident).At("/date"); n == nil || n.Def != schema.DefDate {
		t.Errorf("incident /date is not the shared definition %q", schema.DefDate)
	}
	if n := set.Node(schema.Incident).At("/" + schema.FieldCasualties + "/0/" + schema.FieldCount); n == nil || n.Def != schema.DefCount {
		t.Errorf("casualty count is not the shared definition %q", schema.DefCount)
	}
}
