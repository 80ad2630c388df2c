package export

import (
	"bytes"
	"encoding/json"
	"regexp/syntax"
	"slices"
	"strings"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/schema"
)

// Frictionless Data Package v2 profiles (https://datapackage.org/standard/).
const (
	profilePackage  = "https://datapackage.org/profiles/2.0/datapackage.json"
	profileResource = "https://datapackage.org/profiles/2.0/dataresource.json"
	profileTable    = "https://datapackage.org/profiles/2.0/tableschema.json"
	profileDialect  = "https://datapackage.org/profiles/2.0/tabledialect.json"
)

// FileInfo is what the descriptor says of a written CSV file.
type FileInfo struct {
	Bytes  int64
	SHA256 string // lower-case hex
}

// The descriptor's members, in the order the standard lists them.
type pkg struct {
	Schema      string      `json:"$schema"`
	Name        string      `json:"name,omitempty"`
	Title       string      `json:"title,omitempty"`
	Description string      `json:"description,omitempty"`
	Homepage    string      `json:"homepage,omitempty"`
	Version     string      `json:"version,omitempty"`
	Licenses    []license   `json:"licenses,omitempty"`
	Sources     []pkgSource `json:"sources,omitempty"`
	Resources   []resource  `json:"resources"`
}

type license struct {
	Name string `json:"name"`
}

type pkgSource struct {
	Title string `json:"title"`
	Path  string `json:"path,omitempty"`
}

type resource struct {
	Schema      string      `json:"$schema"`
	Name        string      `json:"name"`
	Type        string      `json:"type"`
	Path        string      `json:"path"`
	Title       string      `json:"title,omitempty"`
	Description string      `json:"description,omitempty"`
	Format      string      `json:"format"`
	Mediatype   string      `json:"mediatype"`
	Encoding    string      `json:"encoding"`
	Bytes       int64       `json:"bytes"`
	Hash        string      `json:"hash"`
	Dialect     dialect     `json:"dialect"`
	TableSchema tableSchema `json:"schema"`
}

// dialect says how the CSV files differ from the standard's defaults: LF line ends (see CSV).
type dialect struct {
	Schema         string `json:"$schema"`
	LineTerminator string `json:"lineTerminator"`
}

type tableSchema struct {
	Schema        string       `json:"$schema"`
	Fields        []field      `json:"fields"`
	MissingValues []string     `json:"missingValues"`
	PrimaryKey    []string     `json:"primaryKey"`
	ForeignKeys   []foreignKey `json:"foreignKeys,omitempty"`
}

type field struct {
	Name        string       `json:"name"`
	Type        string       `json:"type"`
	Format      string       `json:"format,omitempty"`
	Title       string       `json:"title,omitempty"`
	Description string       `json:"description,omitempty"`
	Constraints *constraints `json:"constraints,omitempty"`
	Categories  []string     `json:"categories,omitempty"`
}

type constraints struct {
	Required  bool     `json:"required,omitempty"`
	Unique    bool     `json:"unique,omitempty"`
	Enum      []string `json:"enum,omitempty"`
	Pattern   string   `json:"pattern,omitempty"`
	MinLength *int     `json:"minLength,omitempty"`
	MaxLength *int     `json:"maxLength,omitempty"`
	Minimum   *float64 `json:"minimum,omitempty"`
	Maximum   *float64 `json:"maximum,omitempty"`
}

type foreignKey struct {
	Fields    []string  `json:"fields"`
	Reference reference `json:"reference"`
}

type reference struct {
	Resource string   `json:"resource"`
	Fields   []string `json:"fields"`
}

