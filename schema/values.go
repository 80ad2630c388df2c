package schema

// Vocabulary values the Go code compares records with: validate's coding and attribution rules
// and export's counting rule. The schema defines them (each with its description, in
// x-vocabulary); they are named here once, so that both packages compare with the same
// strings, and TestValuesInSchema fails if the latest release no longer has one where it is
// read.
const (
	// incident /kind
	KindEvent     = "event"
	KindAggregate = "aggregate"

	// incident /related/*/relation
	RelationPartOf         = "part_of"
	RelationIncludes       = "includes"
	RelationSameAs         = "same_as"
	RelationPossiblySameAs = "possibly_same_as"

	// incident /perpetrators/*/attribution
	AttributionClaimed  = "claimed"
	AttributionDisputed = "disputed"
	AttributionInspired = "inspired"

	// incident /casualties/*/role, /basis and /victims
	RoleTotal     = "total"
	RoleComponent = "component"
	RolePartial   = "partial"
	BasisReported = "reported"
	BasisClaimed  = "claimed"
	BasisImplied  = "implied"
	VictimsAll    = "all_victims"

	// a count's qualifier (the shared count definition)
	QualifierMoreThan    = "more_than"
	QualifierUnspecified = "unspecified"

	// claim /type and /claimant/kind
	ClaimResponsibility  = "responsibility"
	ClaimOperationsCount = "operations_count"
	ClaimantGroup        = "group"

	// group /type
	GroupStateActor = "state_actor"
)
