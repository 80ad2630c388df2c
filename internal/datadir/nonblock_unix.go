//go:build unix

package datadir

import "syscall"

// nonBlock opens a named pipe without waiting for a writer, so that Read's check finds it.
const nonBlock = syscall.O_NONBLOCK