// dataPackage returns datapackage.json for the CSV files of the tables: one tabular resource
// per table with its Table Schema (types, descriptions, constraints, primary and foreign
// keys), and each file's size and SHA-256. The package's name, title, description,
// homepage and version are the manifest's members of the same names; its license is the
// manifest's data license; its sources are the dataset's source documents (see sourceOf), as
// collected while the rows were written.
func dataPackage(e *book, files map[string]FileInfo, sources []pkgSource, opts Options) ([]byte, error) {
	p := pkg{
		Schema:      profilePackage,
		Name:        e.manifestValue("name"),
		Title:       e.manifestValue("title"),
		Description: e.manifestValue("description"),
		Homepage:    e.manifestValue("homepage"),
		Version:     e.manifestValue("version"),
	}
	if l := e.manifestValue("license", "data"); l != "" {
		p.Licenses = []license{{Name: l}}
	}
	p.Sources = sources
	for _, t := range e.tables {
		info := files[t.Name]
		r := resource{
			Schema: profileResource, Name: t.Name, Type: "table", Path: t.Name + ".csv",
			Title: t.Title, Description: resourceDescription(t, opts),
			Format: "csv", Mediatype: "text/csv", Encoding: "utf-8",
			Bytes: info.Bytes, Hash: "sha256:" + info.SHA256,
			Dialect:     dialect{Schema: profileDialect, LineTerminator: "\n"},
			TableSchema: tableSchema{Schema: profileTable, MissingValues: []string{""}, PrimaryKey: t.PrimaryKey},
		}
		for _, c := range t.Columns {
			r.TableSchema.Fields = append(r.TableSchema.Fields, tableField(c, !opts.NoNeutralize))
		}
		for _, fk := range t.ForeignKeys {
			r.TableSchema.ForeignKeys = append(r.TableSchema.ForeignKeys,
				foreignKey{Fields: fk.Columns, Reference: reference{Resource: fk.RefTable, Fields: fk.RefColumns}})
		}
		p.Resources = append(p.Resources, r)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func resourceDescription(t *Table, opts Options) string {
	d := t.Description
	if !opts.NoNeutralize {
		d = strings.TrimSpace(d + " " + neutralizeNote)
	}
	return d
}

// neutralizeNote tells a reader of the descriptor what Neutralize did, and how to undo it.
const neutralizeNote = "So that no spreadsheet runs a text cell as a formula, whatever separator it splits lines at, a single quote (') is put before = + - @ tab, carriage return, ' or \" where one starts a text cell or follows a comma, semicolon, tab or line break in it: to get the text back, drop each ' that starts a text cell or follows a comma, semicolon, tab, carriage return or line feed. The text columns' maxLength, pattern and enum allow for these quotes."

// sourcesTable is the table of source documents, listed as the package's sources.
var sourcesTable = datadir.Folder(schema.Source)

// sourceOf is the package source of a row of the sources table: its title (or id) and, when
// known, its URL.
func sourceOf(t *Table, row []Cell) pkgSource {
	id, title, url := columnIndex(t, "id"), columnIndex(t, "title"), columnIndex(t, "url")
	s := pkgSource{Title: row[id].Value}
	if title >= 0 && !row[title].Null {
		s.Title = row[title].Value
	}
	if url >= 0 && !row[url].Null {
		s.Path = row[url].Value
	}
	return s
}

// tableField describes a column; neutralized says whether its text cells went through
// Neutralize, whose added quote its constraints then allow for (review D13: a valid 200-character
// text that starts with '-' is 201 characters in the CSV file).
func tableField(c *Column, neutralized bool) field {
	f := field{Name: c.Name, Type: c.Type, Title: c.Title, Description: c.Description}
	if c.List {
		f.Description = strings.TrimSpace(f.Description + " Items are joined with \"" + Separator + "\".")
	}
	var k constraints
	k.Required = c.Required
	if n := c.Node; n != nil && !c.List {
		k.Enum = n.Enum
		k.Pattern = tablePattern(n.Pattern)
		switch c.Type {
		case TypeString:
			k.MinLength, k.MaxLength = n.MinLength, n.MaxLength
			if n.Format == "uri" {
				f.Format = "uri"
			}
			if neutralized {
				allowQuote(&f, &k)
			}
		case TypeInteger, TypeNumber:
			k.Minimum, k.Maximum = n.Minimum, n.Maximum
		}
		f.Categories = k.Enum
	}
	if n := c.Node; n != nil && len(n.Vocabulary) > 0 {
		// Categories carry values only: a label is a short display name, and the definitions
		// are sentences, so they go to the description.
		var defs []string
		for _, v := range n.Enum {
			if def := n.Vocabulary[v]; def != "" {
				defs = append(defs, v+": "+def)
			}
		}
		if len(defs) > 0 {
			f.Description = strings.TrimSpace(f.Description + " Values: " + strings.Join(defs, " "))
		}
	}
	if k.Required || k.Enum != nil || k.Pattern != "" || k.MinLength != nil || k.MaxLength != nil || k.Minimum != nil || k.Maximum != nil {
		f.Constraints = &k
	}
	return f
}

// allowQuote widens a text column's constraints to its neutralised cells: twice the length
// at most (a quote per character, for a text of separators and triggers), a pattern that also
// takes the quotes (unchanged when the values it matches cannot need one; none when they may
// hold a separator: the field's description then gives it), and the neutralised form of each
// allowed value.
func allowQuote(f *field, k *constraints) {
	if k.MaxLength != nil {
		n := 2 * *k.MaxLength
		k.MaxLength = &n
	}
	if p := k.Pattern; p != "" {
		re, err := syntax.Parse(p, syntax.Perl)
		switch {
		case err != nil || mayHold(re, separators):
			k.Pattern = ""
			f.Description = strings.TrimSpace(f.Description + " Before the neutralisation of formulas, each value matches the pattern " + p + ".")
		case mayStartQuoted(re.Simplify()):
			k.Pattern = "'?(?:" + p + ")"
		}
	}
	if k.Enum != nil {
		enum := make([]string, len(k.Enum))
		for i, v := range k.Enum {
			enum[i] = Neutralize(v)
		}
		k.Enum = enum
	}
}

// mayHold reports whether a text the expression matches may hold one of chars.
func mayHold(re *syntax.Regexp, chars string) bool {
	switch re.Op {
	case syntax.OpLiteral:
		return strings.ContainsAny(string(re.Rune), chars)
	case syntax.OpCharClass:
		return classHolds(re.Rune, chars)
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return true
	}
	return slices.ContainsFunc(re.Sub, func(sub *syntax.Regexp) bool { return mayHold(sub, chars) })
}

// classHolds reports whether a character class (pairs of bounds) holds one of chars.
func classHolds(ranges []rune, chars string) bool {
	for i := 0; i+1 < len(ranges); i += 2 {
		for _, r := range chars {
			if r >= ranges[i] && r <= ranges[i+1] {
				return true
			}
		}
	}
	return false
}

// mayStartQuoted reports whether a text the expression matches may start with a character
// Neutralize quotes; true when that cannot be told.
func mayStartQuoted(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune) == 0 || strings.ContainsRune(quoted, re.Rune[0])
	case syntax.OpCharClass:
		return classHolds(re.Rune, quoted)
	case syntax.OpCapture, syntax.OpPlus:
		return mayStartQuoted(re.Sub[0])
	case syntax.OpAlternate:
		return slices.ContainsFunc(re.Sub, mayStartQuoted)
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			switch sub.Op {
			case syntax.OpBeginText, syntax.OpBeginLine:
				continue
			}
			return mayStartQuoted(sub)
		}
	}
	return true // anything else may start with anything, or be empty (then what follows counts)
}

// tablePattern turns a JSON Schema pattern into a Table Schema one: Table Schema patterns
// match the whole value, so the anchors ^ and $ go.
func tablePattern(p string) string {
	if strings.HasPrefix(p, "^") && strings.HasSuffix(p, "$") && !strings.HasSuffix(p, `\$`) {
		return p[1 : len(p)-1]
	}
	return p
}
