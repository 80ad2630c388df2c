package validate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/apmd-data/apmd/internal/jsonpos"
	"github.com/apmd-data/apmd/schema"
)

// evidenceCheck checks that a record's facts are supported, as the schema marks them
// (x-evidence), and that the pointers naming them resolve.
var evidenceCheck = &Check{
	Name:  "evidence",
	Doc:   "every fact of a record is supported by a quote or named as an inference, and every pointer to a fact resolves",
	Rules: []*Rule{ruleSupportsUnresolved, ruleInferenceUnres, ruleFactUnsupported},
	Run:   checkEvidence,
}

func checkEvidence(p *Pass) {
	if !p.content() {
		return
	}
	supports, meant := supportPointers(p)
	inferred, meantToo := inferencePointers(p)
	meant = append(meant, meantToo...)
	if _, ok := p.Object[schema.FieldEvidence]; !ok {
		if prop := p.Node.Prop(schema.FieldEvidence); prop != nil && prop.Required {
			return // the schema reports the missing (or misspelt) evidence once: not every fact again
		}
	}
	var unsupported []string
	for _, f := range p.Facts() {
		// A fact a mistyped pointer meant is reported as that pointer (supports-unresolved).
		if !covered(f, supports) && !covered(f, inferred) && !covered(f, meant) {
			unsupported = append(unsupported, f)
		}
	}
	reportUnsupported(p, unsupported)
}

// evidenceItem is one item of a record's evidence list.
type evidenceItem struct {
	index         int
	source, quote string
	supports      []support
	// norm is the quote with its white space normalised, once normalized is set (quoteText).
	norm       string
	normalized bool
}

// support is one pointer of an evidence item's supports list (items that are not strings,
// which the schema reports, are left out).
type support struct {
	index    int
	ptr      string
	resolves bool // it names a value of the record
}

// evidenceOf returns the record's evidence items, in buf's room (and its items' lists of
// supports) when it has some: a pass reuses the lists of an earlier record (see releasePass).
func evidenceOf(obj map[string]any, buf []evidenceItem) []evidenceItem {
	evs, _ := obj[schema.FieldEvidence].([]any)
	out := slices.Grow(buf[:0], len(evs))[:len(evs)]
	for i, e := range evs {
		ev, _ := e.(map[string]any)
		it := &out[i]
		*it = evidenceItem{index: i, supports: it.supports[:0]}
		it.source, _ = ev[schema.FieldEvidenceSource].(string)
		it.quote, _ = ev[schema.FieldQuote].(string)
		list, _ := ev[schema.FieldSupports].([]any)
		for j, s := range list {
			if ptr, ok := s.(string); ok {
				it.supports = append(it.supports, support{j, ptr, resolves(obj, ptr)})
			}
		}
	}
	return out
}

// supportPointers returns the pointers the quotes support, reporting those that name nothing,
// and the pointers those were likely meant to be (their did-you-mean).
func supportPointers(p *Pass) (ptrs, meant []string) {
	var candidates []string
	for _, ev := range p.Evidence() {
		for _, s := range ev.supports {
			if s.resolves {
				ptrs = append(ptrs, s.ptr)
				continue
			}
			if reportedBySchema(p, s.ptr) {
				if fixed := "/" + s.ptr; !strings.HasPrefix(s.ptr, "/") && resolves(p.Object, fixed) {
					meant = append(meant, fixed) // the schema's finding suggests it
				}
				continue
			}
			if candidates == nil {
				candidates = pointerCandidates(p.Object)
			}
			guess := closestPointer(s.ptr, candidates)
			hint := ""
			if guess != "" {
				meant = append(meant, guess)
				hint = fmt.Sprintf(" Did you mean %q?", guess)
			}
			p.Reportf(ruleSupportsUnresolved, fmt.Sprintf("/%s/%d/%s/%d", schema.FieldEvidence, ev.index, schema.FieldSupports, s.index),
				"%q names no value of this record.%s Point at a field that is present, from the record's root (e.g. %s)",
				s.ptr, hint, exampleFact(p))
		}
	}
	return ptrs, meant
}

// reportedBySchema reports whether a pointer that names nothing is already the schema's
// finding, or follows from one: a pointer that does not start with / (the pattern of supports),
// one through a misspelt property (renamedMember), or one to a required property the record
// lacks (the schema says it is missing; once added, the pointer resolves).
func reportedBySchema(p *Pass, ptr string) bool {
	if !strings.HasPrefix(ptr, "/") || renamedMember(p, ptr) {
		return true
	}
	toks, err := jsonpos.SplitPointer(ptr)
	if err != nil || len(toks) == 0 {
		return false
	}
	prop := p.Node.Prop(toks[0])
	_, present := p.Object[toks[0]]
	return prop != nil && prop.Required && !present
}

// closestPointer returns the candidate a mistyped pointer most likely meant: among those as deep
// as it first ("/casualty/0" means "/casualties/0", not "/casualties"), then among all.
func closestPointer(ptr string, candidates []string) string {
	depth := strings.Count(ptr, "/")
	var same []string
	for _, c := range candidates {
		if strings.Count(c, "/") == depth {
			same = append(same, c)
		}
	}
	if c := closestWord(ptr, same); c != "" {
		return c
	}
	return closestWord(ptr, candidates)
}

