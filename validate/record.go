package validate

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/schema"
)

// pass reads one record file and runs every check's per-record part on it. It returns the
// record, without its bytes, when it decoded.
func (v *validation) pass(r *record) (*datadir.Record, error) {
	rec := &datadir.Record{Kind: r.kind, File: r.file}
	p := newPass(Pass{Record: rec, Kind: r.kind, rec: r, intern: v.intern, pointer: v.pointer, check: jsonCheck, versions: v.versions, index: v.x})
	defer releasePass(p)
	data, release, err := readPooled(v.x.dir, r.file)
	if err != nil {
		return nil, readError(p, err)
	}
	defer release()
	rec.Data = data
	jsonCheck.Run(p)
	if rec.Doc != nil {
		defer rec.Doc.Release()
	}
	if r.decoded {
		if err := v.prepare(p); err != nil {
			return nil, fmt.Errorf("%s: %w", r.file, err)
		}
		for _, c := range v.checks {
			if c != jsonCheck && c.Run != nil {
				p.check = c
				c.Run(p)
			}
		}
	}
	r.findings = append(r.findings, p.positioned()...)
	rec.Data = nil
	if !r.decoded {
		return nil, nil
	}
	return rec, nil
}

// passes holds the passes of records checked: a pass keeps the room of its lists (the
// definitions' values, the facts, the evidence items) for the next record, which spares most
// of the garbage a pass makes.
var passes = sync.Pool{New: func() any { return new(Pass) }}

// newPass returns a pass like p, with the room of a pass released earlier.
func newPass(p Pass) *Pass {
	q := passes.Get().(*Pass)
	p.defs, p.facts, p.evidence, p.pending = q.defs[:0], q.facts[:0], q.evidence[:0], q.pending[:0]
	*q = p
	return q
}

// releasePass clears a pass (nothing of its record stays reachable from the pool) and keeps it.
func releasePass(p *Pass) {
	clear(p.defs)
	clear(p.facts)
	clear(p.pending)
	for i := range p.evidence {
		clear(p.evidence[i].supports)
		p.evidence[i] = evidenceItem{supports: p.evidence[i].supports[:0]}
	}
	*p = Pass{defs: p.defs[:0], facts: p.facts[:0], evidence: p.evidence[:0], pending: p.pending[:0]}
	passes.Put(p)
}

// readError reports a record file the reading layer refuses to read: one that is not a
// regular file (it was, when the folder was listed) or that is too large. Any other error is
// an I/O failure, returned.
func readError(p *Pass, err error) error {
	switch {
	case errors.Is(err, datadir.ErrNotRegular):
		p.ReportAtf(ruleNotRegular, firstLine, "", "the file is no longer a regular file (it changed while apmd read the folder): run apmd again")
	case errors.Is(err, datadir.ErrTooLarge):
		p.ReportAtf(ruleTooLarge, firstLine, "", "the file is larger than the %d MiB a record may have, and is not read: a record is a few KB; check that this is the file you meant", datadir.MaxRecordSize>>20)
	default:
		return err
	}
	return nil
}

// prepare sets what every check of a decoded record reads: the kind it is checked as, the
// schema version, its tree, and the record's id.
func (v *validation) prepare(p *Pass) error {
	rec, r := p.Record, p.rec
	p.Object, _ = rec.Value.(map[string]any)
	r.id = v.intern(rec.ID)
	if rec.ID != "" {
		r.idPos = placeOf(rec.Position("/" + schema.FieldID))
	}
	p.Kind = recordKind(rec.Kind, rec.ID)
	r.kind = p.Kind
	var err error
	p.Set, p.version, err = v.schemaOf(p.Object)
	if p.version == versionKnown || p.version == versionMissing {
		p.Node = p.Set.Node(p.Kind)
	}
	return err
}

// recordKind is the kind a record is checked as: its folder's, unless its id's prefix names
// another kind. One misplaced file then yields one finding (file-wrong-folder) rather than a
// schema error per field.
func recordKind(folder schema.Kind, id string) schema.Kind {
	if folder == schema.Manifest {
		return folder
	}
	if k := datadir.KindOfPrefix(id); k != "" {
		return k
	}
	return folder
}

// versionStatus says how the schema version a record is checked against was chosen.
type versionStatus int

const (
	versionKnown   versionStatus = iota // the version the record declares
	versionMissing                      // the latest: the record declares none (the schema reports it)
	versionUnknown                      // the latest, standing in for a version the registry does not know
	versionNewer                        // none: the record declares a version newer than any known
)

// schemaOf returns the schema version a record is checked against: the version it declares,
// else the latest, and how it was chosen. The error is for a version that does not compile.
func (v *validation) schemaOf(obj map[string]any) (*schema.Set, versionStatus, error) {
	version, declared := obj[schema.FieldSchemaVersion].(string)
	set, err := v.reg.Get(version)
	switch {
	case err == nil:
		return set, versionKnown, nil
	case declared && slices.Contains(v.versions, version):
		return nil, versionKnown, err // a known version that does not compile: an internal error
	case declared && schema.CompareVersions(version, v.reg.Latest()) > 0:
		return nil, versionNewer, nil
	}
	status := versionUnknown
	if !declared {
		status = versionMissing
	}
	set, err = v.reg.Get(v.reg.Latest())
	return set, status, err
}

// positioned returns the pending findings of a pass with their positions, read from the
// record's document.
func (p *Pass) positioned() []Finding {
	out := make([]Finding, len(p.pending))
	for i, f := range p.pending {
		pos := p.Record.Position(f.Pointer)
		if f.key {
			pos = p.Record.KeyPosition(f.Pointer)
		}
		f.Line, f.Column = pos.Line, pos.Column
		out[i] = f.Finding
	}
	return out
}
