package main

import (
	"os"
	"runtime/debug"
)

// gcPercent and the limits are the garbage collector's settings tuneGC applies for a run that
// validates (validateLimit) or exports (exportLimit) a dataset.
// Checking a record allocates about 10 KB (its text as a string, the maps of its objects), nearly
// all of it garbage at once, while what the validation keeps grows by about 1 KB per record.
// With the default GOGC of 100 the collector would run after every few hundred records early
// on; collecting when the heap has grown fivefold runs it a quarter as often. The soft memory
// limit bounds the peak on large datasets: near it the collector runs as often as it must.
// At 200,000 incidents (287,000 files, 1.2 GB) the validation keeps 255 MB once every record
// is checked, in about 300,000 objects (the facts are in chunks, see validate/slab.go); with a
// limit of 370 MiB the collector runs about 25 times (3% of the CPU) and the process peaks at
// 385 MB. An export also keeps the rows of its tables (2.4 million there): under that limit it
// collected all the time (47 s instead of 34), so it keeps the 768 MiB it had.
const (
	gcPercent     = 400
	validateLimit = 370 << 20
	exportLimit   = 768 << 20
)

// tuneGC applies gcPercent and a soft memory limit, unless the user chose the collector's
// settings (GOGC or GOMEMLIMIT in the environment), and returns the function that restores the
// previous ones. The settings are the process's, so the packages leave them alone: apmd
// validate and export, whose main work is checking records, call it.
func tuneGC(limit int64) (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	percent := debug.SetGCPercent(gcPercent)
	prev := debug.SetMemoryLimit(limit)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(prev)
	}
}
