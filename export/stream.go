package export

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/apmd-data/apmd/dataset"
	"github.com/apmd-data/apmd/schema"
)

// Stream exports the dataset folder fsys into dir as Write does with the export Build makes
// of it, byte for byte, but reads the records one at a time and writes each row as it is
// made: memory holds the list of file names, one record and a few counters per table, so it
// does not grow with the size of the records (Build keeps every record and every row).
//
// Records are taken in id order within each kind, as Build does, from their file names
// (<id>.json, as validation requires); a record whose id breaks that order is refused.
func Stream(fsys fs.FS, dir string, formats []string, opts Options) (Written, error) {
	entries, err := dataset.List(fsys)
	if err != nil {
		return Written{}, err
	}
	var manifest *dataset.Record
	var files []dataset.Entry
	for _, en := range entries {
		switch {
		case en.Kind == schema.Manifest:
			if manifest, err = dataset.ReadRecord(fsys, en.Kind, en.Path); err != nil {
				return Written{}, fmt.Errorf("%w: %w", ErrData, err)
			}
		case en.Kind != "":
			files = append(files, en)
		}
	}
	e, err := fromManifest(manifest, nil)
	if err != nil {
		return Written{}, err
	}
	byName := map[string]*Table{}
	for _, t := range e.Tables {
		byName[t.Name] = t
	}
	sort.SliceStable(files, func(i, j int) bool {
		ki, kj := kindOrder(files[i].Kind), kindOrder(files[j].Kind)
		if ki != kj {
			return ki < kj
		}
		return fileID(files[i].Path) < fileID(files[j].Path)
	})
	an := newAnalysis(e.Tables, dir)
	defer an.close()
	return write(dir, e, formats, opts, func(emit emitFunc) error {
		var prev *dataset.Record
		for i, en := range files {
			if opts.Progress != nil {
				opts.Progress(i, len(files))
			}
			t := byName[dataset.Folder(en.Kind)]
			if t == nil {
				continue
			}
			r, err := dataset.ReadRecord(fsys, en.Kind, en.Path)
			if err != nil {
				return fmt.Errorf("%w: %w", ErrData, err)
			}
			if prev != nil && prev.Kind == r.Kind && r.ID < prev.ID {
				return fmt.Errorf("%w: %s holds the id %q, which sorts before %q of %s: the export takes records in id order from their file names; name the file %s.json (apmd validate reports this)",
					ErrData, r.File, r.ID, prev.ID, prev.File, r.ID)
			}
			prev = r
			if err := fillRecord(byName, t, r, emit); err != nil {
				var oe *OutError
				if errors.As(err, &oe) {
					return err
				}
				return fmt.Errorf("%w: %w", ErrData, err)
			}
			if err := an.add(r); err != nil {
				return err
			}
		}
		if err := an.finish(emit); err != nil {
			return err
		}
		e.counting = an.summary()
		if opts.Progress != nil {
			opts.Progress(len(files), len(files))
		}
		return nil
	})
}

// fileID is the id a record file is named after.
func fileID(p string) string {
	return strings.TrimSuffix(path.Base(p), ".json")
}
