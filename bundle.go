//go:build bundle

package apmd

import (
	"embed"
	"io/fs"
)

// files is the dataset embedded by a build with -tags bundle: a binary that carries its data
// (apmd validate --embedded, apmd export without a folder). Such a build fails to compile when
// a data file's name is one go:embed refuses; apmd validate reports that name as
// file-name-invalid first (CI validates before it builds anything from the data).
//
//go:embed dataset/dataset.json dataset/sources dataset/groups dataset/incidents dataset/claims
var files embed.FS

func init() {
	sub, err := fs.Sub(files, "dataset")
	if err != nil {
		panic(err) // "dataset" is a valid path: fs.Sub cannot fail
	}
	bundled = sub
}
