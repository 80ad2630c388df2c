package datadir

import (
	"io/fs"
	"path"

	"github.com/apmd-data/apmd/schema"
)

// Dataset is a whole dataset folder, loaded.
type Dataset struct {
	FS       fs.FS
	Manifest *Record
	// Records holds every record of every kind, sorted by file.
	Records []*Record
	byID    map[string]*Record
}

// Load reads every record of a dataset folder. Files that cannot be read or decoded are
// returned as *FileError values in errs (loading goes on); a nil Dataset means the folder
// itself could not be listed.
func Load(fsys fs.FS) (d *Dataset, errs []error) {
	entries, err := List(fsys)
	if err != nil {
		return nil, []error{err}
	}
	d = &Dataset{FS: fsys, byID: map[string]*Record{}}
	for _, e := range entries {
		if e.Kind == "" {
			continue
		}
		r, err := ReadRecord(fsys, e.Kind, e.Path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if e.Kind == schema.Manifest {
			d.Manifest = r
			continue
		}
		d.Records = append(d.Records, r)
		if r.ID != "" && d.byID[r.ID] == nil {
			d.byID[r.ID] = r
		}
	}
	return d, errs
}

// ByID returns the (first) record with an id, or nil.
func (d *Dataset) ByID(id string) *Record { return d.byID[id] }

// OfKind returns the records of one kind, sorted by file.
func (d *Dataset) OfKind(k schema.Kind) []*Record {
	var out []*Record
	for _, r := range d.Records {
		if r.Kind == k {
			out = append(out, r)
		}
	}
	return out
}

// TextPath returns the path of a source record's stored text: its text_file beside the record.
func TextPath(r *Record) string {
	m, _ := r.Value.(map[string]any)
	name, _ := m["text_file"].(string)
	if name == "" {
		return ""
	}
	return path.Join(path.Dir(r.File), name)
}
