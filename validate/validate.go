// Package validate checks an APMD dataset: each record against the schema version it
// declares, and the rules a schema cannot express (files, integrity, evidence, consistency).
// Every problem is a Finding at the file, line and column a contributor has to edit, with a
// stable rule id; Rules lists the rules.
//
// Records are independent, so files are checked by a pool of workers that each read, decode,
// validate and check one file, then keep only what the cross-record rules need (ids,
// references, quotes, names) and drop the bytes. The cross-record rules run afterwards; the
// positions of their findings come from re-reading only the files concerned. Source texts are
// read once each, when their quotes are checked.
package validate

import (
	"bytes"
	"fmt"
	"io/fs"
	pathpkg "path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/internal/jsonpos"
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
}

// Dataset validates the dataset folder fsys. The error is only for I/O or internal failures
// (the folder cannot be listed, a file cannot be read); problems with the data are findings.
func Dataset(fsys fs.FS, opts Options) (*Report, error) {
	reg := opts.Schemas
	if reg == nil {
		reg = schema.Released()
	}
	entries, err := datadir.List(fsys)
	if err != nil {
		return nil, fmt.Errorf("list dataset: %w", err)
	}
	var jobs []datadir.Entry
	for _, e := range entries {
		if e.Kind != "" {
			jobs = append(jobs, e)
		}
	}
	results := make([]*fileResult, len(jobs))
	ids := &interner{}
	var progressMu sync.Mutex
	done := 0
	err = parallel(len(jobs), opts.Workers, func(i int) error {
		data, release, err := readPooled(fsys, jobs[i].Path)
		if err != nil {
			return err
		}
		results[i] = checkRecord(reg, jobs[i].Kind, jobs[i].Path, data, ids)
		release()
		if err := results[i].err; err != nil {
			return fmt.Errorf("%s: %w", jobs[i].Path, err)
		}
		if opts.Progress != nil {
			progressMu.Lock()
			done++
			opts.Progress(done, len(jobs))
			progressMu.Unlock()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	x := &cross{fsys: fsys, schemas: reg, results: results, workers: opts.Workers}
	x.files(entries)
	if err := x.integrity(); err != nil {
		return nil, err
	}
	if err := x.evidence(); err != nil {
		return nil, err
	}
	x.dates()

	r := &Report{Stats: Stats{ByKind: map[string]int{}}}
	r.Stats.Files = len(entries)
	for _, res := range results {
		r.Findings = append(r.Findings, res.findings...)
		if res.decoded && res.kind != schema.Manifest {
			r.Stats.Records++
			r.Stats.ByKind[string(res.kind)]++
		}
	}
	found, err := x.resolve()
	if err != nil {
		return nil, err
	}
	r.Findings = append(r.Findings, found...)
	r.finish()
	return r, nil
}

// parallel runs fn(0..n-1) on a pool of workers and returns the first error.
func parallel(n, workers int, fn func(i int) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, n))
	next := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					errs <- err
					for range next { // skip the rest, so that the feeder finishes
					}
					return
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	close(errs)
	return <-errs
}

// cross runs the rules that need more than one file.
type cross struct {
	fsys    fs.FS
	schemas *schema.Registry
	results []*fileResult
	workers int
	pending []pending
	// byID holds the first record of each id.
	byID  map[string]*fileResult
	idsOf map[string][]string // kind → ids, for suggestions (built by integrity when needed)
	mu    sync.Mutex
}

func (x *cross) add(file string, r *Rule, ptr string, key bool, format string, args ...any) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.pending = append(x.pending, pending{Finding: Finding{File: file, Pointer: ptr, Rule: r.ID, Severity: r.Severity,
		Message: fmt.Sprintf(format, args...)}, key: key})
}

// addAt adds a finding about a whole file (no pointer), at its first line.
func (x *cross) addAt(file string, r *Rule, format string, args ...any) {
	x.pending = append(x.pending, pending{Finding: Finding{File: file, Line: 1, Column: 1, Rule: r.ID,
		Severity: r.Severity, Message: fmt.Sprintf(format, args...)}})
}

