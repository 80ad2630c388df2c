package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/spf13/pflag"

	"github.com/apmd-data/apmd/export"
	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/internal/english"
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
	if len(*formats) == 0 {
		fmt.Fprintf(stderr, "apmd export: --format names no format; choose among %s (the default writes them all)\n", strings.Join(export.Formats, ","))
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
	if err := outsideDataset(*out, dir); err != nil {
		fmt.Fprintf(stderr, "apmd export: %v\n", err)
		return exitUsage
	}
	name := describe(dir)
	defer tuneGC(exportLimit)()
	w, code := exportDataset(dir, *out, *formats, export.Options{BOM: *bom, NoNeutralize: *raw}, *quiet, stderr)
	if code != exitOK {
		return code
	}
	fmt.Fprintf(stdout, "apmd export: %s: %d tables, %d rows; wrote %d files to %s\n", name, w.Tables, w.Rows, len(w.Files), *out)
	if len(w.Removed) > 0 {
		fmt.Fprintf(stdout, "apmd export: removed %s of an earlier export, which the formats written (%s) do not include, so that no file in %s is older than the others: %s\n",
			english.Plural(len(w.Removed), "file"), strings.Join(*formats, ","), *out, strings.Join(w.Removed, ", "))
	}
	if len(w.Cleaned) > 0 {
		fmt.Fprintf(stdout, "apmd export: cleaned up what an interrupted export had left in %s: %s\n", *out, validate.EscapeControls(strings.Join(w.Cleaned, ", ")))
	}
	return exitOK
}

// outsideDataset refuses an output folder that is the dataset folder or inside it: the
// exported files would become files of the dataset (file-unexpected), and the next export
// would refuse to run. Links are resolved on both sides; the output folder may not exist yet.
func outsideDataset(out, dataset string) error {
	if dataset == "" {
		return nil // the embedded dataset
	}
	ds, err := realPath(dataset)
	if err != nil {
		return nil // the dataset check reports it
	}
	o, err := realPath(out)
	if err != nil {
		return nil // the export reports it
	}
	if rel, err := filepath.Rel(ds, o); err == nil && (rel == "." || filepath.IsLocal(rel)) {
		return fmt.Errorf("--out %s is inside the dataset folder %s: the exported files would become part of the dataset; choose a folder outside it, e.g. --out %s",
			out, dataset, filepath.Join(filepath.Dir(ds), "dist"))
	}
	return nil
}

// realPath returns the absolute path of p with its links resolved, for as much of it as exists.
func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	var rest []string
	for {
		if r, err := filepath.EvalSymlinks(abs); err == nil {
			return filepath.Join(append([]string{r}, rest...)...), nil
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return "", fmt.Errorf("%s: no part of it exists", p)
		}
		rest = append([]string{filepath.Base(abs)}, rest...)
		abs = parent
	}
}

// exportDataset validates the folder dir and, as it goes, streams the records into the output
// folder: every file is read once, and what is written is what was validated. Nothing stays
// written while the data is invalid; the findings are then printed as validate prints them.
func exportDataset(dir, out string, formats []string, opts export.Options, quiet bool, stderr io.Writer) (export.Written, int) {
	st := export.NewStream(out, formats, opts)
	defer onSignal(func(sig os.Signal) {
		if st.Interrupt() {
			fmt.Fprintf(stderr, "\napmd export: %v: stopped; the files being written are removed, %s is as it was\n", sig, out)
		} else {
			fmt.Fprintf(stderr, "\napmd export: %v: stopped, after the export was written to %s\n", sig, out)
		}
	})()
	report, err := checkDataset(dir, stderr, quiet, validate.Options{Records: func(r *datadir.Record) error {
		st.Add(r) // the stream keeps its first error for Close; the validation goes on regardless
		return nil
	}})
	if err != nil {
		st.Abort()
		fmt.Fprintf(stderr, "apmd export: %s\n", validate.EscapeControls(err.Error()))
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
		fmt.Fprintf(stderr, "apmd export: %s\n", validate.EscapeControls(err.Error()))
		if errors.Is(err, export.ErrData) {
			return w, exitInvalid
		}
		return w, exitUsage
	}
	return w, exitOK
}

// onSignal runs stop when the process is sent SIGINT (Ctrl-C) or SIGTERM, then exits with 128
// plus the signal's number, as a shell reports a process the signal killed. It returns the
// function that stops listening.
func onSignal(stop func(os.Signal)) func() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			stop(sig)
			code := 128 + 2
			if s, ok := sig.(syscall.Signal); ok {
				code = 128 + int(s)
			}
			os.Exit(code)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}
