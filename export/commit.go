package export

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// An export is one transaction on its output folder. Every file is written into a hidden
// staging folder inside it (.apmd-stage-*), with the temporary files of the spill, the
// analysis tables and the workbook in a folder of its own below (.tmp). Once all are written
// and synced, the staging folder gets a journal (.journal: the files it holds and the files of
// an earlier export to remove) and is renamed .apmd-commit-*: that rename is the commit point.
// Then each file of the folder that the export replaces or removes moves into .old inside the
// commit folder, and each new file moves in, datapackage.json out first and in last, so the
// folder never holds a descriptor whose hashes do not match its files; then the commit folder
// goes. A failed rename rolls all of that back.
//
// Whoever takes the folder's lock next (an export holds it from its first file to the last
// rename) finishes what a killed run left: it removes a staging folder (the run had not
// committed), and completes the moves of a commit folder (it had), or undoes them if they
// cannot be completed. Between a crash after the commit point and the next run, the folder
// may hold old and new files side by side, but never a datapackage.json that does not
// describe the files beside it.
const (
	stagePrefix  = ".apmd-stage-"
	commitPrefix = ".apmd-commit-"
	journalFile  = ".journal"
	oldDir       = ".old"
	tmpDir       = ".tmp"
)

// journal is what a commit folder says it does: the new files it holds, and the files of an
// earlier export it removes.
type journal struct {
	Write  []string `json:"write"`
	Remove []string `json:"remove"`
}

// leftovers are the temporary files earlier versions of apmd left in the output folder when
// they were killed: .<table>.csv.N.tmp, .<table>.N.spill, .xlsx-part.N.tmp, excelize-N.
var leftovers = regexp.MustCompile(`^(\.[a-z0-9_]+\.(csv|xlsx|json)\.[0-9]+\.tmp|\.xlsx-part\.[0-9]+\.tmp|\.[a-z0-9_]+\.[0-9]+\.spill|excelize-[0-9]+)$`)

// recoverFolder completes or removes what an earlier run left in the output folder dir, whose
// lock the caller holds, and returns the names it cleaned up.
func recoverFolder(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, &OutError{Path: dir, Err: err, Fix: "choose a folder you can read and write with --out"}
	}
	var cleaned []string
	for _, e := range entries {
		name, path := e.Name(), filepath.Join(dir, e.Name())
		switch {
		case strings.HasPrefix(name, stagePrefix) && e.IsDir():
			err = os.RemoveAll(path)
		case strings.HasPrefix(name, commitPrefix) && e.IsDir():
			err = finishCommit(dir, path)
		case leftovers.MatchString(name) && e.Type().IsRegular():
			err = os.Remove(path)
		default:
			continue
		}
		if err != nil {
			return cleaned, &OutError{Path: path, Err: err, Fix: "an interrupted export left it; remove it by hand"}
		}
		cleaned = append(cleaned, name)
	}
	return cleaned, syncDir(dir)
}

// finishCommit completes the moves of a commit folder a killed run left, or undoes them when
// they cannot be completed, then removes it.
func finishCommit(dir, commit string) error {
	b, err := os.ReadFile(filepath.Join(commit, journalFile))
	if err != nil {
		return err
	}
	var j journal
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("%s: %w", journalFile, err)
	}
	if err := swap(dir, commit, j); err != nil {
		if rerr := rollBack(dir, commit, j); rerr != nil {
			return fmt.Errorf("%w; undoing it: %w", err, rerr)
		}
	}
	return os.RemoveAll(commit)
}

// commitStage commits the staging folder stage into dir: journal, commit point, moves.
func commitStage(dir, stage string, j journal) error {
	b, err := json.Marshal(j)
	if err != nil {
		return err
	}
	if err := writeSynced(filepath.Join(stage, journalFile), b); err != nil {
		return err
	}
	if err := syncDir(stage); err != nil {
		return err
	}
	commit := filepath.Join(dir, commitPrefix+strings.TrimPrefix(filepath.Base(stage), stagePrefix))
	if err := os.Rename(stage, commit); err != nil {
		return err
	}
	if err := syncDir(dir); err != nil {
		return err
	}
	if err := swap(dir, commit, j); err != nil {
		if rerr := rollBack(dir, commit, j); rerr != nil {
			return fmt.Errorf("%w; undoing it: %w (the next apmd export completes it)", err, rerr)
		}
		os.RemoveAll(commit)
		return err
	}
	os.RemoveAll(commit)
	return syncDir(dir)
}

// order lists the moves of a journal: datapackage.json out first and in last.
func (j journal) order() (out, in []string) {
	out = append([]string{PackageFile}, j.Remove...)
	out = append(out, j.Write...)
	in = slices.Clone(j.Write)
	if i := slices.Index(in, PackageFile); i >= 0 {
		in = append(slices.Delete(in, i, i+1), PackageFile)
	}
	return out, in
}

