package validate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/internal/english"
	"github.com/apmd-data/apmd/internal/jsonpos"
	"github.com/apmd-data/apmd/schema"
)

// sourcesCheck checks the stored texts of the sources and the quotes that cite them.
var sourcesCheck = &Check{
	Name: "sources",
	Doc:  "every source's text exists, is UTF-8 and has its recorded SHA-256, and every evidence quote occurs in its source's text",
	Rules: []*Rule{ruleQuoteNotFound, ruleSourceSHA256, ruleSourceTextMissing, ruleSourceTextName, ruleSourceTextID, ruleNotUTF8,
		ruleNotRegular, ruleTooLarge},
	Run:   collectQuotes,
	Facts: sourceFacts,
	Cross: checkSources,
}

// quotePtr is the JSON pointer of the quote of evidence item index.
func quotePtr(index int32) string {
	return fmt.Sprintf("/%s/%d/%s", schema.FieldEvidence, index, schema.FieldQuote)
}

// sourceText is what a source record says of its stored text.
type sourceText struct {
	path, sha256 string
	// pathAt and shaAt are the places of text_file and sha256.
	pathAt, shaAt place
}

// sourceFacts keeps what each source says of its text; the quotes are kept in the Index's
// quoteStore.
var sourceFacts = &Facts[sourceText]{}

func collectQuotes(p *Pass) {
	if !p.content() {
		return
	}
	keepQuotes(p)
	if name, ok := textName(p); ok && plainTextName(name) {
		sum, _ := p.Object[schema.FieldSHA256].(string)
		sourceFacts.Keep(p, &sourceText{path: textPath(p, name), sha256: strings.Clone(sum),
			pathAt: p.Pos("/" + schema.FieldTextFile), shaAt: p.Pos("/" + schema.FieldSHA256)})
		if id := p.Record.ID; name != id+".txt" && datadir.IsSlug(id) && !p.reported("/"+schema.FieldTextFile) {
			p.Reportf(ruleSourceTextID, "/"+schema.FieldTextFile,
				"text_file %q is not named after this record's id: each source has its own text, %q; rename the text file and text_file to it (to quote another source's text, cite that source)",
				name, id+".txt")
		}
	} else if ok {
		p.Reportf(ruleSourceTextName, "/"+schema.FieldTextFile,
			"text_file %q is not the name of a file beside this record: write the name of the .txt file in the same folder (e.g. %q), without a folder, '..' or '\\'; the text is not read meanwhile",
			name, p.Record.ID+".txt")
	}
}

// keepQuotes keeps the record's evidence quotes, with their texts white space normalised, for
// checkSources.
func keepQuotes(p *Pass) {
	limit := quoteLimit(p.Node)
	for i, ev := range p.Evidence() {
		if ev.source != "" && ev.quote != "" {
			q := storedQuote{rec: p.rec.index, index: int32(ev.index), limit: limit, at: p.Pos(quotePtr(int32(ev.index)))}
			p.index.quotes.add(q, p.quoteText(i), ev.source, p.intern)
		}
	}
}

// quoteLimit returns the schema's maxLength of an evidence quote in a record of node n (0 when
// there is none).
func quoteLimit(n *schema.Node) int32 {
	ev := n.Prop(schema.FieldEvidence)
	if ev == nil || ev.Items == nil {
		return 0
	}
	if q := ev.Items.Prop(schema.FieldQuote); q != nil && q.MaxLength != nil {
		return int32(*q.MaxLength)
	}
	return 0
}

// checkSources reads every source's text once, on the workers, and checks it and the quotes
// that cite it.
func checkSources(x *Index) error {
	var sources []*record
	for _, r := range x.records {
		if _, ok := sourceFacts.Of(r); ok && r.kind == schema.Source {
			sources = append(sources, r)
		}
	}
	citing := x.quotes.bySource()
	defer func() { x.quotes = quoteStore{} }() // not needed any more
	return inOrder(len(sources), x.workers, func(i int) error {
		src := sources[i]
		var quotes []int32
		if id, ok := x.quotes.ids[src.id]; ok {
			quotes = citing[id]
		}
		return checkText(x, src, quotes)
	}, func(int) error { return nil })
}

