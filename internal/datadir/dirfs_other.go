//go:build !unix

package datadir

import (
	"errors"
	"io/fs"
	"os"
)

// readFileInto appends the file at path to buf through os.Open; name is the path errors
// report.
func readFileInto(path, name string, buf []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return buf, &fs.PathError{Op: "open", Path: name, Err: errors.Unwrap(err)}
	}
	defer f.Close()
	buf, err = readAll(f, buf)
	if err != nil {
		return buf, &fs.PathError{Op: "read", Path: name, Err: errors.Unwrap(err)}
	}
	return buf, nil
}
