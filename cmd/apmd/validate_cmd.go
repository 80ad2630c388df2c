package main

import (
	"fmt"
	"io"
)

// runValidate is a placeholder until the 'validate' command lands; it reports that and fails.
func runValidate(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "apmd validate: not implemented yet")
	return exitUsage
}