// checkText checks one source's text, and the quotes that cite it (indexes of x.quotes).
func checkText(x *Index, src *record, quotes []int32) error {
	st, _ := sourceFacts.Of(src)
	data, ok, err := readText(x, src, st)
	if !ok {
		return err
	}
	sum := sha256.Sum256(data)
	// A sum that is not 64 lower-case hex digits is the schema's finding, with its fix.
	if got := hex.EncodeToString(sum[:]); isSHA256(st.sha256) && got != st.sha256 {
		x.Reportf(ruleSourceSHA256, src.file, st.shaAt, "/"+schema.FieldSHA256, "%s", shaMismatch(st, got, data))
	}
	if enc := utf16Encoding(data); enc != "" {
		x.Reportf(ruleNotUTF8, st.path, noPosition, "", "the text is %s, not UTF-8: store it as UTF-8 (quotes are compared with it character by character), then record its new SHA-256", enc)
	} else if !utf8.Valid(data) {
		off := jsonpos.FirstInvalidUTF8(data)
		x.Reportf(ruleNotUTF8, st.path, placeOf(jsonpos.PositionAt(data, off)), "",
			"byte 0x%02X at offset %d is not UTF-8: store the source text as UTF-8 (quotes are compared with it character by character), then record its new SHA-256", data[off], off)
	}
	if x.first(src.id) != src {
		return nil // a duplicate id: its quotes are checked against the first record's text
	}
	t := newText(data)
	t.expect(len(quotes))
	for _, i := range quotes {
		q := x.quotes.at(i)
		if text := x.quotes.text(q); text == "" || !t.contains(text) {
			x.Reportf(ruleQuoteNotFound, x.records[q.rec].file, q.at, q.ptr(), "%s", t.explain(text, int(q.limit), src.id, st.path))
		}
	}
	return nil
}

// readText reads a source's text, through the reading layer: only a regular file of the folder,
// of at most datadir.MaxTextSize bytes. It reports a text it cannot read, and then returns
// false; the error is for an I/O failure.
func readText(x *Index, src *record, st *sourceText) ([]byte, bool, error) {
	e, listed := x.listed(st.path)
	if listed && !e.Regular() {
		return nil, false, nil // the layout check reports it
	}
	data, err := x.dir.Read(st.path, datadir.MaxTextSize, nil)
	switch {
	case !listed || errors.Is(err, fs.ErrNotExist):
		x.Reportf(ruleSourceTextMissing, src.file, st.pathAt, "/"+schema.FieldTextFile,
			"the text file %s does not exist: add the source's full text there (UTF-8), or correct text_file", st.path)
	case errors.Is(err, datadir.ErrNotRegular):
		x.Reportf(ruleNotRegular, st.path, noPosition, "", "the text is no longer a regular file (it changed while apmd read the folder): run apmd again")
	case errors.Is(err, datadir.ErrTooLarge):
		x.Reportf(ruleTooLarge, st.path, noPosition, "", "the text is larger than the %d MiB a source text may have, and is not read: it should hold one document; check that this is the file you meant", datadir.MaxTextSize>>20)
	case err != nil:
		return nil, false, err
	default:
		return data, true, nil
	}
	return nil, false, nil
}

// shaMismatch says why a source text's SHA-256 is not the recorded one. A text that differs
// from the recorded one only by its line endings or a final newline was changed by a tool
// (git's core.autocrlf on Windows, an editor that adds a final newline): its bytes are to be
// restored, never its new sum recorded.
func shaMismatch(st *sourceText, got string, data []byte) string {
	if how := onlyEndings(data, st.sha256); how != "" {
		return fmt.Sprintf("%s differs from the text whose SHA-256 is recorded only by %s: a tool changed it (an editor, or git with core.autocrlf); restore its bytes (git checkout -- the file: .gitattributes keeps dataset/sources/*.txt byte for byte) rather than record the new sum",
			st.path, how)
	}
	return fmt.Sprintf("%s has SHA-256 %s, not the recorded %s: restore the text exactly as published; or, if it was meant to change, record its new SHA-256 (sha256sum %s)",
		st.path, got, st.sha256, path.Base(st.path))
}

// onlyEndings returns how data differs from the text whose SHA-256 is want when it differs only
// by its line endings and a final newline ("its line endings (CRLF where the recorded text has
// LF)"), else "".
func onlyEndings(data []byte, want string) string {
	lf := bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	for _, e := range []struct {
		text, nl []byte
		endings  string
	}{
		{data, []byte("\n"), ""},
		{lf, []byte("\n"), "CRLF where the recorded text has LF"},
		{bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n")), []byte("\r\n"), "LF where the recorded text has CRLF"},
	} {
		if e.endings != "" && bytes.Equal(e.text, data) {
			continue // no line ending to change
		}
		var parts []string
		if e.endings != "" {
			parts = append(parts, "its line endings ("+e.endings+")")
		}
		if sameSHA(e.text, want) {
			return english.List(parts)
		}
		final := "a final newline the recorded text does not have"
		other, ok := bytes.CutSuffix(e.text, e.nl)
		if !ok {
			final, other = "the final newline the recorded text has", append(slices.Clip(e.text), e.nl...)
		}
		if sameSHA(other, want) {
			return english.List(append(parts, final))
		}
	}
	return ""
}

func sameSHA(b []byte, want string) bool {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]) == want
}

// isSHA256 reports whether s is written as the schema wants a SHA-256: 64 lower-case hex digits.
func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := range len(s) {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
