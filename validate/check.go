package validate

import (
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/internal/jsonpos"
	"github.com/apmd-data/apmd/schema"
)

// Check is one family of rules with the code that applies them, in the manner of
// golang.org/x/tools/go/analysis: it names the rules it may report, checks each record (Run)
// and, where a rule needs several records, checks them together (Cross) from what Run kept of
// each (Facts). Reporting a rule the check does not name fails the tests.
type Check struct {
	Name  string
	Doc   string
	Rules []*Rule
	// Run checks one record, on one of the workers; nil for a check that only compares records.
	Run func(*Pass)
	// Facts declares what Run keeps of each record for Cross (see Facts); nil when Cross needs
	// nothing of Run.
	Facts facts
	// Cross runs once every record has been checked, at the same time as the other checks'
	// Cross; nil for a check of single records. Its error is for an I/O or internal failure:
	// problems with the data are findings.
	Cross func(*Index) error
	// AfterCross: Cross reads the findings of the other checks' Cross, so it runs once they
	// are done.
	AfterCross bool
}

// Facts declares the facts a check keeps of each record for its Cross part: one value of type
// T per record, kept by Run with Keep, read by Cross with Of. A check declares it in its Facts
// field; a check that keeps a fact it did not declare fails the tests.
type Facts[T any] struct{ slot int }

// factSlots is how many checks keep facts: each record has room for that many.
var factSlots int

// facts is what Check.Facts holds: a Facts of any type.
type facts interface {
	setSlot(int)
	slotOf() int
}

func (f *Facts[T]) setSlot(i int) { f.slot = i }
func (f *Facts[T]) slotOf() int   { return f.slot }

// Keep keeps *v as the fact of the record the pass is about.
func (f *Facts[T]) Keep(p *Pass, v *T) {
	if p.check.Facts != facts(f) {
		misuse("check %s keeps a fact it does not declare", p.check.Name)
		return
	}
	// A record's slots are untyped pointers, half the size of interfaces (a large dataset has
	// hundreds of thousands of records); the slot is this Facts' own, so it holds a *T.
	// The fact is copied into the validation's slabs, with the facts of other records.
	p.rec.facts[f.slot] = unsafe.Pointer(&keepSlice(p, []T{*v})[0])
}

// Of returns the fact kept of a record, or nil.
func (f *Facts[T]) Of(r *record) (*T, bool) {
	v := (*T)(r.facts[f.slot])
	return v, v != nil
}

// strict makes a check's misuse of its declarations (a rule or a fact it did not declare) a
// panic; tests set it, a release only drops what was misused.
var strict = false

func misuse(format string, args ...any) {
	if strict {
		panic(fmt.Sprintf(format, args...))
	}
}

// declares reports whether c may report r.
func (c *Check) declares(r *Rule) bool {
	if !slices.Contains(c.Rules, r) {
		misuse("check %s reports rule %s, which it does not declare", c.Name, r.ID)
		return false
	}
	return true
}

// Pass is what a check sees of one record: the record (file, bytes, value, positions), the
// schema it is checked against, and where to report.
type Pass struct {
	// Record is the record file; Record.Doc is nil when it did not decode.
	Record *datadir.Record
	// Kind is the kind the record is checked as: its folder's, unless its id's prefix names
	// another kind (then the file is in the wrong folder, which the place check reports).
	Kind schema.Kind
	// Set is the schema version the record is checked against, Node its tree of Kind. Node is
	// nil when the version the record declares is not known: then only the schema check runs.
	Set  *schema.Set
	Node *schema.Node
	// Object is the record's value when it is an object.
	Object map[string]any
	// version says how Set was chosen; versions are those the registry knows, oldest first.
	version  versionStatus
	versions []string

	check *Check
	rec   *record
	index *Index
	// pending holds the findings whose position is still to be found from their pointer.
	pending []pending
	// defs holds the values whose schema node is a shared definition (date, count, the ids),
	// facts the pointers of the fact-bearing values: found by one walk, when a check first asks.
	walked    bool
	defs      []defValue
	facts     []string
	evidence  []evidenceItem
	evidenced bool
	inferred  []string
	// intern shares one copy of each id among the records, pointer one copy of each JSON
	// pointer (most recur in every record).
	intern  func(string) string
	pointer func([]byte) string
}

// pending is a finding whose position is still to be computed from its pointer.
type pending struct {
	Finding
	// key asks for the position of the member's key rather than its value (an unknown property).
	key bool
}

