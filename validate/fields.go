package validate

import "github.com/apmd-data/apmd/schema"

// The wording fields: values copied from a source's words, which the agreement rules look for
// in the quotes that support them. A value of one of the shared definitions holds them as the
// members listed here; the other wording fields are named by their pointers in a kind's
// records ("*" for any array item). TestWordingFieldsInSchema fails if the schema drops one.
var (
	wordingMembers = map[string][]string{
		schema.DefCount:    {schema.FieldCountText},
		schema.DefDate:     {schema.FieldDateText},
		schema.DefLocation: {"city", "province", "place", "region"},
		schema.DefArea:     {"city", "province", "place", "region"},
	}
	wordingProperties = map[schema.Kind][]string{
		schema.Incident: {"/perpetrators/*/individual", "/casualties/*/named_victims/*/name"},
		schema.Claim:    {"/claimant/name", "/claimant/role"},
		schema.Group:    {"/name", "/names/*/name"},
	}
)
