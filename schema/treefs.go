package schema

import "io/fs"

// TreeFromFS builds the annotated tree of one kind from schema files laid out like FS()
// (<version>/<kind>.schema.json). It lets a test or a tool read a schema that is not embedded,
// e.g. to check that a property added to a schema reaches the exports without Go changes.
// The files are read as they are: nothing is compiled or validated.
func TreeFromFS(fsys fs.FS, version string, kind Kind) (*Node, error) {
	return buildTreeFS(fsys, version, kind)
}
