//go:build !linux

package datadir

import "os"

// listRoot lists a folder on disk as List does.
func listRoot(root *os.Root) ([]Entry, error) { return List(root.FS()) }

// newReader returns the reader of a sub-folder: os.Root's on this system.
func newReader(root *os.Root) (reader, error) { return rootReader{root}, nil }
