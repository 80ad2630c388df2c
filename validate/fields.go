package validate

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

	// Names of shared definitions (schema.Node.Def) the rules look for.
	defDate  = "date"
	defCount = "count"
)
