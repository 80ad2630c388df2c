package main

import (
	"fmt"
	"io"
)

// runExport is a placeholder until the 'export' command lands; it reports that and fails.
func runExport(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "apmd export: not implemented yet")
	return exitUsage
}
