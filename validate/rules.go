package validate

// Severity says whether a finding makes the dataset invalid.
type Severity string

// The severities. Only errors make a dataset invalid (exit 1); warnings are shown and allowed.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Rule is one check. Its ID never changes once released: contributors and CI scripts match on it.
type Rule struct {
	ID       string
	Doc      string
	Severity Severity
	// Category groups the rules in the documentation: files, schema, integrity, evidence, consistency, coding.
	Category string
}

// The rules, as named values (in the manner of go/analysis analyzers): each check refers to
// its rule, and Rules lists them for --list-rules, the table of docs/validate.md and the fixture test.
var (
	ruleManifestMissing = &Rule{"manifest-missing", "the dataset folder has no dataset.json manifest", Error, "files"}
	ruleNotUTF8         = &Rule{"file-not-utf8", "a record file or a source text is not valid UTF-8", Error, "files"}
	ruleBOM             = &Rule{"file-bom", "a record file starts with a byte-order mark", Error, "files"}
	ruleJSONSyntax      = &Rule{"json-syntax", "a record file is not valid JSON", Error, "files"}
	ruleNumberRange     = &Rule{"json-number-range", "a number whose exponent is too large to be compared exactly (such as 1e9999999)", Error, "files"}
	ruleDuplicateKey    = &Rule{"json-duplicate-key", "a key occurs twice in one JSON object (the last value would silently win)", Error, "files"}
	ruleFileNameID      = &Rule{"file-name-id", "a record's file is not named <id>.json", Error, "files"}
	ruleWrongFolder     = &Rule{"file-wrong-folder", "a record sits in another kind's folder (its id prefix says where it belongs)", Error, "files"}
	ruleCaseCollision   = &Rule{"file-case-collision", "two file names differ only in case (one file on macOS and Windows)", Error, "files"}
	ruleUnexpected      = &Rule{"file-unexpected", "a file that is neither the manifest, a record, nor a source text named by a source record", Error, "files"}
	ruleNotRegular      = &Rule{"file-not-regular", "an entry of the dataset folder is a symbolic link, a named pipe, a device or a socket (it is never read)", Error, "files"}
	ruleNameInvalid     = &Rule{"file-name-invalid", "a file name Go modules cannot hold (a ' for one): go install leaves the file out, and a build of apmd that embeds the data fails", Error, "files"}
	ruleTooLarge        = &Rule{"file-too-large", "a record file larger than 8 MiB, or a source text larger than 16 MiB (it is not read)", Error, "files"}
	ruleControlChar     = &Rule{"text-control-character", "a string of a record holds a control character other than tab, line feed and carriage return, U+FFFE, U+FFFF or a lone surrogate", Error, "files"}

	ruleVersionUnknown = &Rule{"schema-version-unknown", "a record declares a schema_version that is not released", Error, "schema"}
	ruleSchema         = &Rule{"schema", "a record does not match the schema of the version it declares", Error, "schema"}

	ruleIDDuplicate    = &Rule{"id-duplicate", "two records (or two casualty figures) share an id", Error, "integrity"}
	ruleRefUnresolved  = &Rule{"ref-unresolved", "a reference to a source, group, incident, claim or casualty figure that does not exist", Error, "integrity"}
	ruleRefSelf        = &Rule{"ref-self", "a record (or casualty figure) refers to itself where that makes no sense", Error, "integrity"}
	ruleGroupNameShare = &Rule{"group-name-shared", "one name is listed by two groups", Error, "integrity"}

	ruleQuoteNotFound      = &Rule{"quote-not-found", "an evidence quote does not occur in its source's text (white space aside)", Error, "evidence"}
	ruleSupportsUnresolved = &Rule{"supports-unresolved", "an evidence 'supports' pointer names no value of the record", Error, "evidence"}
	ruleInferenceUnres     = &Rule{"inference-unresolved", "an inference 'field' pointer names no value of the record", Error, "evidence"}
	ruleFactUnsupported    = &Rule{"fact-unsupported", "a fact-bearing field is neither supported by a quote nor named in inferences", Error, "evidence"}
	ruleSourceSHA256       = &Rule{"source-sha256", "a source text's SHA-256 differs from the one its record gives", Error, "evidence"}
	ruleSourceTextMissing  = &Rule{"source-text-missing", "a source record's text_file does not exist", Error, "evidence"}
	ruleSourceTextOrphan   = &Rule{"source-text-orphan", "a text in sources/ that no source record names as its text_file", Warning, "evidence"}
	ruleSourceTextName     = &Rule{"source-text-name", "a source record's text_file is not the name of a .txt file beside the record (it is never read)", Error, "evidence"}
	ruleSourceTextID       = &Rule{"source-text-id", "a source record's text_file is not <id>.txt, named after the record's own id (so two sources cannot share a text)", Error, "evidence"}
	ruleWordingNotQuoted   = &Rule{"wording-not-quoted", "a fact's wording (a count's or a date's text, a place, a name) does not occur in the quotes that support it, and it is not an inference", Error, "evidence"}
	ruleWordingDropsQual   = &Rule{"wording-drops-qualifier", "the quote qualifies a count's wording (\"over\" before \"113 people\") but the wording leaves the qualifier out", Error, "evidence"}

	ruleDateInvalid      = &Rule{"date-invalid", "a date that does not exist in the calendar (e.g. 2024-02-30)", Error, "consistency"}
	ruleDatePrecision    = &Rule{"date-precision", "a point date's precision does not match how much of the date is given", Error, "consistency"}
	ruleIntervalOrder    = &Rule{"interval-order", "an interval ends before it starts", Error, "consistency"}
	ruleCountOrder       = &Rule{"count-order", "a count's bounds are not ordered low <= best <= high", Error, "consistency"}
	ruleCountQualifier   = &Rule{"count-qualifier", "a count's bounds do not follow the rule documented for its qualifier", Error, "consistency"}
	ruleComponentsExceed = &Rule{"components-exceed-total", "the components of a casualty total add up to more than the total", Warning, "consistency"}
	ruleEventAfterSource = &Rule{"event-after-source", "a date falls after the publication of the source that reports it", Error, "consistency"}
	ruleQualifierWording = &Rule{"qualifier-wording", "a count's qualifier is not the one its wording's words imply (\"over 113\" is more_than, \"dozens\" is many)", Error, "consistency"}
	ruleDateWording      = &Rule{"date-wording", "a date's value disagrees with the date its wording names (month, day, year; an interval must contain it)", Error, "consistency"}
	ruleIntervalValue    = &Rule{"date-interval-value", "an interval date has a 'value' (an interval has start and end, a point has value)", Error, "consistency"}

	ruleReadingNotInferred = &Rule{"reading-not-inferred", "a date's reading (the curators' estimate) is not named in inferences", Error, "coding"}
	ruleReadingOutside     = &Rule{"reading-outside-bounds", "a date's reading reaches beyond the date's strict bounds", Error, "coding"}
	ruleFigureRole         = &Rule{"figure-role", "a casualty figure's role disagrees with component_of (a component, and only a component, names a total of the same source)", Error, "coding"}
	ruleFigureBasis        = &Rule{"figure-basis", "a casualty figure's basis disagrees with its claim (a figure resting on a claim, and only such a figure, names it)", Error, "coding"}
	ruleEventCountSingle   = &Rule{"event-count-single", "a single event (kind event) has an event count, which only an aggregate has", Error, "coding"}
	rulePerpetratorEmpty   = &Rule{"perpetrator-empty", "a perpetrator names neither a group nor an individual, or a group that only inspired the attack is also its perpetrator", Error, "coding"}
	ruleProvenance         = &Rule{"provenance-unsupported", "a source listed for a group's area or relation has no quote that supports it", Error, "coding"}
	ruleClaimAttribution   = &Rule{"claim-attribution", "a 'claimed' perpetrator and a claim of responsibility do not name each other, or an incident rests on a claim that is not about it", Error, "coding"}
)

