package datadir

import (
	"io/fs"
	"os"
)

// reader reads the files of one sub-folder of a dataset folder on disk.
type reader interface {
	// read reads the file base of the sub-folder as readLimited does; name is the path errors
	// report.
	read(base, name string, limit int64, buf []byte) ([]byte, error)
	close()
}

// genericReader makes every system read through os.Root alone (set by tests, on systems that
// have a faster reader of their own).
var genericReader = false

// rootReader reads through the os.Root of the sub-folder: a file name there is one path
// element, so each read opens one file.
type rootReader struct{ root *os.Root }

func (r rootReader) close() { r.root.Close() }

// read opens base without blocking on a named pipe (where the system has them) and reads it.
// os.Root would follow a link that stays inside the folder: a link is refused first.
func (r rootReader) read(base, name string, limit int64, buf []byte) ([]byte, error) {
	if st, err := r.root.Lstat(base); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		return buf, &fs.PathError{Op: "open", Path: name, Err: ErrNotRegular}
	}
	file, err := r.root.OpenFile(base, os.O_RDONLY|nonBlock, 0)
	if err != nil {
		if pe, ok := err.(*fs.PathError); ok {
			pe.Path = name
		}
		return buf, err
	}
	defer file.Close()
	return readLimited(file, name, limit, buf)
}