// defValue is a value whose schema node is a shared definition (schema.Node.Def).
type defValue struct {
	node *schema.Node
	v    any
	ptr  string
	name string // its member name, "" for an array item
}

// Reportf reports a finding of rule r about the value at the JSON pointer ptr (the whole
// file when ptr is ""), at that value's line and column.
func (p *Pass) Reportf(r *Rule, ptr string, format string, args ...any) {
	p.report(r, ptr, false, format, args...)
}

// ReportKeyf is Reportf at the key of the member at ptr (for a property that should not be there).
func (p *Pass) ReportKeyf(r *Rule, ptr string, format string, args ...any) {
	p.report(r, ptr, true, format, args...)
}

func (p *Pass) report(r *Rule, ptr string, key bool, format string, args ...any) {
	if p.check.declares(r) {
		p.pending = append(p.pending, pending{Finding: Finding{File: p.Record.File, Pointer: ptr, Rule: r.ID,
			Severity: r.Severity, Message: fmt.Sprintf(format, args...)}, key: key})
	}
}

// reported reports whether an earlier check already reported a finding at ptr, so that a later
// check can stay silent rather than add a second finding for one mistake.
func (p *Pass) reported(ptr string) bool {
	return slices.ContainsFunc(p.pending, func(f pending) bool { return f.Pointer == ptr })
}

// reportedWithin reports whether an earlier check reported a finding at ptr or beneath it.
func (p *Pass) reportedWithin(ptr string) bool {
	return slices.ContainsFunc(p.pending, func(f pending) bool { return covered(f.Pointer, []string{ptr}) })
}

// firstLine is the position of a finding about a whole file.
var firstLine = jsonpos.Position{Line: 1, Column: 1}

// ReportAtf reports a finding at a position the check knows (a byte of the file).
func (p *Pass) ReportAtf(r *Rule, pos jsonpos.Position, ptr string, format string, args ...any) {
	if p.check.declares(r) {
		p.rec.findings = append(p.rec.findings, Finding{File: p.Record.File, Line: pos.Line, Column: pos.Column,
			Pointer: ptr, Rule: r.ID, Severity: r.Severity, Message: fmt.Sprintf(format, args...)})
	}
}

// place is where a cross-record finding about a fact would be: a line and a column of the
// record's file, kept small since a record keeps many.
type place struct{ line, col int32 }

// Pos returns the place of the value at ptr, for a fact that a cross-record finding may
// report once the record's bytes are gone.
func (p *Pass) Pos(ptr string) place { return placeOf(p.Record.Position(ptr)) }

func placeOf(pos jsonpos.Position) place { return place{int32(pos.Line), int32(pos.Column)} }

// content reports whether the checks of a record's content apply: the record decoded to an
// object, is not the manifest, and declares a schema version apmd knows.
func (p *Pass) content() bool {
	return p.Object != nil && p.Node != nil && p.Kind != schema.Manifest
}

// Defs returns the values of the record whose schema node is a shared definition (schema.Node.Def),
// in the order of the schema.
func (p *Pass) Defs() []defValue {
	p.walk()
	return p.defs
}

// Facts returns the pointers of the record's fact-bearing values, as schema.FactPointers does.
func (p *Pass) Facts() []string {
	p.walk()
	return p.facts
}

// Evidence returns the record's evidence items.
func (p *Pass) Evidence() []evidenceItem {
	if !p.evidenced {
		p.evidence, p.evidenced = evidenceOf(p.Object, p.evidence), true
	}
	return p.evidence
}

// walk finds, in one walk of the record, the values Defs and Facts return.
func (p *Pass) walk() {
	if p.walked || p.Node == nil {
		return
	}
	p.walked = true
	var scope schema.FactScope
	var buf []byte
	schema.Walk(p.Node, p.Object, func(n *schema.Node, v any, at *schema.Path) bool {
		if n == nil || v == nil {
			return false
		}
		fact, items := scope.Enter(n, v, at)
		if n.Def == "" && !fact {
			return true
		}
		buf = at.AppendTo(buf[:0])
		if n.Def != "" {
			p.defs = append(p.defs, defValue{node: n, v: v, ptr: p.pointer(buf), name: at.Name()})
		}
		if fact && items < 0 {
			p.facts = append(p.facts, p.pointer(buf))
		}
		for i := range items {
			p.facts = append(p.facts, p.pointer(strconv.AppendInt(append(buf, '/'), int64(i), 10)))
		}
		return true
	})
	slices.Sort(p.facts)
}

