package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/apmd-data/apmd"
	"github.com/apmd-data/apmd/cmd/apmd/internal/progress"
	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/validate"
)

// datasetFolder picks the folder a command works on: the argument, else ./dataset when
// present, else the embedded dataset (dir is then "").
func datasetFolder(args []string) (dir string, err error) {
	if len(args) == 1 {
		dir = filepath.Clean(args[0])
		st, err := os.Stat(dir)
		if err != nil {
			return "", fmt.Errorf("dataset folder %s: %w", dir, err)
		}
		if !st.IsDir() {
			return "", fmt.Errorf("dataset %s is a file; give the folder that holds %s", dir, datadir.ManifestFile)
		}
		return dir, nil
	}
	if st, err := os.Stat("dataset"); err == nil && st.IsDir() {
		return "dataset", nil
	}
	return "", nil
}

// describe names a dataset folder for messages.
func describe(dir string) string {
	if dir == "" {
		return "the embedded dataset"
	}
	return dir
}

// checkDataset validates the folder dir ("" for the embedded dataset) with a progress bar on
// stderr (drawn only on a terminal and when not quiet).
func checkDataset(dir string, stderr io.Writer, quiet bool, opts validate.Options) (*validate.Report, error) {
	bar := progress.New(stderr, "validate", "files", 0, quiet)
	defer bar.Finish()
	opts.Progress = bar.Set
	if dir == "" {
		return validate.Dataset(apmd.Data(), opts)
	}
	return validate.Dir(dir, opts)
}
