package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/internal/jsonpos"
	"github.com/apmd-data/apmd/schema"
)

// pending is a finding whose position is still to be computed from its pointer.
type pending struct {
	Finding
	// key asks for the position of the member's key rather than its value (an unknown property).
	key bool
}

// ref is a reference to another record or to a casualty figure.
type ref struct {
	ptr, target string
	kind        string // "source", "group", "incident", "claim" or "casualty"
}

// target is a record a record refers to (once, however many times it does). The pointers of
// the references are found again, by re-reading the file, only when a target does not exist.
type target struct{ kind, id string }

// quoteRef is one evidence quote, to be checked against its source's text. Only a
// fingerprint of the quote is kept (quotes are most of a record's text); a quote that is not
// found is read again from its file to be explained.
type quoteRef struct {
	source string
	// evidence is the index of the quote's evidence item; its pointer is built only for a
	// quote that is not found.
	evidence int
	print    fingerprint
}

// ptr is the pointer of the quote in its record.
func (q quoteRef) ptr() string {
	return "/" + fEvidence + "/" + strconv.Itoa(q.evidence) + "/" + fEvQuote
}

// named is a string value at a pointer: a casualty id, a group name.
type named struct{ ptr, value string }

// datedFact is a date of a record with the sources whose quotes support it.
type datedFact struct {
	ptr     string
	lo      time.Time
	value   string
	sources []string
}

// sourceInfo is what the cross-record checks need of a source record.
type sourceInfo struct {
	textPath, sha256 string
	// publishedBy is the last day the source may have been published (zero when open).
	publishedBy time.Time
}

// fileResult is what a worker keeps of one record file once its bytes are dropped: its own
// findings, with positions, and what the cross-record checks need. Every string is a copy,
// so that nothing retains the file's bytes.
type fileResult struct {
	file       string
	kind       schema.Kind
	decoded    bool
	id         string
	findings   []Finding
	targets    []target
	casualties []named
	quotes     []quoteRef
	names      []named
	source     *sourceInfo
	dated      []datedFact
	// err is an internal failure (the embedded schema cannot be compiled).
	err error
}

// recordCheck is the state of checking one record file.
type recordCheck struct {
	schemas *schema.Registry
	res     *fileResult
	pending []pending
	refs    []ref
	ids     *interner
}

func (c *recordCheck) add(r *Rule, ptr string, key bool, format string, args ...any) {
	c.pending = append(c.pending, pending{Finding: Finding{
		File: c.res.file, Pointer: ptr, Rule: r.ID, Severity: r.Severity, Message: fmt.Sprintf(format, args...),
	}, key: key})
}

