package datadir

import (
	"bytes"
	"encoding/binary"
	"io/fs"
	"os"
	"slices"
	"syscall"
	"unsafe"
)

// newReader returns the reader of a sub-folder: on Linux, one that reads with the fewest
// system calls (see sysReader).
func newReader(root *os.Root) (reader, error) {
	if genericReader {
		return rootReader{root}, nil
	}
	dir, err := root.Open(".")
	if err != nil {
		return nil, err
	}
	return &sysReader{root: root, dir: dir, fd: int(dir.Fd())}, nil
}

// sysReader reads the files of one sub-folder of the dataset folder with the fewest system
// calls: openat relative to the sub-folder (opened through the os.Root), then fstat, read and
// close. os.Root's own OpenFile adds a poller registration and fcntl calls to each file, a
// quarter more system time over 100,000 files. Safety does not rest on the listing: openat
// refuses a symbolic link (O_NOFOLLOW), does not wait on a named pipe (O_NONBLOCK), and fstat
// of what was opened refuses anything but a regular file before a byte is read.
type sysReader struct {
	root *os.Root
	dir  *os.File // the sub-folder, kept open for its descriptor
	fd   int
}

func (d *sysReader) close() {
	d.dir.Close()
	d.root.Close()
}

// read opens base in the sub-folder and reads it as readLimited does; name is the path
// errors report.
func (d *sysReader) read(base, name string, limit int64, buf []byte) ([]byte, error) {
	fd, err := retry(func() (int, error) {
		return syscall.Openat(d.fd, base, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	})
	if err == syscall.ELOOP {
		return buf, &fs.PathError{Op: "open", Path: name, Err: ErrNotRegular}
	}
	if err != nil {
		return buf, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if _, err := retry(func() (int, error) { return 0, syscall.Fstat(fd, &st) }); err != nil {
		return buf, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return buf, &fs.PathError{Op: "read", Path: name, Err: ErrNotRegular}
	}
	if st.Size > limit {
		return buf, tooLarge(name, st.Size, limit)
	}
	start := len(buf)
	buf = slices.Grow(buf, int(st.Size)+1) // room for one byte more sees a file that grew
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, minRead)
		}
		room := buf[len(buf):min(cap(buf), start+int(limit)+1)]
		n, err := retry(func() (int, error) { return syscall.Read(fd, room) })
		if err != nil {
			return buf, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		buf = buf[:len(buf)+n]
		if len(buf)-start > int(limit) {
			return buf, tooLarge(name, -1, limit)
		}
		// The end: nothing more to read, or a short read that brought the file to the size
		// fstat gave (a regular file's read stops short only at its end), which spares a
		// second read of each file: 287,000 system calls at 200,000 incidents.
		if n == 0 || n < len(room) && len(buf)-start == int(st.Size) {
			return buf, nil
		}
	}
}

// retry calls a system call again while a signal interrupts it.
func retry(call func() (int, error)) (int, error) {
	for {
		n, err := call()
		if err != syscall.EINTR {
			return n, err
		}
	}
}

// listRoot lists a folder on disk as List does, reading each folder's entries with getdents,
// which carries their types: os.Root's ReadDir calls lstat on every entry, which doubles the
// time of listing 100,000 files. Each sub-folder is opened relative to its parent, by the name
// its parent lists, refusing a link (O_NOFOLLOW): nothing outside the root is entered.
func listRoot(root *os.Root) ([]Entry, error) {
	dir, err := root.Open(".")
	if err != nil {
		return nil, err
	}
	defer dir.Close()
	l := &lister{root: root, buf: make([]byte, 64<<10)}
	err = l.list(int(dir.Fd()), "")
	sortEntries(l.out)
	return slices.Clip(slices.Clone(l.out)), err // without the room appending left: the list is kept for the run
}

type lister struct {
	root *os.Root
	buf  []byte
	out  []Entry
	// paths holds the bytes of the paths listed: a dataset has hundreds of thousands of files,
	// which the run keeps listed; their paths, one string each, were a tenth of the objects the
	// garbage collector marked again at each cycle. They are carved from chunks instead.
	paths []byte
}

// path returns prefix+name, carved from the lister's chunk of paths. The bytes of a chunk are
// written once, when the path is carved, and never again: the string does not change.
func (l *lister) path(prefix string, name []byte) string {
	n := len(prefix) + len(name)
	if cap(l.paths)-len(l.paths) < n {
		l.paths = make([]byte, 0, max(64<<10, n))
	}
	start := len(l.paths)
	l.paths = append(append(l.paths, prefix...), name...)
	return unsafe.String(&l.paths[start], n)
}

// list appends the entries of the open folder fd, at path prefix, and those of its
// sub-folders.
func (l *lister) list(fd int, prefix string) error {
	var dirs []string
	for {
		n, err := retry(func() (int, error) { return syscall.ReadDirent(fd, l.buf) })
		if err != nil {
			return &fs.PathError{Op: "readdir", Path: prefix + ".", Err: err}
		}
		if n == 0 {
			break
		}
		for rec := l.buf[:n]; len(rec) > 0; {
			// struct linux_dirent64: ino u64, off s64, reclen u16, type u8, name NUL-terminated
			size := int(binary.NativeEndian.Uint16(rec[16:]))
			name, typ := rec[19:size], rec[18]
			rec = rec[size:]
			name = name[:bytes.IndexByte(name, 0)]
			if len(name) == 0 || name[0] == '.' {
				continue // ".", "..", and hidden entries
			}
			p := l.path(prefix, name)
			mode, err := l.typeOf(p, typ)
			if err != nil {
				return err
			}
			if mode.IsDir() {
				dirs = append(dirs, string(name))
			} else {
				l.out = append(l.out, entryOf(p, mode))
			}
		}
	}
	for _, name := range dirs {
		sub, err := retry(func() (int, error) {
			return syscall.Openat(fd, name, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_NOFOLLOW|syscall.O_CLOEXEC, 0)
		})
		if err != nil {
			return &fs.PathError{Op: "open", Path: prefix + name, Err: err}
		}
		err = l.list(sub, prefix+name+"/")
		syscall.Close(sub)
		if err != nil {
			return err
		}
	}
	return nil
}

// typeOf returns the type of the entry at p as fs.FileMode type bits, from its folder's
// listing, or from an lstat through the root when the file system does not say.
func (l *lister) typeOf(p string, typ byte) (fs.FileMode, error) {
	switch typ {
	case syscall.DT_REG:
		return 0, nil
	case syscall.DT_DIR:
		return fs.ModeDir, nil
	case syscall.DT_LNK:
		return fs.ModeSymlink, nil
	case syscall.DT_FIFO:
		return fs.ModeNamedPipe, nil
	case syscall.DT_SOCK:
		return fs.ModeSocket, nil
	case syscall.DT_CHR:
		return fs.ModeDevice | fs.ModeCharDevice, nil
	case syscall.DT_BLK:
		return fs.ModeDevice, nil
	}
	st, err := l.root.Lstat(p)
	if err != nil {
		return 0, err
	}
	return st.Mode().Type(), nil
}
