package synth

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/apmd-data/apmd/internal/datadir"
)

// Revision changes whenever the generator's output changes, so that cached datasets made by
// an older generator are not reused.
const Revision = 1

// Cached returns a folder under the system's temporary directory holding the valid dataset of
// n incidents generated with seed, generating it on first use. Benchmarks of every package
// share it: a 100,000-incident dataset takes seconds to write, and is then read many times.
// Generation goes to a fresh folder renamed into place when complete, so a run that is
// interrupted, or two that race, never leave a half-written dataset behind.
func Cached(n int, seed uint64) (string, error) {
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("apmd-synth-r%d-n%d-s%d", Revision, n, seed))
	if _, err := os.Stat(filepath.Join(dir, datadir.ManifestFile)); err == nil {
		return dir, nil
	}
	tmp, err := os.MkdirTemp(os.TempDir(), filepath.Base(dir)+".tmp-")
	if err != nil {
		return "", err
	}
	if err := Generate(tmp, Options{Incidents: n, Seed: seed}); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if _, statErr := os.Stat(filepath.Join(dir, datadir.ManifestFile)); statErr == nil {
			return dir, nil // another process finished first
		}
		return "", err
	}
	return dir, nil
}
