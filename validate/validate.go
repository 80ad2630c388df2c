// Package validate checks an APMD dataset: each record against the schema version it
// declares, and the rules a schema cannot express (files, integrity, evidence, consistency).
// Every problem is a Finding at the file, line and column a contributor has to edit, with a
// stable rule id; Rules lists the rules, and checks (one file per family of rules) apply them.
//
// Each record file is read and parsed once: a pool of workers runs every check's per-record
// part on it (a Pass), keeps what the cross-record parts need (facts, with the positions their
// findings would have) and drops the bytes. The cross-record parts run once every record has
// been checked (on an Index). A caller that wants the records themselves, such as the export,
// gets each one, in a fixed order, as soon as it is checked (Options.Records).
package validate

import (
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/schema"
)

// Options tunes a validation.
type Options struct {
	// Workers is the number of files checked at once; 0 means GOMAXPROCS.
	Workers int
	// Progress, if not nil, is called after each record file is checked (never concurrently).
	Progress func(done, total int)
	// Schemas serves the schema versions records are checked against; nil means the released
	// versions embedded in apmd. A test or a version in preparation passes its own registry.
	Schemas *schema.Registry
	// Rules, when it selects or ignores rules, leaves out the checks whose rules are all left
	// out: they do not run, and their findings are neither reported nor counted.
	Rules RuleFilter
	// Records, if not nil, is given each record file that decoded (the manifest included), once
	// its checks have run, in the order an export writes them: the manifest, then the records
	// of each kind of schema.Kinds, each kind in the order of its file names (<id>.json). It is
	// called on one goroutine; an error stops the validation and is returned. The record's
	// bytes and positions are gone by then: only its value and names remain.
	Records func(*datadir.Record) error
}

// Dir validates the dataset folder dir on disk. It reads the folder through an os.Root and
// reads only the regular files inside it, each up to a limit (datadir.Dir). The error is only
// for I/O or internal failures (the folder cannot be listed, a file cannot be read); problems
// with the data are findings.
func Dir(dir string, opts Options) (*Report, error) {
	d, err := datadir.Open(dir)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return validateDir(d, opts)
}

// Dataset validates a dataset folder that is a file system: the embedded dataset
// (apmd.Data()) or test data. A folder on disk is validated with Dir.
func Dataset(fsys fs.FS, opts Options) (*Report, error) {
	return validateDir(datadir.FromFS(fsys), opts)
}

func validateDir(d *datadir.Dir, opts Options) (*Report, error) {
	v, err := newValidation(d, opts)
	if err != nil {
		return nil, err
	}
	if err := v.passes(); err != nil {
		return nil, err
	}
	v.x.indexIDs()
	if err := v.crosses(false); err != nil {
		return nil, err
	}
	if err := v.crosses(true); err != nil {
		return nil, err
	}
	return v.report(), nil
}

