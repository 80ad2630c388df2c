// Package apmd is the Afghanistan–Pakistan Militancy Dataset as Go sees it: the curated data
// of the dataset/ folder that apmd was built with. The packages that read it are schema (what a
// record is), validate (what is wrong with one) and export (the tables); see
// docs/architecture.md.
//
// A default build embeds no data file. go:embed refuses a file whose name Go modules cannot
// hold (a ' for one): embedding dataset/ would make such a file, which a contributor can add in
// a pull request, a compilation error of go run, go test and CI, where the validator reports it
// as a finding (file-name-invalid) with its fix. Data therefore reads the dataset/ folder of
// the module apmd was built from, and only a build with -tags bundle carries the files inside
// the binary (bundle.go).
package apmd

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// bundled holds the embedded dataset of a build with -tags bundle (bundle.go), else nil.
var bundled fs.FS

// sourceDataset is the dataset/ folder beside this file when it was compiled ("" when the
// build did not record an absolute path, as with -trimpath).
var sourceDataset = func() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	return filepath.Join(filepath.Dir(file), "dataset")
}()

// ErrNoData is the error of every file of Data when apmd has no dataset: it was built without
// -tags bundle, and the module it was built from is no longer on disk.
var ErrNoData = errors.New("apmd carries no dataset: build it with -tags bundle, or name a dataset folder")

// Data returns the dataset apmd was built with, as a file system rooted at the dataset folder
// (dataset.json, sources/, groups/, incidents/, claims/): the embedded files of a build with
// -tags bundle, else the module's dataset/ folder on disk (see the package comment).
func Data() fs.FS {
	if bundled != nil {
		return bundled
	}
	if sourceDataset != "" {
		if st, err := os.Stat(sourceDataset); err == nil && st.IsDir() {
			return os.DirFS(sourceDataset)
		}
	}
	return noData{}
}

// Origin says where Data reads the dataset from: "embedded in apmd" (a build with -tags
// bundle), the path of the module's dataset/ folder, or "" when apmd has no dataset.
func Origin() string {
	switch _, isNone := Data().(noData); {
	case bundled != nil:
		return "embedded in apmd"
	case isNone:
		return ""
	}
	return sourceDataset
}

// noData is the dataset of an apmd without one.
type noData struct{}

func (noData) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: ErrNoData}
}