var rules = []*Rule{
	ruleManifestMissing, ruleNotUTF8, ruleBOM, ruleJSONSyntax, ruleNumberRange, ruleDuplicateKey, ruleFileNameID,
	ruleWrongFolder, ruleCaseCollision, ruleUnexpected, ruleNotRegular, ruleNameInvalid, ruleTooLarge, ruleControlChar,
	ruleVersionUnknown, ruleSchema,
	ruleIDDuplicate, ruleRefUnresolved, ruleRefSelf, ruleGroupNameShare,
	ruleQuoteNotFound, ruleSupportsUnresolved, ruleInferenceUnres, ruleFactUnsupported, ruleSourceSHA256,
	ruleSourceTextMissing, ruleSourceTextOrphan, ruleSourceTextName, ruleSourceTextID, ruleWordingNotQuoted, ruleWordingDropsQual,
	ruleDateInvalid, ruleDatePrecision, ruleIntervalOrder, ruleCountOrder, ruleCountQualifier,
	ruleComponentsExceed, ruleEventAfterSource, ruleIntervalValue, ruleQualifierWording, ruleDateWording,
	ruleReadingNotInferred, ruleReadingOutside, ruleFigureRole, ruleFigureBasis, ruleEventCountSingle,
	rulePerpetratorEmpty, ruleProvenance, ruleClaimAttribution,
}

// Rules returns every rule, grouped by category, in a stable order.
func Rules() []Rule {
	out := make([]Rule, len(rules))
	for i, r := range rules {
		out[i] = *r
	}
	return out
}

// checks lists every check, in the order they run on a record: the json check first, since it
// decodes the record for the others. The cross-record parts run in the same order: agreement
// after sources, whose quote-not-found findings it reads.
var checks = []*Check{jsonCheck, textCheck, placeCheck, schemaCheck, evidenceCheck, datesCheck, countsCheck,
	codingCheck, refsCheck, attributionCheck, namesCheck, sourcesCheck, agreementCheck, layoutCheck}

func init() {
	for _, c := range checks {
		if c.Facts != nil {
			c.Facts.setSlot(factSlots)
			factSlots++
		}
	}
}