// crosses runs at once the cross-record parts of the checks that run after the others' (after)
// or not, each on its own goroutine with its own Index, and returns the first error.
func (v *validation) crosses(after bool) error {
	var wg sync.WaitGroup
	errs := make([]error, len(v.checks))
	for i, c := range v.checks {
		if c.AfterCross != after {
			continue
		}
		wg.Go(func() {
			if c.Cross != nil {
				errs[i] = c.Cross(&Index{index: v.x.index, check: c})
			}
			v.x.forget(c) // what the check kept is not needed any more
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// validation is one run of Dataset.
type validation struct {
	opts   Options
	reg    *schema.Registry
	checks []*Check // the checks that run
	x      *Index
	// order lists the record files (indexes of x.records) in the order Options.Records gets them.
	order []int
	// out holds the records waiting to be handed to Options.Records.
	out      []*datadir.Record
	versions []string // the versions the registry knows
	// pointers shares one copy of each JSON pointer the facts keep.
	pointersMu sync.RWMutex
	pointers   map[string]string
}

func newValidation(d *datadir.Dir, opts Options) (*validation, error) {
	entries, err := d.List()
	if err != nil {
		return nil, fmt.Errorf("list dataset: %w", err)
	}
	v := &validation{opts: opts, reg: opts.Schemas, pointers: map[string]string{}}
	if v.reg == nil {
		v.reg = schema.Released()
	}
	v.versions = v.reg.Versions()
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	n := 0
	for _, e := range entries {
		if e.Kind != "" {
			n++
		}
	}
	v.x = &Index{index: &index{entries: entries, dir: d, workers: opts.Workers, others: map[string]*record{},
		byStem: make(map[string]*record, n), resolved: map[string]bool{}, records: make([]*record, 0, n)}}
	// One allocation for the records and one for their facts: a large dataset has hundreds of
	// thousands.
	records, facts := make([]record, n), make([]unsafe.Pointer, n*factSlots)
	for _, e := range entries {
		if e.Kind != "" {
			i := len(v.x.records)
			r := &records[i]
			r.file, r.kind, r.index, r.facts = e.Path, e.Kind, int32(i), facts[i*factSlots:(i+1)*factSlots:(i+1)*factSlots]
			if _, ok := v.x.byStem[stemOf(e.Path)]; !ok {
				v.x.byStem[stemOf(e.Path)] = r
			}
			v.x.records = append(v.x.records, r)
		}
	}
	v.order = exportOrder(v.x.records)
	for _, c := range checks {
		if c == jsonCheck || !opts.Rules.leavesOut(c) {
			v.checks = append(v.checks, c)
		}
	}
	v.opts = opts
	return v, nil
}

// exportOrder lists the records (their indexes) in the order an export writes them: the
// manifest, then each kind of schema.Kinds, each kind by file name (<id>.json), then by path.
// The records come in the order of their paths, so each kind's are already nearly in order:
// they are grouped by kind first (keeping their order), which leaves each sort little to do.
func exportOrder(records []*record) []int {
	type key struct {
		stem string
		i    int
	}
	groups := make([][]key, len(schema.Kinds)+1) // by kindOrder+1
	for i, r := range records {
		k := kindOrder(r.kind) + 1
		groups[k] = append(groups[k], key{stemOf(r.file), i})
	}
	order := make([]int, 0, len(records))
	for _, g := range groups {
		slices.SortFunc(g, func(a, b key) int { return cmp.Or(strings.Compare(a.stem, b.stem), cmp.Compare(a.i, b.i)) })
		for _, k := range g {
			order = append(order, k.i)
		}
	}
	return order
}

// stemOf is a record file's name without .json: the id it should hold.
func stemOf(file string) string { return strings.TrimSuffix(path.Base(file), ".json") }

// kindOrder orders the kinds as an export lists them: the manifest, then schema.Kinds.
func kindOrder(k schema.Kind) int {
	if k == schema.Manifest {
		return -1
	}
	return slices.Index(schema.Kinds, k)
}

// intern returns the one copy of an id that the validation keeps: the name of the file that
// should hold it, or a copy of its own (a copy never keeps a record's bytes alive).
func (v *validation) intern(s string) string {
	if r, ok := v.x.byStem[s]; ok {
		return stemOf(r.file)
	}
	return strings.Clone(s)
}

// pointer returns the one copy of a JSON pointer that the validation keeps.
func (v *validation) pointer(b []byte) string {
	v.pointersMu.RLock()
	p, ok := v.pointers[string(b)] // no copy of b to look it up
	v.pointersMu.RUnlock()
	if ok {
		return p
	}
	v.pointersMu.Lock()
	defer v.pointersMu.Unlock()
	if p, ok = v.pointers[string(b)]; !ok {
		p = string(b)
		v.pointers[p] = p
	}
	return p
}

// passes checks every record file on the workers, and hands the records over in order.
func (v *validation) passes() error {
	if v.opts.Records != nil {
		v.out = make([]*datadir.Record, len(v.order))
	}
	done := 0
	return inOrder(len(v.order), v.opts.Workers, func(i int) error {
		rec, err := v.pass(v.x.records[v.order[i]])
		if v.out != nil {
			v.out[i] = rec
		}
		return err
	}, func(i int) error {
		v.x.settle(v.x.records[v.order[i]])
		done++
		if v.opts.Progress != nil {
			v.opts.Progress(done, len(v.order))
		}
		if v.out == nil || v.out[i] == nil {
			return nil
		}
		rec := v.out[i]
		v.out[i] = nil
		return v.opts.Records(rec)
	})
}

// report gathers the findings of every record and of the cross-record checks.
func (v *validation) report() *Report {
	r := &Report{Stats: Stats{Files: len(v.x.entries), ByKind: map[string]int{}}}
	for _, c := range checks {
		if !slices.Contains(v.checks, c) {
			r.Stats.Skipped = append(r.Stats.Skipped, c.Name)
		}
	}
	for _, rec := range v.x.records {
		r.Findings = append(r.Findings, rec.findings...)
		if rec.decoded && rec.kind != schema.Manifest {
			r.Stats.Records++
			r.Stats.ByKind[string(rec.kind)]++
		}
	}
	r.Findings = append(r.Findings, v.x.findings...)
	r.finish()
	return r
}

// listed returns the entry of the folder at a path, if the folder lists one.
func (x *Index) listed(path string) (datadir.Entry, bool) {
	i, ok := slices.BinarySearchFunc(x.entries, path, func(e datadir.Entry, p string) int { return strings.Compare(e.Path, p) })
	if !ok {
		return datadir.Entry{}, false
	}
	return x.entries[i], true
}
