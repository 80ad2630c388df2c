package validate

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/schema"
	"github.com/apmd-data/apmd/validate/internal/wording"
)

// patternWords says in words what a pattern of the schema asks of the values contributors type
// by hand, so that a schema finding does not show them a regular expression: by the shared
// definition the value comes from (schema.Node.Def), else by its member's name (an array item's:
// its array's). Ids are said from their kind (idWords). A pattern not listed here is shown as
// it is. TestPatternWordsInSchema keeps the keys to the latest schema.
var patternWords = map[string]string{
	"partial_date":   "a date written YYYY-MM-DD, or YYYY-MM or YYYY when the source gives no day or no month (e.g. 2024-12-11, 2024-12, 2024)",
	"schema_version": "a version written MAJOR.MINOR.PATCH (e.g. 1.1.0)",
	"version":        "a version written MAJOR.MINOR.PATCH (e.g. 1.1.0)",
	"country_code":   "a country's two-letter code in capitals (ISO 3166-1 alpha-2: AF for Afghanistan, PK for Pakistan)",
	"sha256":         "the 64 lower-case hexadecimal digits of the text's SHA-256 (what sha256sum prints before the file name)",
	"text_file":      "the name of the text file beside the record: the source's id plus .txt (e.g. src-example-gazette-market-bombing.txt)",
	"language":       "a language tag in lower case (BCP 47: en, ps, ur, fa-AF…)",
	"supports":       "a JSON pointer to a field of this record, from its root (e.g. /date, /casualties/0)",
	"field":          "a JSON pointer to a field of this record, from its root (e.g. /date, /casualties/0)",
	"name":           "lower-case letters, digits, '.', '_' and '-'",
}

// patternKey is the key of patternWords for the value at ptr whose node is n.
func patternKey(n *schema.Node, ptr string) string {
	if n != nil && n.Def != "" {
		return n.Def
	}
	toks := strings.Split(ptr, "/")
	for i := len(toks) - 1; i > 0; i-- {
		if _, err := strconv.Atoi(toks[i]); err != nil {
			return toks[i]
		}
	}
	return ""
}

// idWords says what an id of a kind is ("casualty" for a casualty figure's).
func idWords(kind string) string {
	prefix := idPrefix(kind)
	return fmt.Sprintf("%q followed by a lower-case slug (letters a–z and digits, words joined by single hyphens, e.g. %sexample-front)", prefix, prefix)
}

// idPrefix is the prefix of the ids of a kind ("casualty" for a casualty figure's).
func idPrefix(kind string) string {
	if kind == "casualty" {
		return datadir.CasualtyPrefix
	}
	return datadir.Prefix(schema.Kind(kind))
}

// mustBe says what a value that fails a pattern must be: in words when patternWords or the id
// rule says it, else the pattern itself.
func mustBe(n *schema.Node, ptr string, re *regexp.Regexp) string {
	key := patternKey(n, ptr)
	if kind, ok := strings.CutSuffix(key, "_id"); ok {
		return "it must be " + idWords(kind)
	}
	if w := patternWords[key]; w != "" {
		return "it must be " + w
	}
	if re == nil {
		return "it does not match the schema's pattern"
	}
	return "it must match " + re.String()
}

// fixFor suggests the value a contributor meant, for a value that fails a pattern: its slug
// (an id in capitals), an id given its kind's prefix, a date in the form the schema wants, the
// SHA-256 alone out of a line sha256sum printed. "" when it knows none.
func fixFor(n *schema.Node, ptr string, s string, re *regexp.Regexp) string {
	if re == nil {
		return ""
	}
	key := patternKey(n, ptr)
	var tries []string
	switch {
	case key == "partial_date":
		tries = dateFixes(s)
	case key == "sha256":
		if f := strings.Fields(s); len(f) > 0 {
			tries = append(tries, strings.ToLower(f[0]))
		}
	case key == "supports" || key == "field":
		tries = append(tries, "/"+strings.TrimLeft(s, "/"))
	case key == "text_file":
		tries = append(tries, datadir.Slug(strings.TrimSuffix(s, ".txt"))+".txt")
	}
	tries = append(tries, datadir.Slug(s))
	if kind, ok := strings.CutSuffix(key, "_id"); ok {
		tries = append(tries, idPrefix(kind)+datadir.Slug(s))
	}
	for _, t := range tries {
		if t != s && re.MatchString(t) {
			return fmt.Sprintf(" Did you mean %q?", t)
		}
	}
	if key == "partial_date" {
		return dateAmbiguity(s)
	}
	return ""
}

var (
	isoish  = regexp.MustCompile(`^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[T ].*)?$`)
	slashed = regexp.MustCompile(`^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$`)
)

// dateFixes returns the dates a contributor may have meant by a date the schema refuses:
// "2024-12-1" is 2024-12-01, "2024-12-11T10:00:00Z" 2024-12-11, "December 11, 2024" 2024-12-11.
func dateFixes(s string) []string {
	if m := isoish.FindStringSubmatch(s); m != nil {
		out := m[1] + "-" + pad2(m[2])
		if m[3] != "" {
			out += "-" + pad2(m[3])
		}
		return []string{out}
	}
	if ms := wording.Dates(s); len(ms) == 1 && ms[0].Year > 0 && ms[0].Month > 0 {
		m := ms[0]
		if m.Day > 0 {
			return []string{fmt.Sprintf("%04d-%02d-%02d", m.Year, m.Month, m.Day)}
		}
		return []string{fmt.Sprintf("%04d-%02d", m.Year, m.Month)}
	}
	return nil
}

// dateAmbiguity explains a date written with slashes or dots, whose order only its writer
// knows unless one of its numbers cannot be a month.
func dateAmbiguity(s string) string {
	m := slashed.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	a, b := pad2(m[1]), pad2(m[2])
	dayFirst, monthFirst := m[3]+"-"+b+"-"+a, m[3]+"-"+a+"-"+b
	switch {
	case a == b || a > "12":
		return fmt.Sprintf(" Did you mean %q?", dayFirst)
	case b > "12":
		return fmt.Sprintf(" Did you mean %q?", monthFirst)
	}
	return fmt.Sprintf(" Write it %s if %s is the month (as in the US), %s if it is the day.", monthFirst, m[1], dayFirst)
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}