// pointerCandidates returns the pointers of every value of a record, for the did-you-mean of a
// pointer that names nothing (only then are they listed).
func pointerCandidates(v any) []string {
	var out []string
	var walk func(v any, at string)
	walk = func(v any, at string) {
		if at != "" {
			out = append(out, at)
		}
		switch x := v.(type) {
		case map[string]any:
			for k, m := range x {
				walk(m, jsonpos.JoinPointer(at, k))
			}
		case []any:
			for i, item := range x {
				walk(item, at+"/"+strconv.Itoa(i))
			}
		}
	}
	walk(v, "")
	return out
}

// renamedMember reports whether a pointer that names nothing goes through a member the record
// has under another, unknown name that is a likely typo of it ("/perpetrators/0" in a record
// whose "perpetrators" is written "perpetrator"): the schema reports that property, and
// renaming it makes the pointer resolve.
func renamedMember(p *Pass, ptr string) bool {
	toks, err := jsonpos.SplitPointer(ptr)
	if err != nil || len(toks) == 0 || p.Node.Prop(toks[0]) == nil {
		return false
	}
	if _, ok := p.Object[toks[0]]; ok {
		return false
	}
	var unknown []string
	for k := range p.Object {
		if p.Node.Prop(k) == nil {
			unknown = append(unknown, k)
		}
	}
	return closestWord(toks[0], unknown) != ""
}

// inferencePointers returns the pointers the inferences name, reporting those that name
// nothing, and the pointers those were likely meant to be (their did-you-mean).
func inferencePointers(p *Pass) (ptrs, meant []string) {
	infs, _ := p.Object[schema.FieldInferences].([]any)
	for i, e := range infs {
		inf, _ := e.(map[string]any)
		ptr, ok := inf[schema.FieldInferenceField].(string)
		if !ok || resolves(p.Object, ptr) || !strings.HasPrefix(ptr, "/") {
			continue // a pointer without its / is the schema's finding
		}
		hint := ""
		if c := closestPointer(ptr, pointerCandidates(p.Object)); c != "" {
			meant = append(meant, c)
			hint = fmt.Sprintf(" Did you mean %q?", c)
		}
		p.Reportf(ruleInferenceUnres, fmt.Sprintf("/%s/%d/%s", schema.FieldInferences, i, schema.FieldInferenceField),
			"%q names no value of this record.%s Point at the inferred field, from the record's root", ptr, hint)
	}
	return p.Inferred(), meant
}

// Inferred returns the pointers the record's inferences name, those that name a value of it.
func (p *Pass) Inferred() []string {
	if p.inferred == nil {
		p.inferred = []string{}
		infs, _ := p.Object[schema.FieldInferences].([]any)
		for _, e := range infs {
			inf, _ := e.(map[string]any)
			if ptr, ok := inf[schema.FieldInferenceField].(string); ok && resolves(p.Object, ptr) {
				p.inferred = append(p.inferred, ptr)
			}
		}
	}
	return p.inferred
}

// quoteText returns the quote of evidence item i with its white space normalised, as quotes are
// compared with their source's text.
func (p *Pass) quoteText(i int) string {
	ev := &p.Evidence()[i]
	if !ev.normalized {
		ev.norm, ev.normalized = normalized(ev.quote), true
	}
	return ev.norm
}

// normalized returns s with its white space normalised (normalizeSpace), without a copy when it
// is already.
func normalized(s string) string {
	if normalASCII(s) {
		return s
	}
	return normalizeSpace(s, nil)
}

// reportUnsupported reports the unsupported facts. Those that share a parent (a casualty figure
// added without evidence) are reported once, at the parent, since one pointer in supports fixes
// them all.
func reportUnsupported(p *Pass, unsupported []string) {
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
			p.Reportf(ruleFactUnsupported, parent,
				"%s holds facts (%s) that no evidence quote supports: add %q to the supports of the quote that states them (or add such a quote), or, if you inferred them, explain each in inferences",
				describeField(p.Node, parent), strings.Join(names, ", "), parent)
		} else {
			f := unsupported[i]
			p.Reportf(ruleFactUnsupported, f,
				"%s is a fact but no evidence quote supports it: add %q to the supports of the quote that states it (or add such a quote), or, if you inferred it, explain it in inferences with field %q",
				describeField(p.Node, f), f, f)
		}
		i = j
	}
}

// resolves reports whether ptr names a value of v other than v itself.
func resolves(v any, ptr string) bool {
	_, ok := jsonpos.Resolve(v, ptr)
	return ok && ptr != ""
}

// covered reports whether one of ptrs is ptr or an ancestor of it.
func covered(ptr string, ptrs []string) bool {
	for _, p := range ptrs {
		if within(ptr, p) {
			return true
		}
	}
	return false
}

// within reports whether the pointer ptr is anc or names a value inside it.
func within(ptr, anc string) bool {
	return strings.HasPrefix(ptr, anc) && (len(ptr) == len(anc) || ptr[len(anc)] == '/')
}

// describeField names a field for a message: its schema title and pointer.
func describeField(root *schema.Node, ptr string) string {
	if n := root.At(ptr); n != nil && n.Title != "" {
		return fmt.Sprintf("%s (%s)", n.Title, ptr)
	}
	return ptr
}

// exampleFact is a pointer of the record to show in a message: its first fact.
func exampleFact(p *Pass) string {
	if f := p.Facts(); len(f) > 0 {
		return strconv.Quote(f[0])
	}
	return `"/title"`
}

func lastToken(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }
