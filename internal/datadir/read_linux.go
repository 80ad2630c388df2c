package datadir

import (
	"io/fs"
	"os"
	"slices"
	"syscall"
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
	buf = slices.Grow(buf, int(st.Size)+1) // one read more sees the end, or a file that grew
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
		if n == 0 {
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
