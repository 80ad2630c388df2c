package validate

import (
	"io/fs"
	"sync"

	"github.com/apmd-data/apmd/internal/datadir"
)

// readBufs holds the buffers record files are read into. Checking a record keeps no slice of
// its bytes (the decoder copies them, findings copy what they quote), so each buffer is reused
// for the next file: fs.ReadFile allocated one per file and asked the file's size first, a
// system call more per file.
var readBufs = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

// maxPooled is the largest buffer kept for reuse; a rare huge file does not pin its size.
const maxPooled = 1 << 20

// readPooled reads the file name of fsys into a buffer of readBufs. The caller calls release
// once it no longer uses the bytes.
func readPooled(fsys fs.FS, name string) (data []byte, release func(), err error) {
	bp := readBufs.Get().(*[]byte)
	b := (*bp)[:0]
	release = func() {
		if cap(b) <= maxPooled {
			*bp = b[:0]
			readBufs.Put(bp)
		}
	}
	if b, err = datadir.ReadFileInto(fsys, name, b); err != nil {
		return nil, nil, err
	}
	return b, release, nil
}
