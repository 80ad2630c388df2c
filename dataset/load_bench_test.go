package dataset_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/apmd-data/apmd/dataset"
	"github.com/apmd-data/apmd/dataset/synth"
	"github.com/apmd-data/apmd/schema"
)

// benchSizes are the dataset sizes of the load benchmarks. The large one is generated (once,
// cached under the temporary directory) only when a benchmark that needs it runs, and never
// in -short mode.
var benchSizes = []int{1000, 100000}

const benchSeed = 1

// benchDir returns the cached synthetic dataset of n incidents, generating it if needed.
func benchDir(b *testing.B, n int) string {
	b.Helper()
	if n > 10000 && testing.Short() {
		b.Skipf("%d incidents: skipped in -short mode", n)
	}
	dir, err := synth.Cached(n, benchSeed)
	if err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkLoad lists a dataset folder and reads and decodes every record file: the work
// every validation and export starts with.
func BenchmarkLoad(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("incidents=%d", n), func(b *testing.B) {
			fsys := os.DirFS(benchDir(b, n))
			var records int
			b.ResetTimer()
			for b.Loop() {
				d, errs := dataset.Load(fsys)
				if len(errs) > 0 {
					b.Fatal(errs[0])
				}
				records = len(d.Records)
			}
			b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// BenchmarkReadParallel lists a dataset folder and reads and decodes every record file on
// every core (ReadRecord in GOMAXPROCS goroutines): what a validator that does not hold
// every file at once can expect from the loading step.
func BenchmarkReadParallel(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("incidents=%d", n), func(b *testing.B) {
			fsys := os.DirFS(benchDir(b, n))
			var records atomic.Int64
			for b.Loop() {
				entries, err := dataset.List(fsys)
				if err != nil {
					b.Fatal(err)
				}
				work := make(chan dataset.Entry, 256)
				var wg sync.WaitGroup
				for range runtime.GOMAXPROCS(0) {
					wg.Go(func() {
						for e := range work {
							if _, err := dataset.ReadRecord(fsys, e.Kind, e.Path); err != nil {
								b.Error(err)
							}
							records.Add(1)
						}
					})
				}
				for _, e := range entries {
					if e.Kind != "" && e.Kind != schema.Manifest {
						work <- e
					}
				}
				close(work)
				wg.Wait()
			}
			b.ReportMetric(float64(records.Load())/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// BenchmarkDecode compares dataset.Decode (which also reports duplicate keys) with
// encoding/json decoding into any, on the incident files of a generated dataset held in memory.
func BenchmarkDecode(b *testing.B) {
	fsys := os.DirFS(benchDir(b, 1000))
	var files [][]byte
	var size int64
	fs.WalkDir(fsys, "incidents", func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".json") {
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				b.Fatal(err)
			}
			files = append(files, data)
			size += int64(len(data))
		}
		return err
	})
	decoders := []struct {
		name string
		fn   func([]byte) error
	}{
		{"dataset.Decode", func(data []byte) error { _, _, err := dataset.Decode(data); return err }},
		{"encoding-json", func(data []byte) error { var v any; return json.Unmarshal(data, &v) }},
	}
	for _, d := range decoders {
		b.Run(d.name, func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for _, f := range files {
					if err := d.fn(f); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(len(files))*float64(b.N)/b.Elapsed().Seconds(), "files/s")
		})
	}
}
