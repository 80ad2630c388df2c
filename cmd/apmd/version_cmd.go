package main

import (
	"fmt"
	"io"

	"github.com/apmd-data/apmd/schema"
)

func runVersion(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintf(stdout, "apmd %s (schema versions: %v, latest %s)\n", version, schema.Versions(), schema.Latest())
	return exitOK
}
