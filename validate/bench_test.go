package validate

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/apmd-data/apmd/internal/synth"
)

// BenchmarkDataset validates a folder of 2,000 incident files (copies of the valid case's
// incident under new ids) on disk; b.N runs, reported per file. For the 100,000-file figures
// in docs/performance.md, see the note there.
func BenchmarkDataset(b *testing.B) {
	const n = 2000
	dir := b.TempDir()
	_, fsys, _ := loadCase(b, casesDir+"/valid.txtar")
	for name, f := range fsys {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	inc := fsys["incidents/inc-quetta-market.json"].Data
	for i := range n {
		id := fmt.Sprintf("inc-bench-%05d", i)
		data := bytes.ReplaceAll(inc, []byte("inc-quetta-market"), []byte(id))
		data = bytes.ReplaceAll(data, []byte(`"cas-quetta-market`), []byte(`"cas-`+id[4:]))
		// The claim is about the original only (claim-attribution; a claim names at most 50
		// incidents), so a copy's perpetrator is attributed rather than claimed.
		data = bytes.Replace(data, []byte(`"attribution": "claimed", "claims": ["clm-quetta-market"]`), []byte(`"attribution": "attributed"`), 1)
		p := filepath.Join(dir, "incidents", fmt.Sprintf("%02d", i/100), id+".json")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}

	b.ResetTimer()
	for b.Loop() {
		mustBeValid(b, dir)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n/1000, "µs/file")
}

// BenchmarkValidate1k and BenchmarkValidate100k validate the synthetic dataset of 1,000 and
// 100,000 incidents (synth.Cached, seed 1: generated once into the temporary directory, the
// large one only when selected and never in -short mode), every rule on.
func BenchmarkValidate1k(b *testing.B)   { benchSynth(b, 1000) }
func BenchmarkValidate100k(b *testing.B) { benchSynth(b, 100000) }

// BenchmarkValidate20k is the size the CPU profile in docs/performance.md was taken at.
func BenchmarkValidate20k(b *testing.B) { benchSynth(b, 20000) }

func benchSynth(b *testing.B, n int) {
	if n > 10000 && testing.Short() {
		b.Skipf("%d incidents: skipped in -short mode", n)
	}
	dir, err := synth.Cached(n, 1)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		mustBeValid(b, dir) // through the reading layer, as apmd validate reads a folder
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n)/1000, "µs/incident")
}

// mustBeValid validates a benchmark's dataset folder, which must have no findings.
func mustBeValid(b *testing.B, dir string) {
	defer tuneGC()()
	r, err := Dir(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	if !r.Valid() {
		var buf bytes.Buffer
		WriteText(&buf, r)
		b.Fatalf("the benchmark dataset is invalid:\n%.2000s", buf.String())
	}
}

// tuneGC sets the garbage collector as apmd validate does (cmd/apmd/gc.go), so that the
// benchmarks measure what the command does, and returns the function that restores it.
func tuneGC() (restore func()) {
	percent := debug.SetGCPercent(400)
	limit := debug.SetMemoryLimit(370 << 20) // validateLimit
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}
