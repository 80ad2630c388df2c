package datadir_test

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/internal/synth"
	"github.com/apmd-data/apmd/schema"
)

// benchSizes are the dataset sizes of the read benchmark. The large one is generated (once,
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

// BenchmarkReadParallel lists a dataset folder and reads and decodes every record file on
// every core (ReadRecord in GOMAXPROCS goroutines): what a validator that does not hold
// every file at once can expect from the loading step.
func BenchmarkReadParallel(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("incidents=%d", n), func(b *testing.B) {
			fsys := os.DirFS(benchDir(b, n))
			var records atomic.Int64
			for b.Loop() {
				entries, err := datadir.List(fsys)
				if err != nil {
					b.Fatal(err)
				}
				work := make(chan datadir.Entry, 256)
				var wg sync.WaitGroup
				for range runtime.GOMAXPROCS(0) {
					wg.Go(func() {
						for e := range work {
							if _, err := datadir.ReadRecord(fsys, e.Kind, e.Path); err != nil {
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