// record is what the validation keeps of one record file once its pass is over and its bytes
// are gone: enough to name it, its own findings, and the facts the checks kept of it.
type record struct {
	file string
	// kind is the kind the record was checked as (Pass.Kind).
	kind    schema.Kind
	id      string
	idPos   place // the place of the id
	index   int32 // its index in Index.records
	decoded bool
	// resolvable: the record has been handed over, and a reference to its id resolves to it
	// (see Index.resolves).
	resolvable atomic.Bool
	// findings holds the record's own findings, positioned.
	findings []Finding
	facts    []unsafe.Pointer // the facts kept by the checks, by Facts slot
}

// Index is what the cross-record part of a check sees: every file of the dataset folder, and
// what the passes kept of every record file. The checks' cross-record parts run at once, each
// with its own Index, which knows the check it reports for; they share the rest (index).
type Index struct {
	*index
	check *Check
}

// index is what the Indexes of one validation share.
type index struct {
	entries []datadir.Entry
	// records holds the record files (the manifest included) in the order of their paths.
	records []*record
	// others holds, of each id some record decoded holds but not in the file named after it
	// (byStem), the first such record by path: few, or none. With byStem, it gives the first
	// record of each id (first), once every record has been handed over.
	others map[string]*record
	// byStem holds the first record file (by path) of each file name without .json: the
	// record that should hold the id of that name.
	byStem map[string]*record
	// resolvedMu guards resolved, the ids of the records handed over that are resolvable but
	// not the first of their file name (see resolves).
	resolvedMu sync.Mutex
	resolved   map[string]bool
	dir        *datadir.Dir
	workers    int
	// quotes holds the evidence quotes of the records, for the sources check.
	quotes quoteStore
	slabs  slabs // the facts

	mu       sync.Mutex
	findings []Finding
}

// settle notes a record once it is handed over (Options.Records): from then on a reference to
// its id resolves, if the record decoded and its kind is the one its id's prefix names. A check
// can then settle such a reference while the records still come, rather than keep it for Cross.
func (x *Index) settle(r *record) {
	if r.id == "" || !r.decoded || r.kind == schema.Manifest || r.kind != datadir.KindOfPrefix(r.id) {
		return
	}
	if x.byStem[r.id] == r {
		r.resolvable.Store(true)
		return
	}
	x.resolvedMu.Lock()
	x.resolved[r.id] = true
	x.resolvedMu.Unlock()
}

// resolves reports whether a reference to an id resolves: a record of the id, of the kind its
// prefix names, has been handed over. It is nearly always the file named after the id.
func (x *Index) resolves(id string) bool {
	if r := x.byStem[id]; r != nil && r.resolvable.Load() {
		return true
	}
	x.resolvedMu.Lock()
	defer x.resolvedMu.Unlock()
	return x.resolved[id]
}

// forget drops the facts check c kept of the records, once its Cross has run.
func (x *Index) forget(c *Check) {
	if c.Facts == nil {
		return
	}
	for _, r := range x.records {
		r.facts[c.Facts.slotOf()] = nil
	}
}

// indexIDs notes the records that hold an id but are not the file named after it (see first).
func (x *Index) indexIDs() {
	for _, r := range x.records {
		if r.id == "" || r.kind == schema.Manifest || !r.decoded || x.byStem[r.id] == r {
			continue
		}
		if _, ok := x.others[r.id]; !ok {
			x.others[r.id] = r
		}
	}
}

// first returns the first record (by path) that decoded and holds the id, or nil: nearly
// always the file named after the id.
func (x *Index) first(id string) *record {
	named := x.byStem[id]
	if named != nil && (named.id != id || !named.decoded || named.kind == schema.Manifest) {
		named = nil
	}
	other := x.others[id]
	if other == nil || named != nil && named.file < other.file {
		return named
	}
	return other
}

// noPosition is the place of a finding about a whole file: its first line.
var noPosition = place{1, 1}

// Reportf reports a finding of rule r about the file at a place the facts kept.
func (x *Index) Reportf(r *Rule, file string, at place, ptr string, format string, args ...any) {
	if !x.check.declares(r) {
		return
	}
	f := Finding{File: file, Line: int(at.line), Column: int(at.col), Pointer: ptr, Rule: r.ID, Severity: r.Severity,
		Message: fmt.Sprintf(format, args...)}
	x.mu.Lock()
	x.findings = append(x.findings, f)
	x.mu.Unlock()
}
