package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/apmd-data/apmd/export"
	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/validate"
)

// exportHelp is apmd export's --help.
var exportHelp = help{
	usage: "apmd export [--out DIR] [--format csv,xlsx,datapackage] [--bom] [--no-neutralize] [--quiet] [DATASET]",
	about: "Validates DATASET (else the dataset found from the current folder upward, else the bundled\ndataset), then writes its tables; nothing is written while the data is invalid.",
	examples: []string{
		"apmd export                          # the dataset of this repository, to dist/",
		"apmd export --format csv --out out   # CSV files only, to out/",
		"apmd export --bom                    # CSV files Excel opens as UTF-8",
	},
}

// runExport validates a dataset, then writes its tables as CSV, XLSX and datapackage.json.
func runExport(args []string, stdout, stderr io.Writer) int {
	fl := pflag.NewFlagSet("export", pflag.ContinueOnError)
	out := fl.String("out", "dist", "output folder (created if missing)")
	formats := fl.StringSlice("format", export.Formats, "formats to write: "+strings.Join(export.Formats, ","))
	bom := fl.Bool("bom", false, "start each CSV file with a UTF-8 byte order mark (for Excel)")
	quiet := fl.Bool("quiet", false, "no progress bar on standard error (it is drawn only on a terminal)")
	raw := fl.Bool("no-neutralize", false, "write text cells that start with = + - @ tab or CR as they are (by default they get a leading ')")
	if ok, code := parseFlags(fl, args, "apmd export", exportHelp, stdout, stderr); !ok {
		return code
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
	dir, err := datasetFolder(fl.Args())
	if err != nil {
		fmt.Fprintf(stderr, "apmd export: %v\n", err)
		return exitUsage
	}
	name := describe(dir)
	defer tuneGC()()
	w, code := exportDataset(dir, *out, *formats, export.Options{BOM: *bom, NoNeutralize: *raw}, *quiet, stderr)
	if code != exitOK {
		return code
	}
	fmt.Fprintf(stdout, "apmd export: %s: %d tables, %d rows; wrote %d files to %s\n", name, w.Tables, w.Rows, len(w.Files), *out)
	return exitOK
}

// exportDataset validates the folder dir and, as it goes, streams the records into the output
// folder: every file is read once, and what is written is what was validated. Nothing stays
// written while the data is invalid; the findings are then printed as validate prints them.
func exportDataset(dir, out string, formats []string, opts export.Options, quiet bool, stderr io.Writer) (export.Written, int) {
	st := export.NewStream(out, formats, opts)
	report, err := checkDataset(dir, stderr, quiet, validate.Options{Records: func(r *datadir.Record) error {
		st.Add(r) // the stream keeps its first error for Close; the validation goes on regardless
		return nil
	}})
	if err != nil {
		st.Abort()
		fmt.Fprintf(stderr, "apmd export: %v\n", err)
		return export.Written{}, exitUsage
	}
	if !report.Valid() {
		st.Abort()
		validate.WriteText(stderr, report)
		fmt.Fprintf(stderr, "apmd export: %s is invalid (%s); nothing was written\n", describe(dir), validate.Summary(report))
		return export.Written{}, exitInvalid
	}
	w, err := st.Close()
	if err != nil {
		fmt.Fprintf(stderr, "apmd export: %v\n", err)
		if errors.Is(err, export.ErrData) {
			return w, exitInvalid
		}
		return w, exitUsage
	}
	return w, exitOK
}
