package validate

import (
	"sync"

	"github.com/apmd-data/apmd/internal/datadir"
)

// readBufs holds the buffers record files are read into. Checking a record keeps no slice of
// its bytes (the decoder copies them, findings copy what they quote), so each buffer is reused
// for the next file.
var readBufs = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

// maxPooled is the largest buffer kept for reuse; a rare huge file does not pin its size.
const maxPooled = 1 << 20

// readPooled reads the record file name of the folder into a buffer of readBufs. The caller
// calls release once it no longer uses the bytes.
func readPooled(d *datadir.Dir, name string) (data []byte, release func(), err error) {
	bp := readBufs.Get().(*[]byte)
	b := (*bp)[:0]
	release = func() {
		if cap(b) <= maxPooled {
			*bp = b[:0]
			readBufs.Put(bp)
		}
	}
	if b, err = d.Read(name, datadir.MaxRecordSize, b); err != nil {
		return nil, nil, err
	}
	return b, release, nil
}
