// Package synth writes large synthetic APMD datasets for benchmarks and for testing the
// validator at scale: deterministic from a seed, valid against schema 1.0.0 record by record,
// with source texts that contain every quote used as evidence (so the evidence rules do real
// work), and optionally with a share of records broken in every way the validator checks.
//
// The records read like the curated ones (real places, GTD/ACLED-like event types, casualty
// figures with the sources' qualifiers and the documented bounds), but every group, person,
// publisher and event is invented.
package synth

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/apmd-data/apmd/internal/datadir"
)

// Version is the schema version every generated record declares.
const Version = "1.0.0"

// Options say what to generate.
type Options struct {
	// Incidents is the number of incident records; claims (one per three incidents), groups
	// (one per 500 incidents, at least 20) and sources (one per 20 incidents) follow from it.
	Incidents int
	// Seed makes the output reproducible: the same options write the same bytes.
	Seed uint64
	// Break is the share of records (0 to 1) to corrupt; BreakKinds limits the ways (names
	// from BreakKinds(); empty means all). What was broken where is written to BreaksFile.
	Break      float64
	BreakKinds []string
	// Workers is the number of goroutines that build and write files (0: two per CPU, since
	// the work is half file-system calls).
	Workers int
}

// BreaksFile is the manifest of the broken records, at the root of the generated folder. Its
// name starts with '.' so that datadir.List, and so the validator, never see it as data.
const BreaksFile = ".breaks.json"

// Counts returns how many sources, groups and claims a dataset of n incidents gets.
func Counts(n int) (sources, groups, claims int) {
	sources = max(1, (n+19)/20)
	groups = max(20, n/500)
	claims = (n + 2) / 3
	return
}

// The record tags keep the random streams of different kinds apart.
const (
	tagIncident = iota + 1
	tagGroup
	tagSource
	tagBreak
	tagRelated
	tagJitter
)

// gen is one generation run: what every worker reads (filled before they start) and what
// they hand over to the source texts.
type gen struct {
	dir    string
	opts   Options
	n      int
	nSrc   int
	groups []*group
	perps  []*group // groups that commit attacks (not media outlets)
	srcIDs []string
	breaks *breaker
	base   time.Time
	span   int      // days between the first and the last possible event
	paras  []string // paras[i]: incident i's quotes (and its claim's), for its source's text
	latest []int32  // latest[i]: the last day (since base) of incident i's dates, its claim's included
	// What each chunk broke, kept apart so that the manifest does not depend on scheduling.
	incBreaks, srcBreaks []breakList
}

// Generate writes a complete dataset folder to dir (created if needed; existing files with
// the same names are overwritten).
func Generate(dir string, opts Options) error {
	if opts.Incidents < 1 {
		return fmt.Errorf("synth: %d incidents: want at least 1", opts.Incidents)
	}
	if opts.Break < 0 || opts.Break > 1 {
		return fmt.Errorf("synth: break share %v: want a number from 0 to 1", opts.Break)
	}
	br, err := newBreaker(opts)
	if err != nil {
		return err
	}
	if opts.Workers <= 0 {
		opts.Workers = 2 * runtime.GOMAXPROCS(0)
	}
	g := newGen(dir, opts, br)
	if err := g.mkdirs(); err != nil {
		return err
	}
	if err := g.writeFile(datadir.ManifestFile, render(nil, manifest(opts))); err != nil {
		return err
	}
	// Incidents and claims first: the source texts are made of their quotes.
	chunks := (g.n + chunkSize - 1) / chunkSize
	g.incBreaks = make([]breakList, chunks)
	if err := g.parallel(chunks, g.incidentChunk); err != nil {
		return err
	}
	srcChunks := (g.nSrc + chunkSize - 1) / chunkSize
	g.srcBreaks = make([]breakList, srcChunks)
	if err := g.parallel(srcChunks, g.sourceChunk); err != nil {
		return err
	}
	return g.finish()
}

// newGen draws what every worker reads: the sources' ids and the groups.
func newGen(dir string, opts Options, br *breaker) *gen {
	g := &gen{dir: dir, opts: opts, n: opts.Incidents, breaks: br}
	g.base = time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	g.span = int(time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC).Sub(g.base).Hours() / 24)
	var nGroups int
	g.nSrc, nGroups, _ = Counts(g.n)
	g.srcIDs = make([]string, g.nSrc)
	for s := range g.srcIDs {
		g.srcIDs[s] = fmt.Sprintf("src-%s-%06d", datadir.Slug(publishers[hash(opts.Seed, tagSource, uint64(s))%uint64(len(publishers))]), s)
	}
	g.groups = makeGroups(opts.Seed, nGroups, g.srcIDs)
	for _, gr := range g.groups {
		if !gr.media {
			g.perps = append(g.perps, gr)
		}
	}
	g.paras = make([]string, g.n)
	g.latest = make([]int32, g.n)
	return g
}

