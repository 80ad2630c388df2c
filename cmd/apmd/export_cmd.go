package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/apmd-data/apmd/export"
	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/schema"
	"github.com/apmd-data/apmd/validate"
)

// runExport validates a dataset, then writes its tables as CSV, XLSX and datapackage.json.
func runExport(args []string, stdout, stderr io.Writer) int {
	fl := pflag.NewFlagSet("export", pflag.ContinueOnError)
	fl.SetOutput(stderr)
	out := fl.String("out", "dist", "output folder (created if missing)")
	formats := fl.StringSlice("format", export.Formats, "formats to write: "+strings.Join(export.Formats, ","))
	bom := fl.Bool("bom", false, "start each CSV file with a UTF-8 byte order mark (for Excel)")
	quiet := fl.Bool("quiet", false, "no progress bar on standard error (it is drawn only on a terminal)")
	raw := fl.Bool("no-neutralize", false, "write text cells that start with = + - @ tab or CR as they are (by default they get a leading ')")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "Usage: apmd export [--out DIR] [--format csv,xlsx,datapackage] [--bom] [--no-neutralize] [--quiet] [DATASET]")
		fmt.Fprintln(stderr, "\nValidates DATASET (else ./dataset if present, else the bundled dataset), then writes its tables.\n\nFlags:")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return exitOK
		}
		fmt.Fprintf(stderr, "apmd export: %v (see apmd export --help)\n", err)
		return exitUsage
	}
	if fl.NArg() > 1 {
		fmt.Fprintf(stderr, "apmd export: want at most one dataset folder, got %d: %s\n", fl.NArg(), strings.Join(fl.Args(), " "))
		return exitUsage
	}
	for _, f := range *formats {
		if !slices.Contains(export.Formats, f) {
			fmt.Fprintf(stderr, "apmd export: unknown format %q; choose among %s\n", f, strings.Join(export.Formats, ","))
			return exitUsage
		}
	}
	fsys, dir, err := datasetFolder(fl.Args())
	if err != nil {
		fmt.Fprintf(stderr, "apmd export: %v\n", err)
		return exitUsage
	}
	name := describe(dir)
	// Invalid data is refused before anything is written, with the findings as validate prints them.
	// Checking a record allocates tens of KB of short-lived garbage and keeps about 1 KB:
	// with the collector's defaults it would run after every few hundred records.
	defer validate.TuneGC()()
	report, err := checkDataset(fsys, stderr, *quiet)
	if err != nil {
		fmt.Fprintf(stderr, "apmd export: %v\n", err)
		return exitUsage
	}
	if !report.Valid() {
		validate.WriteText(stderr, report)
		fmt.Fprintf(stderr, "apmd export: %s is invalid (%s); nothing was written\n", name, validate.Summary(report))
		return exitInvalid
	}
	w, err := exportFolder(fsys, *out, *formats, export.Options{BOM: *bom, NoNeutralize: *raw})
	if err != nil {
		fmt.Fprintf(stderr, "apmd export: %v\n", err)
		if errors.Is(err, export.ErrData) {
			return exitInvalid
		}
		return exitUsage
	}
	fmt.Fprintf(stdout, "apmd export: %s: %d tables, %d rows; wrote %d files to %s\n", name, w.Tables, w.Rows, len(w.Files), *out)
	return exitOK
}

// exportFolder reads the records of a dataset folder again, in the order the export takes
// them (the manifest, then each kind in id order), and streams them into the output folder.
func exportFolder(fsys fs.FS, out string, formats []string, opts export.Options) (export.Written, error) {
	entries, err := datadir.List(fsys)
	if err != nil {
		return export.Written{}, err
	}
	var recs []*datadir.Record
	for _, e := range entries {
		if e.Kind == "" {
			continue
		}
		r, err := datadir.ReadRecord(fsys, e.Kind, e.Path)
		if err != nil {
			return export.Written{}, fmt.Errorf("%w: %w", export.ErrData, err)
		}
		recs = append(recs, r)
	}
	order := func(k schema.Kind) int {
		return slices.Index(append([]schema.Kind{schema.Manifest}, schema.Kinds...), k)
	}
	slices.SortStableFunc(recs, func(a, b *datadir.Record) int {
		return cmp.Or(cmp.Compare(order(a.Kind), order(b.Kind)), cmp.Compare(a.ID, b.ID))
	})
	st := export.NewStream(out, formats, opts)
	for _, r := range recs {
		st.Add(r)
	}
	return st.Close()
}
