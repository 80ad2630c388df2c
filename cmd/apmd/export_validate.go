package main

import (
	"fmt"
	"io"
	"io/fs"

	"github.com/apmd-data/apmd/dataset"
	"github.com/apmd-data/apmd/schema"
)

// validateForExport checks a dataset before it is exported and prints its findings to stderr;
// it returns the exit code (exitOK to go on). Until package validate lands, it checks each
// record against the schema version it declares; this file alone is to be replaced by a call
// to validate.Dataset and validate.WriteText.
func validateForExport(fsys fs.FS, stderr io.Writer) int {
	d, errs := dataset.Load(fsys)
	if d == nil {
		for _, err := range errs {
			fmt.Fprintf(stderr, "apmd export: %v\n", err)
		}
		return exitUsage
	}
	bad := len(errs)
	for _, err := range errs {
		fmt.Fprintln(stderr, err)
	}
	records := d.Records
	if d.Manifest != nil {
		records = append([]*dataset.Record{d.Manifest}, records...)
	} else {
		fmt.Fprintf(stderr, "%s: missing; a dataset folder starts with its manifest\n", dataset.ManifestFile)
		bad++
	}
	for _, r := range records {
		set, err := schema.Get(r.Version)
		if err != nil {
			fmt.Fprintf(stderr, "%s: schema_version: %v\n", r.File, err)
			bad++
			continue
		}
		if err := set.Schema(r.Kind).Validate(r.Value); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", r.File, err)
			bad++
		}
	}
	if bad > 0 {
		fmt.Fprintf(stderr, "apmd export: the dataset is invalid (%d problem(s)); nothing was written\n", bad)
		return exitInvalid
	}
	return exitOK
}