// finish writes the groups, and the list of broken records when there are any.
func (g *gen) finish() error {
	var all []Break
	var buf []byte
	for _, gr := range g.groups {
		brk, err := g.writeGroup(gr, &buf)
		if err != nil {
			return err
		}
		if brk != nil {
			all = append(all, *brk)
		}
	}
	for _, bl := range slices.Concat(g.incBreaks, g.srcBreaks) {
		all = append(all, bl...)
	}
	if g.opts.Break > 0 {
		return g.writeFile(BreaksFile, renderBreaks(all))
	}
	return nil
}

const chunkSize = 256

// parallel runs fn for chunks 0..n-1 on the workers; each worker has its own buffer. The
// first error stops the hand-out of new chunks.
type breakList []Break

func (g *gen) parallel(n int, fn func(chunk int, buf *[]byte) error) error {
	var (
		mu   sync.Mutex
		next int
		errs []error
		wg   sync.WaitGroup
	)
	for range min(g.opts.Workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for {
				mu.Lock()
				c := next
				next++
				stop := c >= n || len(errs) > 0
				mu.Unlock()
				if stop {
					return
				}
				if err := fn(c, &buf); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (g *gen) mkdirs() error {
	dirs := map[string]bool{datadir.Folder(kindSource): true, datadir.Folder(kindGroup): true}
	for i := range g.n {
		y := strconv.Itoa(g.day(i).Year())
		dirs[filepath.Join(datadir.Folder(kindIncident), y)] = true
		dirs[filepath.Join(datadir.Folder(kindClaim), y)] = true
	}
	for d := range dirs {
		if err := os.MkdirAll(filepath.Join(g.dir, d), 0o755); err != nil {
			return err
		}
	}
	return nil
}

func (g *gen) writeFile(rel string, data []byte) error {
	return os.WriteFile(filepath.Join(g.dir, filepath.FromSlash(rel)), data, 0o644)
}

// hash mixes a seed, a tag and an index into 64 random-looking bits (SplitMix64), for
// decisions that must not depend on the order in which workers draw random numbers.
func hash(seed uint64, tag int, i uint64) uint64 {
	z := seed ^ uint64(tag)<<56 ^ (i+1)*0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

func unit(h uint64) float64 { return float64(h>>11) / (1 << 53) }

func rng(seed uint64, tag int, i uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(tag)<<56|i))
}

// day returns the date of incident i: events spread evenly over 2001–2025 in index order
// (so that one source, which reports consecutive incidents, covers a few days), with jitter.
func (g *gen) day(i int) time.Time {
	return g.base.AddDate(0, 0, g.dayNum(i))
}

func (g *gen) dayNum(i int) int {
	d := int(int64(i)*int64(g.span)/int64(g.n)) + int(hash(g.opts.Seed, tagJitter, uint64(i))%7) - 3
	return min(max(d, 0), g.span)
}

// sourceOf returns the index of the source that reports incident i.
func (g *gen) sourceOf(i int) int { return int(int64(i) * int64(g.nSrc) / int64(g.n)) }

// firstOf returns the first incident reported by source s.
func (g *gen) firstOf(s int) int {
	return int((int64(s)*int64(g.n) + int64(g.nSrc) - 1) / int64(g.nSrc))
}

// relatesToPrev says whether incident i links to incident i-1 (about one in fifty).
func (g *gen) relatesToPrev(i int) bool {
	return i > 0 && i < g.n && hash(g.opts.Seed, tagRelated, uint64(i))%50 == 0
}

// hasClaim says whether incident i has a claim record (one in three).
func hasClaim(i int) bool { return i%3 == 0 }

// leaf says whether no other record refers to incident i, so that a break which hides the
// record (unreadable file, wrong file name) causes exactly one finding.
func (g *gen) leaf(i int) bool { return !hasClaim(i) && !g.relatesToPrev(i+1) }

func dayText(t time.Time) string {
	return months[t.Month()-1] + " " + strconv.Itoa(t.Day()) + ", " + strconv.Itoa(t.Year())
}

func monthText(t time.Time) string { return months[t.Month()-1] + " " + strconv.Itoa(t.Year()) }

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func manifest(opts Options) obj {
	var o obj
	o.add("schema_version", Version)
	o.add("name", "apmd-synthetic")
	o.add("title", "APMD synthetic dataset")
	o.add("version", "1.0.0")
	o.add("license", obj{{"data", "CC0-1.0"}, {"code", "MIT"}})
	o.add("citation", "Generated by apmd-synth; not real data.")
	o.add("description", fmt.Sprintf("A synthetic dataset of %d invented incidents for benchmarks and tests (seed %d, break share %v). Places are real; groups, people, publishers and events are not.", opts.Incidents, opts.Seed, opts.Break))
	return o
}
