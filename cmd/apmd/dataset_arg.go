package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/apmd-data/apmd"
	"github.com/apmd-data/apmd/cmd/apmd/internal/progress"
	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/schema"
	"github.com/apmd-data/apmd/validate"
)

// datasetFolder picks the folder a command works on: the argument, else the dataset found
// from the current folder upward (findDataset), else the embedded dataset (dir is then "").
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
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	found, ok := findDataset(wd)
	if !ok {
		return "", nil
	}
	if rel, err := filepath.Rel(wd, found); err == nil {
		return rel, nil
	}
	return found, nil
}

// findDataset looks for a dataset folder in the folder from and in each folder above it, as git
// looks for .git: a folder dataset/ holding the manifest (from a repository's root or any
// folder of it outside dataset/), or a folder that holds the manifest itself (from inside
// dataset/).
func findDataset(from string) (string, bool) {
	for dir := filepath.Clean(from); ; {
		for _, d := range []string{filepath.Join(dir, "dataset"), dir} {
			if st, err := os.Stat(filepath.Join(d, datadir.ManifestFile)); err == nil && st.Mode().IsRegular() {
				return d, true
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// describe names a dataset folder for messages; dir "" is the dataset apmd carries (embedded
// in a build with -tags bundle, else the dataset/ folder of the module it was built from).
func describe(dir string) string {
	if dir == "" {
		if apmd.Origin() == "embedded in apmd" {
			return "the embedded dataset"
		}
		return "the dataset apmd was built from"
	}
	return dir
}

// embeddedNote names the dataset apmd carries, for the line that says it is checked: the one
// embedded in a build with -tags bundle, else the dataset/ folder of the module it was built
// from (see package apmd).
func embeddedNote() string {
	where := "the dataset built into apmd"
	if o := apmd.Origin(); o != "embedded in apmd" {
		where = "the dataset apmd was built from, " + o
	}
	m, err := datadir.ReadRecord(apmd.Data(), schema.Manifest, datadir.ManifestFile)
	if err != nil {
		return where
	}
	v, _ := m.Value.(map[string]any)["version"].(string)
	return fmt.Sprintf("%s (data version %s)", where, v)
}

// checkDataset validates the folder dir with a progress bar on stderr (drawn only on a
// terminal and when not quiet). dir "" is the embedded dataset, checked because no dataset
// folder was found: it says so on stderr, since a check of the embedded data says nothing of
// the files beside it.
func checkDataset(dir string, stderr io.Writer, quiet bool, opts validate.Options) (*validate.Report, error) {
	if dir == "" {
		wd, _ := os.Getwd()
		if apmd.Origin() == "" {
			return nil, fmt.Errorf("no dataset folder in %s or above it (a folder dataset/ holding %s, or a folder holding %s itself), and this apmd carries none: name the dataset folder",
				wd, datadir.ManifestFile, datadir.ManifestFile)
		}
		fmt.Fprintf(stderr, "apmd: no dataset folder in %s or above it (a folder dataset/ holding %s, or a folder holding %s itself): checking %s instead; name a folder to check it\n",
			wd, datadir.ManifestFile, datadir.ManifestFile, embeddedNote())
	}
	return check(dir, stderr, quiet, opts)
}

// check validates the folder dir, or the embedded dataset when dir is "".
func check(dir string, stderr io.Writer, quiet bool, opts validate.Options) (*validate.Report, error) {
	bar := progress.New(stderr, "validate", "files", 0, quiet)
	defer bar.Finish()
	opts.Progress = bar.Set
	if dir == "" {
		return validate.Dataset(apmd.Data(), opts)
	}
	return validate.Dir(dir, opts)
}
