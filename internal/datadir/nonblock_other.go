//go:build !unix

package datadir

// nonBlock is 0 where named pipes cannot be listed as files.
const nonBlock = 0
