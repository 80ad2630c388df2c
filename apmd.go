// Package apmd is the Afghanistan–Pakistan Militancy Dataset as Go sees it: the curated data
// of the dataset/ folder, embedded in every binary built from this module. The packages that
// read it are schema (what a record is), validate (what is wrong with one) and export (the
// tables); see docs/architecture.md.
package apmd

import (
	"embed"
	"io/fs"
)

//go:embed dataset/dataset.json dataset/sources dataset/groups dataset/incidents dataset/claims
var data embed.FS

// Data returns the bundled dataset as a file system rooted at the dataset folder
// (dataset.json, sources/, groups/, incidents/, claims/).
func Data() fs.FS {
	sub, err := fs.Sub(data, "dataset")
	if err != nil {
		panic(err) // "dataset" is a valid path: fs.Sub cannot fail
	}
	return sub
}