// files checks the folder's layout: the manifest, case collisions and unexpected files.
func (x *cross) files(entries []datadir.Entry) {
	texts := map[string]bool{}
	hasManifest := false
	for _, r := range x.results {
		if r.source != nil && r.source.textPath != "" {
			texts[r.source.textPath] = true
		}
		hasManifest = hasManifest || r.kind == schema.Manifest
	}
	if !hasManifest {
		x.addAt(datadir.ManifestFile, ruleManifestMissing,
			"the dataset folder has no %s: add the manifest (name, title, version, license, citation, description)", datadir.ManifestFile)
	}
	folded := map[string]string{}
	for _, e := range entries {
		low := strings.ToLower(e.Path)
		if first, ok := folded[low]; ok {
			x.addAt(e.Path, ruleCaseCollision,
				"%q and %q differ only in case, so they are one file on macOS and Windows: rename or remove one", e.Path, first)
		} else {
			folded[low] = e.Path
		}
		if e.Kind != "" || texts[e.Path] {
			continue
		}
		if top, _, _ := strings.Cut(e.Path, "/"); top == datadir.Folder(schema.Source) && strings.HasSuffix(e.Path, ".txt") {
			x.addAt(e.Path, ruleSourceTextOrphan,
				"no source record names this text as its text_file: add the source record (%s beside it), or remove the text",
				strings.TrimSuffix(pathpkg.Base(e.Path), ".txt")+".json")
			continue
		}
		x.addAt(e.Path, ruleUnexpected, "%s", unexpectedWhy(e.Path))
	}
}

func unexpectedWhy(p string) string {
	top, _, nested := strings.Cut(p, "/")
	var folders []string
	for _, k := range schema.Kinds {
		folders = append(folders, datadir.Folder(k)+"/")
	}
	switch {
	case !nested:
		return fmt.Sprintf("unexpected file at the top of the dataset: only %s and the folders %s belong here; move or remove it",
			datadir.ManifestFile, strings.Join(folders, ", "))
	case !slices.Contains(folders, top+"/"):
		return fmt.Sprintf("unexpected folder %q: records go in %s; move the file or remove it", top+"/", strings.Join(folders, ", "))
	}
	return fmt.Sprintf("unexpected file in %s/: it holds only <id>.json records%s; rename or remove it", top,
		map[bool]string{true: " and the .txt texts they name", false: ""}[top == datadir.Folder(schema.Source)])
}

// refPointers re-reads a record to find where it refers to a target.
func (x *cross) refPointers(r *fileResult, t target) ([]string, error) {
	data, err := fs.ReadFile(x.fsys, r.file)
	if err != nil {
		return nil, fmt.Errorf("re-read %s: %w", r.file, err)
	}
	v, _, err := jsonpos.Decode(bytes.TrimPrefix(data, bom))
	if err != nil {
		return nil, fmt.Errorf("re-read %s: %w", r.file, err)
	}
	version, _ := jsonpos.Resolve(v, "/"+fSchemaVersion)
	set, err := x.schemas.Get(fmt.Sprint(version))
	if err != nil {
		if set, err = x.schemas.Get(x.schemas.Latest()); err != nil {
			return nil, err
		}
	}
	var ptrs []string
	walk(set.Node(r.kind), v, func(n *schema.Node, v any, ptr func() string, name string) {
		if s, ok := v.(string); ok && s == t.id && name != fID && strings.TrimSuffix(n.Def, "_id") == t.kind {
			ptrs = append(ptrs, ptr())
		}
	})
	return ptrs, nil
}

