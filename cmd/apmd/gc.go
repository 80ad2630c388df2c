package main

import (
	"os"
	"runtime/debug"
)

// gcPercent and gcLimit are the garbage collector's settings tuneGC applies for a run that
// validates (or exports) a dataset.
// Checking a record allocates about 40 KB, nearly all of it garbage at once (most inside
// jsonschema/v5, which copies every object's keys into a map at each schema it passes), while
// what the validation keeps grows by about 1 KB per record. With the default GOGC of 100 the
// collector therefore runs after every few hundred records and takes a fifth of the CPU;
// collecting when the heap has grown fivefold runs it a quarter as often. The soft memory
// limit keeps the peak bounded on large datasets all the same: near it the collector runs as
// often as it must.
const (
	gcPercent = 400
	gcLimit   = 768 << 20
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
