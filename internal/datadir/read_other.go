//go:build !linux

package datadir

import "os"

// newReader returns the reader of a sub-folder: os.Root's on this system.
func newReader(root *os.Root) (reader, error) { return rootReader{root}, nil }