// integrity checks ids, references and group names across records.
func (x *cross) integrity() error {
	nCas := 0
	for _, r := range x.results {
		nCas += len(r.casualties)
	}
	x.byID = make(map[string]*fileResult, len(x.results))
	casualties := make(map[string]string, nCas) // casualty id → file
	for _, r := range x.results {
		if r.id == "" || r.kind == schema.Manifest || !r.decoded {
			continue
		}
		if first, ok := x.byID[r.id]; ok {
			x.add(r.file, ruleIDDuplicate, "/"+fID, false,
				"id %q is already the id of %s: ids must be unique; give this record another id (and rename its file)", r.id, first.file)
			continue
		}
		x.byID[r.id] = r
		for _, c := range r.casualties {
			if first, ok := casualties[c.value]; ok {
				x.add(r.file, ruleIDDuplicate, c.ptr, false,
					"casualty id %q is already used in %s: casualty ids are unique across the dataset; give this figure another id", c.value, first)
				continue
			}
			casualties[c.value] = r.file
		}
	}
	// A file named like the missing id is usually a record whose id or syntax is broken:
	// saying so points at the real mistake rather than at every reference to it. The file
	// stems and the ids per kind (for suggestions) are gathered at the first unresolved
	// reference: a valid dataset never needs them.
	var stems map[string]*fileResult
	unresolved := 0
	for _, r := range x.results {
		for _, t := range r.targets {
			if rec, ok := x.byID[t.id]; ok && string(rec.kind) == t.kind {
				continue
			}
			if stems == nil {
				stems = make(map[string]*fileResult, len(x.results))
				for _, r := range x.results {
					stems[strings.TrimSuffix(pathpkg.Base(r.file), ".json")] = r
				}
				x.idsOf = map[string][]string{}
				for _, r := range x.results {
					if r.id != "" && x.byID[r.id] == r {
						k := string(datadir.KindOfPrefix(r.id))
						x.idsOf[k] = append(x.idsOf[k], r.id)
					}
				}
			}
			folder := datadir.Folder(schema.Kind(t.kind))
			why := fmt.Sprintf("Refer to an existing %s (ids are the file names under %s/ without .json), or add the record", t.kind, folder)
			if s := stems[t.id]; s != nil && !s.decoded {
				why = fmt.Sprintf("%s, which would define it, cannot be read: fix the errors reported for it", s.file)
			} else if s != nil && s.id != t.id {
				why = fmt.Sprintf("%s has the id %q instead: correct one of the two", s.file, s.id)
			} else if unresolved++; unresolved <= 500 {
				// Suggestions cost a scan of the ids; a dataset with thousands of broken
				// references gets them for the first few hundred only.
				why = strings.TrimPrefix(didYouMean(t.id, x.idsOf[t.kind])+" ", " ") + why
			}
			ptrs, err := x.refPointers(r, t)
			if err != nil {
				return err
			}
			for _, ptr := range ptrs {
				x.add(r.file, ruleRefUnresolved, ptr, false, "no %s record has the id %q. %s", t.kind, t.id, why)
			}
		}
	}
	type owner struct{ id, file, name string }
	names := map[string]owner{}
	for _, r := range x.results {
		if r.kind != schema.Group || x.byID[r.id] != r {
			continue
		}
		for _, n := range r.names {
			key := strings.ToLower(strings.Join(strings.Fields(n.value), " "))
			first, ok := names[key]
			switch {
			case !ok:
				names[key] = owner{r.id, r.file, n.value}
			case first.id != r.id:
				x.add(r.file, ruleGroupNameShare, n.ptr, false,
					"the name %q is also a name of %s (%s, as %q): one name cannot belong to two groups; if both records are the same group merge them, otherwise keep the name only on the group the sources mean",
					n.value, first.id, first.file, first.name)
			}
		}
	}
	return nil
}

// dates checks dated facts against the publication of the sources that support them.
func (x *cross) dates() {
	for _, r := range x.results {
		for _, d := range r.dated {
			seen := map[string]bool{}
			for _, s := range d.sources {
				src := x.byID[s]
				if seen[s] || src == nil || src.source == nil || src.source.publishedBy.IsZero() {
					continue
				}
				seen[s] = true
				if d.lo.After(src.source.publishedBy) {
					x.add(r.file, ruleEventAfterSource, d.ptr, false,
						"the date %q (at the earliest %s) is after %s was published (at the latest %s), yet that source's quote supports it: correct the date, or the source's publication date",
						d.value, day(d.lo), s, day(src.source.publishedBy))
				}
			}
		}
	}
}

// resolve computes the positions of the cross-record findings, reading each file concerned once.
func (x *cross) resolve() ([]Finding, error) {
	byFile := map[string][]pending{}
	var files []string
	var out []Finding
	for _, p := range x.pending {
		if p.Line > 0 {
			out = append(out, p.Finding)
			continue
		}
		if _, ok := byFile[p.File]; !ok {
			files = append(files, p.File)
		}
		byFile[p.File] = append(byFile[p.File], p)
	}
	slices.Sort(files)
	found := make([][]Finding, len(files))
	err := parallel(len(files), x.workers, func(i int) error {
		data, err := fs.ReadFile(x.fsys, files[i])
		if err != nil {
			return fmt.Errorf("re-read %s: %w", files[i], err)
		}
		found[i] = resolve(data, byFile[files[i]])
		return nil
	})
	for _, f := range found {
		out = append(out, f...)
	}
	return out, err
}
