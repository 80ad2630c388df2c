package main

import (
	"os"
	"runtime/debug"
)

// gcPercent and gcLimit are the garbage collector's settings tuneGC applies for a run that
// validates (or exports) a dataset.
// Checking a record allocates about 10 KB (its text as a string, the maps of its objects), nearly
// all of it garbage at once, while what the validation keeps grows by about 1 KB per record.
// With the default GOGC of 100 the collector would run after every few hundred records early
// on; collecting when the heap has grown fivefold runs it a quarter as often. The soft memory
// limit bounds the peak on large datasets: near it the collector runs as often as it must. At
// 200,000 incidents (287,000 files, 1.2 GB) the validation keeps 255 MB once every record is
// checked, in about 300,000 objects (the facts are in chunks, see validate/slab.go); with a
// limit of 370 MiB the collector runs about 25 times (3% of the CPU) and the process peaks at
// 385 MB. The same run with a 768 MiB limit took no less time (the collector marks few objects).
const (
	gcPercent = 400
	gcLimit   = 370 << 20
)

// tuneGC applies gcPercent and gcLimit, unless the user chose the collector's settings
// (GOGC or GOMEMLIMIT in the environment), and returns the function that restores the
// previous ones. The settings are the process's, so the packages leave them alone: apmd
// validate and export, whose main work is checking records, call it.
func tuneGC() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	percent := debug.SetGCPercent(gcPercent)
	limit := debug.SetMemoryLimit(gcLimit)
	return func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
}
