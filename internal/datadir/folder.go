package datadir

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"sync"
)

// The most a file of a dataset may hold: a larger one is a finding, and is not read whole.
// A record is a few KB (the largest bundled one is 6 KB); a source text is one article (the
// largest is 40 KB). The limits leave room for any real record or article while keeping a
// file that is huge by mistake (or by malice, such as a link to /dev/zero) from filling memory.
const (
	MaxRecordSize = 8 << 20  // 8 MiB
	MaxTextSize   = 16 << 20 // 16 MiB
)

// Errors of Folder.Read, wrapped in an *fs.PathError naming the file.
var (
	// ErrNotRegular is a symbolic link, a named pipe, a device, a socket or a folder where a
	// file was listed: it is never read.
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooLarge is a file larger than the limit it is read with.
	ErrTooLarge = errors.New("file too large")
)

// Dir is a dataset folder opened for reading: the one place where apmd reads a dataset's
// files. A folder on disk is read through an os.Root, so that nothing outside it is ever
// opened; only regular files are read, and only up to a limit.
type Dir struct {
	fsys fs.FS
	root *os.Root // nil for a folder that is an fs.FS (the embedded dataset, test data)

	mu   sync.Mutex
	dirs map[string]reader // the readers of the sub-folders of root, opened when first read
}

// Open opens the dataset folder dir on disk.
func Open(dir string) (*Dir, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &Dir{fsys: root.FS(), root: root, dirs: map[string]reader{}}, nil
}

// FromFS returns a dataset folder that is a file system: the embedded dataset, or test data.
// Its files are read through fsys as they are; a folder on disk is opened with Open.
func FromFS(fsys fs.FS) *Dir { return &Dir{fsys: fsys} }

// Close releases what the folder holds open.
func (f *Dir) Close() error {
	if f.root == nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, d := range f.dirs {
		d.close()
	}
	f.dirs = nil
	return f.root.Close()
}

// List returns every entry of the folder that is not a folder, sorted by path (see List).
func (f *Dir) List() ([]Entry, error) {
	if f.root == nil || genericReader {
		return List(f.fsys)
	}
	return listRoot(f.root)
}

// Read appends the content of the regular file name (slash-separated, as listed) to buf and
// returns the extended buffer. A file that is not a regular file is an ErrNotRegular and is
// not read; a file of more than limit bytes is an ErrTooLarge, whether its size says so
// before it is read or it grows while it is.
func (f *Dir) Read(name string, limit int64, buf []byte) ([]byte, error) {
	if !fs.ValidPath(name) || name == "." {
		return buf, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if f.root == nil {
		file, err := f.fsys.Open(name)
		if err != nil {
			return buf, err
		}
		defer file.Close()
		return readLimited(file, name, limit, buf)
	}
	d, err := f.dir(path.Dir(name))
	if err != nil {
		return buf, &fs.PathError{Op: "open", Path: name, Err: errors.Unwrap(err)}
	}
	return d.read(path.Base(name), name, limit, buf)
}

// dir returns the reader of a sub-folder, opening it through the root when first asked.
func (f *Dir) dir(name string) (reader, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if d, ok := f.dirs[name]; ok {
		return d, nil
	}
	sub, err := f.root.OpenRoot(name)
	if err != nil {
		return nil, err
	}
	d, err := newReader(sub)
	if err != nil {
		sub.Close()
		return nil, err
	}
	f.dirs[name] = d
	return d, nil
}

// stater is what readLimited needs of an open file.
type stater interface {
	io.Reader
	Stat() (fs.FileInfo, error)
}

// readLimited checks that an open file is a regular file of at most limit bytes, then appends
// its content to buf, reading at most limit+1 bytes.
func readLimited(file stater, name string, limit int64, buf []byte) ([]byte, error) {
	st, err := file.Stat()
	if err != nil {
		return buf, err
	}
	if !st.Mode().IsRegular() {
		return buf, &fs.PathError{Op: "read", Path: name, Err: ErrNotRegular}
	}
	if st.Size() > limit {
		return buf, tooLarge(name, st.Size(), limit)
	}
	start := len(buf)
	buf = slices.Grow(buf, int(st.Size())+1)
	r := io.LimitReader(file, limit+1)
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, minRead)
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)-start) > limit {
			return buf, tooLarge(name, -1, limit)
		}
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return buf, &fs.PathError{Op: "read", Path: name, Err: err}
		}
	}
}

// tooLarge is the error of a file of size bytes (-1: more than limit, as it was being read).
func tooLarge(name string, size, limit int64) error {
	if size < 0 {
		return &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)}
	}
	return &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("%w: %d bytes, more than %d", ErrTooLarge, size, limit)}
}

// minRead is the least room Read makes in its buffer before a read.
const minRead = 4096
