// Package datadir is the model of a dataset folder: which folder and id prefix each kind of
// record has, the listing of a folder, and its record files as records that remember their
// file, their bytes and, on demand, the line and column of every value.
//
// A dataset folder holds dataset.json (the manifest) and one folder per record kind:
// sources/ (src-*.json beside src-*.txt, the stored text), groups/, incidents/ and claims/.
// Sub-folders (e.g. by year) are allowed; a record's file is named <id>.json.
package datadir

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/apmd-data/apmd/internal/jsonpos"
	"github.com/apmd-data/apmd/schema"
)

// ManifestFile is the manifest's file name at the root of a dataset folder.
const ManifestFile = "dataset.json"

// DocFiles are the documents a dataset folder may keep at its root beside the manifest (what
// the data is, what changed in each data version); they are never read as records.
var DocFiles = []string{"README.md", "CHANGELOG.md"}

// Folder returns the folder of a record kind ("sources", "groups", "incidents", "claims").
func Folder(k schema.Kind) string {
	switch k {
	case schema.Source:
		return "sources"
	case schema.Group:
		return "groups"
	case schema.Incident:
		return "incidents"
	case schema.Claim:
		return "claims"
	}
	return ""
}

// Prefix returns the id prefix of a record kind ("src-", "grp-", "inc-", "clm-").
func Prefix(k schema.Kind) string {
	switch k {
	case schema.Source:
		return "src-"
	case schema.Group:
		return "grp-"
	case schema.Incident:
		return "inc-"
	case schema.Claim:
		return "clm-"
	}
	return ""
}

// CasualtyPrefix starts the id of a casualty figure, which lives inside its incident.
const CasualtyPrefix = "cas-"

// KindOfPrefix returns the kind whose ids start like id, or "" (casualty ids, "cas-", have no kind of their own).
func KindOfPrefix(id string) schema.Kind {
	for _, k := range schema.Kinds {
		if strings.HasPrefix(id, Prefix(k)) {
			return k
		}
	}
	return ""
}

// Entry is one file of a dataset folder (anything but a folder it lists).
type Entry struct {
	// Path is slash-separated and relative to the dataset folder.
	Path string
	// Kind is the record kind of a regular .json file under a kind's folder, schema.Manifest
	// for dataset.json, and "" for anything else (a source text, an unexpected file, an entry
	// that is not a regular file).
	Kind schema.Kind
	// Type is the entry's type: 0 for a regular file, else fs.ModeSymlink, fs.ModeNamedPipe,
	// fs.ModeDevice, fs.ModeSocket… (such an entry is never read).
	Type fs.FileMode
}

// Regular reports whether the entry is a regular file, the only kind of entry apmd reads.
func (e Entry) Regular() bool { return e.Type.IsRegular() }

// List returns every entry of a dataset folder but its folders, sorted by path. Hidden files
// and folders (starting with '.') are skipped. Entries are typed as the folder lists them,
// without following links: a link to a folder is an entry, and is not entered.
func List(fsys fs.FS) ([]Entry, error) {
	var out []Entry
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			out = append(out, entryOf(p, d.Type()))
		}
		return nil
	})
	sortEntries(out)
	return out, err
}

// entryOf returns the entry of a file at path p (slash-separated) of type typ.
func entryOf(p string, typ fs.FileMode) Entry {
	e := Entry{Path: p, Type: typ}
	switch {
	case !e.Regular():
	case p == ManifestFile:
		e.Kind = schema.Manifest
	case strings.HasSuffix(p, ".json"):
		top, _, _ := strings.Cut(p, "/")
		for _, k := range schema.Kinds {
			if top == Folder(k) {
				e.Kind = k
			}
		}
	}
	return e
}

func sortEntries(es []Entry) {
	slices.SortFunc(es, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
}

// Record is one record file of a dataset folder: its bytes as read and, once they parse, the
// document they hold (its value, its repeated keys, and the position of every value and key).
// It is the one model of a record: the validator checks it, then hands it to the export.
type Record struct {
	Kind schema.Kind
	// File is the record's path, slash-separated and relative to the dataset folder.
	File string
	// Data is the file's bytes as read.
	Data []byte
	// Doc is the parsed document (Value, Duplicates, Position, KeyPosition); nil when Data is
	// not one JSON document.
	*jsonpos.Doc
	// ID and Version are the record's "id" and "schema_version" when they are strings.
	ID, Version string
}

// SetDoc records the document the record's bytes parse to, and its id and version.
func (r *Record) SetDoc(d *jsonpos.Doc) {
	r.Doc = d
	if m, ok := d.Value.(map[string]any); ok {
		r.ID, _ = m["id"].(string)
		r.Version, _ = m["schema_version"].(string)
	}
}

// FileError is a file that could not be read or decoded.
type FileError struct {
	File string
	// Pos is the position of a syntax error; zero when the error is not about a position.
	Pos jsonpos.Position
	Err error
}

func (e *FileError) Error() string {
	if e.Pos.Line > 0 {
		msg := e.Err.Error()
		if se := (*jsonpos.SyntaxError)(nil); errors.As(e.Err, &se) {
			msg = se.Msg // its own Error() repeats the position
		}
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Column, msg)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// DecodeRecord parses one record file's bytes.
func DecodeRecord(kind schema.Kind, file string, data []byte) (*Record, error) {
	d, err := jsonpos.Parse(data)
	if err != nil {
		fe := &FileError{File: file, Err: err}
		if se := (*jsonpos.SyntaxError)(nil); errors.As(err, &se) {
			fe.Pos = se.Pos
		}
		return nil, fe
	}
	r := &Record{Kind: kind, File: file, Data: data}
	r.SetDoc(d)
	return r, nil
}

// ReadRecord reads and parses one record file of a dataset folder.
func ReadRecord(fsys fs.FS, kind schema.Kind, file string) (*Record, error) {
	data, err := FromFS(fsys).Read(file, MaxRecordSize, nil)
	if err != nil {
		return nil, &FileError{File: file, Err: err}
	}
	return DecodeRecord(kind, file, data)
}