func (c *recordCheck) addAt(r *Rule, pos jsonpos.Position, ptr, format string, args ...any) {
	c.pending = append(c.pending, pending{Finding: Finding{
		File: c.res.file, Line: pos.Line, Column: pos.Column, Pointer: ptr, Rule: r.ID, Severity: r.Severity,
		Message: fmt.Sprintf(format, args...),
	}})
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// checkRecord runs every single-file rule on one record file (or the manifest) and keeps what
// the cross-record rules need. kind is the kind its folder implies.
func checkRecord(reg *schema.Registry, kind schema.Kind, file string, data []byte, ids *interner) *fileResult {
	c := &recordCheck{schemas: reg, res: &fileResult{file: file, kind: kind}, ids: ids}
	c.run(data)
	c.res.findings = resolve(data, c.pending)
	return c.res
}

func (c *recordCheck) run(data []byte) {
	if !utf8.Valid(data) {
		off := firstInvalid(data)
		c.addAt(ruleNotUTF8, jsonpos.PositionAt(data, off), "",
			"byte 0x%02X at offset %d is not UTF-8: save the file as UTF-8 (the text was probably saved in a legacy encoding such as Windows-1252)", data[off], off)
		return
	}
	if bytes.HasPrefix(data, bom) {
		c.addAt(ruleBOM, jsonpos.Position{Line: 1, Column: 1}, "",
			"the file starts with a UTF-8 byte-order mark: save it as UTF-8 without BOM")
		data = data[len(bom):]
	}
	v, dups, err := jsonpos.Decode(data)
	if err != nil {
		var se *jsonpos.SyntaxError
		if errors.As(err, &se) {
			hint := ""
			if se.Kind == jsonpos.MissingComma && se.Pos.Column <= firstColumn(data, se.Pos.Offset) {
				hint = " (is a comma missing at the end of the line before?)"
			}
			c.addAt(ruleJSONSyntax, se.Pos, "", "%s%s", se.Msg, hint)
		} else {
			c.addAt(ruleJSONSyntax, jsonpos.Position{Line: 1, Column: 1}, "", "%v", err)
		}
		return
	}
	if c.numbersOutOfRange(v) {
		return // the schema library cannot compare such a number: nothing more is checked
	}
	c.res.decoded = true
	for _, d := range dups {
		_, name := path.Split(d.Pointer)
		c.addAt(ruleDuplicateKey, d.Second, d.Pointer,
			"key %q repeats the key at line %d, column %d of the same object; only this last value would count: remove one of them",
			unescapeToken(name), d.First.Line, d.First.Column)
	}
	obj, _ := v.(map[string]any)
	id, _ := obj[fID].(string)
	c.res.id = strings.Clone(id)
	version, hasVersion := obj[fSchemaVersion].(string)

	if kind := c.checkPlace(obj, id); kind != "" {
		c.res.kind = kind
	}
	set, err := c.schemas.Get(version)
	if !hasVersion {
		set, err = c.schemas.Get(c.schemas.Latest()) // the schema then reports the missing version
	} else if err != nil {
		if schema.CompareVersions(version, c.schemas.Latest()) > 0 {
			c.add(ruleVersionUnknown, "/"+fSchemaVersion, false,
				"schema_version %q is newer than the versions this apmd knows (%s): upgrade apmd, or write the record for a released version",
				version, strings.Join(c.schemas.Versions(), ", "))
			return
		}
		c.add(ruleVersionUnknown, "/"+fSchemaVersion, false,
			"schema_version %q is not a released schema version (released: %s): use one of them.%s The record is checked against %s meanwhile",
			version, strings.Join(c.schemas.Versions(), ", "), didYouMean(version, c.schemas.Versions()), c.schemas.Latest())
		set, err = c.schemas.Get(c.schemas.Latest())
		if err != nil {
			c.res.err = err
			return
		}
		c.pending = append(c.pending, schemaFindings(c.res.file, set, c.res.kind, v, true)...)
		return
	}
	if err != nil {
		c.res.err = err // the embedded schema does not compile: an internal error
		return
	}
	c.pending = append(c.pending, schemaFindings(c.res.file, set, c.res.kind, v, false)...)
	if obj == nil || c.res.kind == schema.Manifest {
		return
	}
	c.checkContent(set.Node(c.res.kind), obj)
}

// checkPlace checks the file's name and folder against the record's id. When the id's prefix
// names another kind, it returns that kind: the record is then checked as what it says it is,
// so that one misplaced file yields one finding rather than a schema error per field.
func (c *recordCheck) checkPlace(obj map[string]any, id string) schema.Kind {
	kind := c.res.kind
	if kind == schema.Manifest || id == "" {
		return ""
	}
	dir, base := path.Split(c.res.file)
	var moved schema.Kind
	if k := datadir.KindOfPrefix(id); k != "" && k != kind {
		_, rest, _ := strings.Cut(c.res.file, "/")
		c.add(ruleWrongFolder, "/"+fID, false,
			"id %q is a %s id but the file is in %s/: move the file to %s/%s (or, if the id is wrong, give it the prefix %q)",
			id, k, datadir.Folder(kind), datadir.Folder(k), rest, datadir.Prefix(kind))
		moved = k
	}
	if base != id+".json" && datadir.IsSlug(id) { // a malformed id is a schema finding; renaming to it would not help
		c.add(ruleFileNameID, "/"+fID, false,
			"the file is named %q but the record's id is %q: rename the file to %s%s.json, or correct the id",
			base, id, dir, id)
	}
	return moved
}

// checkContent runs the rules within one record that the schema cannot express.
func (c *recordCheck) checkContent(root *schema.Node, obj map[string]any) {
	res := c.res
	self := res.id

	// Evidence and inferences.
	var supports, inferred []string
	supportedBy := map[string][]string{} // pointer → sources of the quotes that support it
	evs, _ := obj[fEvidence].([]any)
	for i, e := range evs {
		ev, _ := e.(map[string]any)
		src, _ := ev[fEvSource].(string)
		quote, _ := ev[fEvQuote].(string)
		if src != "" && quote != "" {
			res.quotes = append(res.quotes, quoteRef{source: c.ids.intern(src), evidence: i,
				print: quotePrint(quote)})
		}
		list, _ := ev[fEvSupports].([]any)
		for j, s := range list {
			p, ok := s.(string)
			if !ok {
				continue
			}
			if !resolves(obj, p) {
				c.add(ruleSupportsUnresolved, fmt.Sprintf("/%s/%d/%s/%d", fEvidence, i, fEvSupports, j), false,
					"%q names no value of this record.%s Point at a field that is present, from the record's root (e.g. %s)",
					p, didYouMean(p, factCandidates(root, obj)), exampleFact(root, obj))
				continue
			}
			supports = append(supports, p)
			supportedBy[p] = append(supportedBy[p], src)
		}
	}
	infs, _ := obj[fInferences].([]any)
	for i, e := range infs {
		inf, _ := e.(map[string]any)
		p, ok := inf[fInfField].(string)
		if !ok {
			continue
		}
		if !resolves(obj, p) {
			c.add(ruleInferenceUnres, fmt.Sprintf("/%s/%d/%s", fInferences, i, fInfField), false,
				"%q names no value of this record.%s Point at the inferred field, from the record's root", p, didYouMean(p, factCandidates(root, obj)))
			continue
		}
		inferred = append(inferred, p)
	}
	// Unsupported facts that share a parent (a casualty figure added without evidence) are
	// reported once, at the parent, since one pointer in supports fixes them all.
	var unsupported []string
	for _, f := range schema.FactPointers(root, obj) {
		if !covered(f, supports) && !covered(f, inferred) {
			unsupported = append(unsupported, f)
		}
	}
	for i := 0; i < len(unsupported); {
		parent := jsonpos.ParentPointer(unsupported[i])
		j := i + 1
		for j < len(unsupported) && parent != "" && jsonpos.ParentPointer(unsupported[j]) == parent {
			j++
		}
		if j-i > 1 {
			var names []string
			for _, f := range unsupported[i:j] {
				names = append(names, lastToken(f))
			}
			c.add(ruleFactUnsupported, parent, false,
				"%s holds facts (%s) that no evidence quote supports: add %q to the supports of the quote that states them (or add such a quote), or, if you inferred them, explain each in inferences",
				describeField(root, parent), strings.Join(names, ", "), parent)
		} else {
			f := unsupported[i]
			c.add(ruleFactUnsupported, f, false,
				"%s is a fact but no evidence quote supports it: add %q to the supports of the quote that states it (or add such a quote), or, if you inferred it, explain it in inferences with field %q",
				describeField(root, f), f, f)
		}
		i = j
	}

	// References, casualty ids, dates and counts, found by the shared definitions they use.
	walk(root, obj, func(n *schema.Node, v any, at func() string, name string) {
		switch {
		case strings.HasSuffix(n.Def, "_id"):
			s, ok := v.(string)
			if !ok {
				return
			}
			ptr := at()
			kind := strings.TrimSuffix(n.Def, "_id")
			if name == fID {
				if kind == "casualty" {
					res.casualties = append(res.casualties, named{ptr, strings.Clone(s)})
				}
				return
			}
			if s == self && kind != string(schema.Source) {
				c.add(ruleRefSelf, ptr, false, "%q refers to this record itself: refer to another %s", s, kind)
				return
			}
			prefix := datadir.Prefix(schema.Kind(kind))
			if kind == "casualty" {
				prefix = "cas-"
			}
			if !datadir.IsSlug(s) || !strings.HasPrefix(s, prefix) {
				return // a malformed id is a schema finding, with its own suggestion
			}
			c.refs = append(c.refs, ref{ptr: ptr, target: s, kind: kind})
		case n.Def == defDate:
			ptr := at()
			sp := c.checkDate(ptr, v)
			if res.kind != schema.Source && !sp.lo.IsZero() {
				var srcs []string
				for p, s := range supportedBy {
					if covered(ptr, []string{p}) {
						for _, x := range s {
							srcs = append(srcs, c.ids.intern(x))
						}
					}
				}
				if len(srcs) > 0 {
					res.dated = append(res.dated, datedFact{ptr: ptr, lo: sp.lo, value: dateText(v), sources: srcs})
				}
			}
			if res.kind == schema.Source && ptr == "/"+fPublished {
				c.sourceInfo().publishedBy = sp.hi
			}
		case n.Def == defCount:
			c.checkCount(at(), v)
		}
	})
	c.checkCasualtyRefs(obj)

	switch res.kind {
	case schema.Group:
		if s, ok := obj[fName].(string); ok {
			res.names = append(res.names, named{"/" + fName, strings.Clone(s)})
		}
		list, _ := obj[fNames].([]any)
		for i, e := range list {
			m, _ := e.(map[string]any)
			if s, ok := m[fName].(string); ok {
				res.names = append(res.names, named{fmt.Sprintf("/%s/%d/%s", fNames, i, fName), strings.Clone(s)})
			}
		}
	case schema.Source:
		info := c.sourceInfo()
		info.sha256, _ = obj[fSHA256].(string)
		info.sha256 = strings.Clone(info.sha256)
		if name, ok := obj[fTextFile].(string); ok && name != "" {
			info.textPath = path.Join(path.Dir(res.file), name)
		}
	}
}

func (c *recordCheck) sourceInfo() *sourceInfo {
	if c.res.source == nil {
		c.res.source = &sourceInfo{}
	}
	return c.res.source
}

// checkCasualtyRefs resolves references to casualty figures, which live in the same incident,
// and runs the components rule.
func (c *recordCheck) checkCasualtyRefs(obj map[string]any) {
	var ids []string
	for _, cas := range c.res.casualties {
		ids = append(ids, cas.value)
	}
	seen := map[target]bool{}
	for _, r := range c.refs {
		if r.kind != "casualty" {
			t := target{r.kind, r.target}
			if !seen[t] {
				seen[t] = true
				c.res.targets = append(c.res.targets, target{r.kind, c.ids.intern(r.target)})
			}
			continue
		}
		found := false
		for _, id := range ids {
			found = found || id == r.target
		}
		switch {
		case strings.HasSuffix(r.ptr, "/"+fComponentOf) && r.target == casualtyIDAt(obj, r.ptr):
			c.add(ruleRefSelf, r.ptr, false, "casualty figure %q is given as a component of itself: name the total it is part of, or remove component_of", r.target)
		case !found:
			c.add(ruleRefUnresolved, r.ptr, false, "no casualty figure %q in this incident (its figures: %s): refer to one of them.%s",
				r.target, quoteList(ids), didYouMean(r.target, ids))
		}
	}
	if list, ok := obj[fCasualties].([]any); ok {
		c.checkComponents(list)
	}
}

// casualtyIDAt returns the id of the casualty figure that holds the member at ptr.
func casualtyIDAt(obj map[string]any, ptr string) string {
	v, _ := jsonpos.Resolve(obj, ptr[:strings.LastIndexByte(ptr, '/')]+"/"+fID)
	s, _ := v.(string)
	return s
}

func dateText(v any) string {
	m, _ := v.(map[string]any)
	for _, k := range []string{fDateValue, fDateStart, fDateEnd} {
		if s, ok := m[k].(string); ok {
			return strings.Clone(s)
		}
	}
	return ""
}

// walk calls fn for every value of v that the schema tree describes, depth first. fn gets
// the value's JSON pointer as a function: most values need none, and building every pointer
// was a tenth of a validation's time.
func walk(root *schema.Node, v any, fn func(n *schema.Node, v any, ptr func() string, name string)) {
	var toks []string
	ptr := func() string {
		var b strings.Builder
		for _, t := range toks {
			b.WriteByte('/')
			b.WriteString(t)
		}
		return b.String()
	}
	var rec func(n *schema.Node, v any, name string)
	rec = func(n *schema.Node, v any, name string) {
		if n == nil {
			return
		}
		fn(n, v, ptr, name)
		switch val := v.(type) {
		case map[string]any:
			for _, p := range n.Properties {
				if pv, ok := val[p.Name]; ok {
					toks = append(toks, jsonpos.EscapePointerToken(p.Name))
					rec(p.Node, pv, p.Name)
					toks = toks[:len(toks)-1]
				}
			}
		case []any:
			for i, item := range val {
				toks = append(toks, strconv.Itoa(i))
				rec(n.Items, item, "")
				toks = toks[:len(toks)-1]
			}
		}
	}
	rec(root, v, "")
}

func resolves(v any, ptr string) bool {
	_, ok := jsonpos.Resolve(v, ptr)
	return ok && ptr != ""
}

// covered reports whether one of ptrs is ptr or an ancestor of it.
func covered(ptr string, ptrs []string) bool {
	for _, p := range ptrs {
		if ptr == p || strings.HasPrefix(ptr, p+"/") {
			return true
		}
	}
	return false
}

// nodeAt returns the schema node describing the value at ptr, or nil.
func nodeAt(n *schema.Node, ptr string) *schema.Node {
	toks, err := jsonpos.SplitPointer(ptr)
	if err != nil {
		return nil
	}
	for _, t := range toks {
		if n == nil {
			return nil
		}
		if p := n.Prop(t); p != nil {
			n = p.Node
		} else if _, err := strconv.Atoi(t); err == nil && n.Items != nil {
			n = n.Items
		} else {
			return nil
		}
	}
	return n
}

// describeField names a field for a message: its schema title and pointer.
func describeField(root *schema.Node, ptr string) string {
	if n := nodeAt(root, ptr); n != nil && n.Title != "" {
		return fmt.Sprintf("%s (%s)", n.Title, ptr)
	}
	return ptr
}

// factCandidates lists the pointers a supports or inference pointer most likely meant.
func factCandidates(root *schema.Node, obj map[string]any) []string {
	return schema.FactPointers(root, obj)
}

func exampleFact(root *schema.Node, obj map[string]any) string {
	if f := schema.FactPointers(root, obj); len(f) > 0 {
		return strconv.Quote(f[0])
	}
	return `"/title"`
}

// interner shares one copy of each id among the records of one validation: ids recur in many
// records, and a copy (unlike the decoded string) does not keep the record's bytes alive.
type interner struct{ m sync.Map }

func (in *interner) intern(s string) string {
	if v, ok := in.m.Load(s); ok {
		return v.(string)
	}
	c := strings.Clone(s)
	v, _ := in.m.LoadOrStore(c, c)
	return v.(string)
}

func unescapeToken(t string) string {
	toks, err := jsonpos.SplitPointer("/" + t)
	if err != nil || len(toks) != 1 {
		return t
	}
	return toks[0]
}

// firstColumn returns the column of the first non-blank character of the line holding off.
func firstColumn(data []byte, off int) int {
	start := bytes.LastIndexAny(data[:min(off, len(data))], "\r\n") + 1
	col := 1
	for i := start; i < len(data) && (data[i] == ' ' || data[i] == '\t'); i++ {
		col++
	}
	return col
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return 0
}

// resolve computes the positions of pending findings from the file's bytes; the file is
// located (a second, slower parse) only when it has a finding that needs a position.
func resolve(data []byte, ps []pending) []Finding {
	if len(ps) == 0 {
		return nil
	}
	var rec *datadir.Record
	out := make([]Finding, len(ps))
	for i, p := range ps {
		if p.Line == 0 {
			if rec == nil {
				rec = &datadir.Record{Raw: bytes.TrimPrefix(data, bom)}
			}
			pos := rec.Position(p.Pointer)
			if p.key {
				pos = rec.KeyPosition(p.Pointer)
			}
			p.Line, p.Column = pos.Line, pos.Column
		}
		out[i] = p.Finding
	}
	return out
}

// numbersOutOfRange reports every number under v that math/big cannot hold, such as
// 1e9999999: jsonschema/v5 compares numbers as big.Rat and fails on them. Only numbers with an
// exponent can be out of range, and a pointer is built only for those found, so the walk every
// valid record pays costs little.
func (c *recordCheck) numbersOutOfRange(v any) bool {
	var toks []string
	found := false
	var rec func(v any)
	rec = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				toks = append(toks, k)
				rec(x)
				toks = toks[:len(toks)-1]
			}
		case []any:
			for i, x := range v {
				toks = append(toks, strconv.Itoa(i))
				rec(x)
				toks = toks[:len(toks)-1]
			}
		case json.Number:
			if !strings.ContainsAny(string(v), "eE") {
				return
			}
			if _, ok := new(big.Rat).SetString(string(v)); !ok {
				c.add(ruleNumberRange, jsonpos.JoinPointer("", toks...), false,
					"the number %s has an exponent too large to be checked: write the number in full, or as text if it is not a quantity", clip(string(v), 40))
				found = true
			}
		}
	}
	rec(v)
	return found
}
