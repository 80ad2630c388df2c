//go:build !unix

package dataset

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"slices"
)

// readFileInto appends the file at path to buf through os.Open; name is the path errors
// report.
func readFileInto(path, name string, buf []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return buf, &fs.PathError{Op: "open", Path: name, Err: errors.Unwrap(err)}
	}
	defer f.Close()
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, max(minRead, cap(buf))) // double, as os.ReadFile does
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return buf, &fs.PathError{Op: "read", Path: name, Err: errors.Unwrap(err)}
		}
	}
}
