package main

import (
	"fmt"
	"io"
)

// runSchema is a placeholder until the 'schema' command lands; it reports that and fails.
func runSchema(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "apmd schema: not implemented yet")
	return exitUsage
}
