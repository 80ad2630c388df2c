package validate

import "github.com/apmd-data/apmd/schema"

// The fields the cross-field rules read. Field names, types and vocabularies otherwise come
// from the schema; these few are what a rule is about (a quote, a date's bounds, a count's
// bounds), so they are named once, here, and TestFieldsInSchema fails if the schema drops one.
const (
	fID            = "id"
	fSchemaVersion = "schema_version"
	fEvidence      = "evidence"
	fEvSource      = "source"
	fEvQuote       = "quote"
	fEvSupports    = "supports"
	fInferences    = "inferences"
	fInfField      = "field"
	fTextFile      = "text_file"
	fSHA256        = "sha256"
	fPublished     = "published"
	fName          = "name"
	fNames         = "names"
	fCasualties    = "casualties"
	fComponentOf   = "component_of"
	fCount         = "count"

	// Members of the shared definitions "date" and "count".
	fDateType      = "type"
	fDateValue     = "value"
	fDateStart     = "start"
	fDateEnd       = "end"
	fDatePrecision = "precision"
	fLow           = "low"
	fBest          = "best"
	fHigh          = "high"
	fQualifier     = "qualifier"
	fCountText     = "text"
	fDateText      = "text"

	// Names of shared definitions (schema.Node.Def) the rules look for.
	defDate        = "date"
	defDateReading = "date_reading"
	defCount       = "count"
	defLocation    = "location"
	defArea        = "area"

	// The fields of schema 1.1.0 the coding and attribution rules read: a date's reading, an
	// aggregate's event count, a casualty figure's role, basis and claim, the perpetrators, and
	// the sources of a group's areas and relations.
	fReading      = "reading"
	fKind         = "kind"
	fEventCount   = "event_count"
	fRole         = "role"
	fBasis        = "basis"
	fClaim        = "claim"
	fSource       = "source"
	fPerpetrators = "perpetrators"
	fGroup        = "group"
	fIndividual   = "individual"
	fAttribution  = "attribution"
	fClaims       = "claims"
	fAreas        = "areas"
	fRelations    = "relations"
	fSources      = "sources"
	fType         = "type"
	fClaimant     = "claimant"
	fIncidents    = "incidents"
)

// The wording fields: values copied from a source's words, which the agreement rules look for
// in the quotes that support them. A value of one of the shared definitions holds them as the
// members listed here; the other wording fields are named by their pointers in a kind's
// records ("*" for any array item). TestWordingFieldsInSchema fails if the schema drops one.
var (
	wordingMembers = map[string][]string{
		defCount:    {fCountText},
		defDate:     {fDateText},
		defLocation: {"city", "province", "place", "region"},
		defArea:     {"city", "province", "place", "region"},
	}
	wordingProperties = map[schema.Kind][]string{
		schema.Incident: {"/perpetrators/*/individual", "/casualties/*/named_victims/*/name"},
		schema.Claim:    {"/claimant/name", "/claimant/role"},
		schema.Group:    {"/name", "/names/*/name"},
	}
)