// swap moves the files an export replaces or removes into the commit folder's .old, and its
// new files in. Each step is skipped when done already, so a later run can finish it.
func swap(dir, commit string, j journal) error {
	old := filepath.Join(commit, oldDir)
	if err := os.Mkdir(old, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	out, in := j.order()
	for _, name := range out {
		if !exists(filepath.Join(commit, name)) && slices.Contains(j.Write, name) {
			continue // the new file is in already
		}
		if err := moveAway(dir, old, name); err != nil {
			return err
		}
	}
	for _, name := range in {
		if err := os.Rename(filepath.Join(commit, name), filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s: %w", filepath.Join(dir, name), err)
		}
	}
	return syncDir(dir)
}

// moveAway moves dir/name, a file of an earlier export (or a link), into old; a folder in the
// way is an error (it is not apmd's to remove).
func moveAway(dir, old, name string) error {
	path := filepath.Join(dir, name)
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case fi.IsDir():
		return fmt.Errorf("%s is a folder, where the export writes a file", path)
	case exists(filepath.Join(old, name)):
		return nil
	}
	return os.Rename(path, filepath.Join(old, name))
}

// rollBack undoes swap: the new files that moved in go back, and the old ones return.
func rollBack(dir, commit string, j journal) error {
	var errs []error
	for _, name := range j.Write {
		if !exists(filepath.Join(commit, name)) && exists(filepath.Join(dir, name)) {
			errs = append(errs, os.Rename(filepath.Join(dir, name), filepath.Join(commit, name)))
		}
	}
	old := filepath.Join(commit, oldDir)
	entries, _ := os.ReadDir(old)
	for _, e := range entries {
		errs = append(errs, os.Rename(filepath.Join(old, e.Name()), filepath.Join(dir, e.Name())))
	}
	errs = append(errs, syncDir(dir))
	return errors.Join(errs...)
}

// exists reports whether path names anything, a dangling link included.
func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// writeSynced writes a small file and syncs it.
func writeSynced(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// stale returns the files of an earlier export in dir that this one does not write: the
// known names of its formats (every table's CSV, the workbook, the descriptor) and the CSV
// files an earlier datapackage.json lists. They are removed, so that no file of an older
// export claims to belong with this one.
func stale(dir string, tables []*Table, written []string) []string {
	known := []string{WorkbookFile, PackageFile}
	for _, t := range tables {
		known = append(known, t.Name+".csv")
	}
	if b, err := readSmall(filepath.Join(dir, PackageFile), 64<<20); err == nil {
		var p struct {
			Resources []struct {
				Path string `json:"path"`
			} `json:"resources"`
		}
		if json.Unmarshal(b, &p) == nil {
			for _, r := range p.Resources {
				if r.Path != "" && filepath.Base(r.Path) == r.Path && strings.HasSuffix(r.Path, ".csv") && !strings.HasPrefix(r.Path, ".") {
					known = append(known, r.Path)
				}
			}
		}
	}
	var out []string
	for _, name := range known {
		fi, err := os.Lstat(filepath.Join(dir, name))
		if err == nil && !fi.IsDir() && !slices.Contains(written, name) && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// readSmall reads a regular file of at most limit bytes.
func readSmall(path string, limit int64) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > limit {
		return nil, errors.New("not a small regular file")
	}
	return os.ReadFile(path)
}

// Verify checks that the folder dir holds one consistent export: every file datapackage.json
// lists has the size and SHA-256 it gives. It is what an export guarantees at any moment, a
// crash included, once the next export has run (see above).
func Verify(dir string) error {
	b, err := readSmall(filepath.Join(dir, PackageFile), 64<<20)
	if err != nil {
		return err
	}
	var p struct {
		Resources []struct {
			Path  string `json:"path"`
			Bytes int64  `json:"bytes"`
			Hash  string `json:"hash"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("%s: %w", PackageFile, err)
	}
	var errs []error
	for _, r := range p.Resources {
		f, err := os.Open(filepath.Join(dir, filepath.Base(r.Path)))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		h := sha256.New()
		n, err := io.Copy(h, f)
		f.Close()
		if got := "sha256:" + hex.EncodeToString(h.Sum(nil)); err != nil || got != r.Hash || n != r.Bytes {
			errs = append(errs, fmt.Errorf("%s: %d bytes, %s; %s says %d bytes, %s (%v)", r.Path, n, got, PackageFile, r.Bytes, r.Hash, err))
		}
	}
	return errors.Join(errs...)
}
