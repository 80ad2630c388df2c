package schema

// The fields the Go code reads by name: validate's cross-field rules and export's counting rule.
// Field names, types and vocabularies otherwise come from the schema; these few are what a rule
// is about (a quote, a date's bounds, a count's bounds, a figure's role), so they are named once,
// here, and TestFieldsInSchema fails if the latest release drops one.
const (
	FieldID             = "id"
	FieldSchemaVersion  = "schema_version"
	FieldEvidence       = "evidence"
	FieldEvidenceSource = "source"
	FieldQuote          = "quote"
	FieldSupports       = "supports"
	FieldInferences     = "inferences"
	FieldInferenceField = "field"
	FieldTextFile       = "text_file"
	FieldSHA256         = "sha256"
	FieldPublished      = "published"
	FieldName           = "name"
	FieldNames          = "names"
	FieldCasualties     = "casualties"
	FieldComponentOf    = "component_of"
	FieldCount          = "count"

	// Members of the shared definitions "date" and "count".
	FieldDateType      = "type"
	FieldDateValue     = "value"
	FieldDateStart     = "start"
	FieldDateEnd       = "end"
	FieldDatePrecision = "precision"
	FieldLow           = "low"
	FieldBest          = "best"
	FieldHigh          = "high"
	FieldQualifier     = "qualifier"
	FieldCountText     = "text"
	FieldDateText      = "text"

	// Names of shared definitions (schema.Node.Def) the rules look for.
	DefDate        = "date"
	DefDateReading = "date_reading"
	DefCount       = "count"
	DefLocation    = "location"
	DefArea        = "area"

	// The fields of schema 1.1.0 the coding and attribution rules read: a date's reading, an
	// aggregate's event count, a casualty figure's role, basis and claim, the perpetrators, and
	// the sources of a group's areas and relations.
	FieldReading      = "reading"
	FieldKind         = "kind"
	FieldEventCount   = "event_count"
	FieldRole         = "role"
	FieldBasis        = "basis"
	FieldClaim        = "claim"
	FieldSource       = "source"
	FieldPerpetrators = "perpetrators"
	FieldGroup        = "group"
	FieldIndividual   = "individual"
	FieldAttribution  = "attribution"
	FieldClaims       = "claims"
	FieldAreas        = "areas"
	FieldRelations    = "relations"
	FieldSources      = "sources"
	FieldType         = "type"
	FieldClaimant     = "claimant"
	FieldIncidents    = "incidents"

	// What export's counting rule and analysis tables read besides: a casualty figure's outcome
	// and victims, an incident's title, date and related incidents.
	FieldOutcome  = "outcome"
	FieldVictims  = "victims"
	FieldTitle    = "title"
	FieldDate     = "date"
	FieldRelated  = "related"
	FieldRelation = "relation"
	FieldIncident = "incident"
)
