package export

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/apmd-data/apmd/internal/datadir"
)

// streamInto exports the records into the folder dir, with the given formats.
func streamInto(dir string, recs []*datadir.Record, formats []string) (Written, error) {
	s := NewStream(dir, formats, Options{})
	for _, r := range recs {
		if err := s.Add(r); err != nil {
			s.Abort()
			return Written{}, err
		}
	}
	return s.Close()
}

// consistent fails unless dir holds one complete export (Verify), with its workbook, and
// nothing hidden (no staging, commit or temporary file); it returns datapackage.json.
func consistent(t *testing.T, dir string) string {
	t.Helper()
	if err := Verify(dir); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(dir, WorkbookFile)); err != nil {
		t.Error(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || strings.HasPrefix(e.Name(), "excelize-") {
			t.Errorf("left in the folder: %s", e.Name())
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, PackageFile))
	return string(b)
}

// changed returns the fixture's records with one incident's title changed, so that an
// export of them differs from the fixture's.
func changed(t *testing.T) []*datadir.Record {
	recs := records(t, os.DirFS(fixtureDir))
	r := recordOf(t, recs, "incident")
	m := r.Value.(map[string]any)
	m["title"] = m["title"].(string) + " (changed)"
	return recs
}

// TestFailedCommitKeepsPrevious: a rename that fails halfway (a folder named apmd.xlsx in the
// way, review D4 and case 129) leaves the previous export whole, and no temporary file.
func TestFailedCommitKeepsPrevious(t *testing.T) {
	dir := t.TempDir()
	if _, err := streamInto(dir, records(t, os.DirFS(fixtureDir)), Formats); err != nil {
		t.Fatal(err)
	}
	before := consistent(t, dir)
	workbook, _ := os.ReadFile(filepath.Join(dir, WorkbookFile))
	os.Remove(filepath.Join(dir, WorkbookFile))
	os.MkdirAll(filepath.Join(dir, WorkbookFile, "x"), 0o755)
	_, err := streamInto(dir, changed(t), Formats)
	if err == nil || !strings.Contains(err.Error(), "apmd.xlsx is a folder") {
		t.Fatalf("err = %v, want the folder in the way", err)
	}
	os.RemoveAll(filepath.Join(dir, WorkbookFile))
	os.WriteFile(filepath.Join(dir, WorkbookFile), workbook, 0o644)
	if after := consistent(t, dir); before != after {
		t.Errorf("the previous export changed")
	}
}

// TestRecoverInterrupted: what a killed export left is cleaned by the next one (review D5,
// cases 122–124): its staging folder, and the temporary files of older versions.
func TestRecoverInterrupted(t *testing.T) {
	dir := t.TempDir()
	left := []string{".apmd-stage-123/incidents.csv", ".apmd-stage-123/.tmp/.events.1.spill",
		".incidents.csv.4242.tmp", ".evidence.77.spill", ".xlsx-part.9.tmp", "excelize-123456"}
	for _, f := range left {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755)
		os.WriteFile(filepath.Join(dir, f), []byte("partial"), 0o644)
	}
	mine := []string{"keep.txt", ".backup.2024.tmp", "excelize-notes"}
	for _, f := range mine {
		os.WriteFile(filepath.Join(dir, f), []byte("mine"), 0o644)
	}
	w, err := streamInto(dir, records(t, os.DirFS(fixtureDir)), Formats)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range mine {
		if err := os.Remove(filepath.Join(dir, f)); err != nil {
			t.Errorf("a file of the user's was removed: %v", err)
		}
	}
	consistent(t, dir)
	if want := []string{".apmd-stage-123", ".evidence.77.spill", ".incidents.csv.4242.tmp", ".xlsx-part.9.tmp", "excelize-123456"}; !slices.Equal(w.Cleaned, want) {
		t.Errorf("cleaned %v, want %v", w.Cleaned, want)
	}
}

// TestRecoverCommit: an export killed after its commit point, halfway through its moves, is
// completed by the next run: the folder then holds the new export, whole.
func TestRecoverCommit(t *testing.T) {
	dir, next := t.TempDir(), t.TempDir()
	if _, err := streamInto(dir, records(t, os.DirFS(fixtureDir)), Formats); err != nil {
		t.Fatal(err)
	}
	if _, err := streamInto(next, changed(t), Formats); err != nil {
		t.Fatal(err)
	}
	want := consistent(t, next)
	// The state of a kill in the middle of swap: datapackage.json and two CSV files moved out,
	// one new CSV file moved in.
	commit := filepath.Join(dir, commitPrefix+"777")
	os.MkdirAll(filepath.Join(commit, oldDir), 0o700)
	entries, _ := os.ReadDir(next)
	var j journal
	for _, e := range entries {
		j.Write = append(j.Write, e.Name())
		os.Rename(filepath.Join(next, e.Name()), filepath.Join(commit, e.Name()))
	}
	b, _ := json.Marshal(j)
	os.WriteFile(filepath.Join(commit, journalFile), b, 0o644)
	for _, f := range []string{PackageFile, "incidents.csv", "evidence.csv"} {
		os.Rename(filepath.Join(dir, f), filepath.Join(commit, oldDir, f))
	}
	os.Rename(filepath.Join(commit, "incidents.csv"), filepath.Join(dir, "incidents.csv"))
	cleaned, err := recoverFolder(dir)
	if err != nil || !slices.Equal(cleaned, []string{commitPrefix + "777"}) {
		t.Fatalf("recoverFolder: %v, %v", cleaned, err)
	}
	if got := consistent(t, dir); got != want {
		t.Errorf("after recovery the folder does not hold the new export")
	}
}

// TestPartialFormatRemovesOthers: --format csv over a full export removes the earlier
// workbook and descriptor, which would not match the new files (review D11, case 130).
func TestPartialFormatRemovesOthers(t *testing.T) {
	dir := t.TempDir()
	if _, err := streamInto(dir, records(t, os.DirFS(fixtureDir)), Formats); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "old_table.csv"), []byte("x"), 0o644) // listed by the old descriptor
	pkg, _ := os.ReadFile(filepath.Join(dir, PackageFile))
	os.WriteFile(filepath.Join(dir, PackageFile), []byte(strings.Replace(string(pkg), `"path": "incidents.csv"`, `"path": "old_table.csv"`, 1)), 0o644)
	w, err := streamInto(dir, changed(t), []string{FormatCSV})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{WorkbookFile, PackageFile, "old_table.csv"}; !slices.Equal(w.Removed, want) {
		t.Errorf("removed %v, want %v", w.Removed, want)
	}
	for _, f := range w.Removed {
		if _, err := os.Lstat(filepath.Join(dir, f)); err == nil {
			t.Errorf("%s is still there", f)
		}
	}
}

// TestConcurrentExports: two exports into one folder at once take turns (the folder's lock):
// the folder ends with one of them, whole (case 131).
func TestConcurrentExports(t *testing.T) {
	dir := t.TempDir()
	a, b := records(t, os.DirFS(fixtureDir)), changed(t)
	var wg sync.WaitGroup
	for range 3 {
		for _, recs := range [][]*datadir.Record{a, b} {
			wg.Go(func() {
				if _, err := streamInto(dir, recs, Formats); err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	consistent(t, dir)
}

// TestNeutralizedWithinDescriptor: every CSV cell meets the constraints datapackage.json
// declares for its field (maxLength, pattern, enum), neutralised cells included: a valid
// 200-character count text starting with '-' was 201 characters under a maxLength of 200
// (review D13, case 110).
func TestNeutralizedWithinDescriptor(t *testing.T) {
	recs := records(t, os.DirFS(fixtureDir))
	m := recordOf(t, recs, "incident").Value.(map[string]any)
	m["title"] = "Attack;=cmd|' /C calc'!A0"
	count := m["casualties"].([]any)[0].(map[string]any)["count"].(map[string]any)
	count["text"] = "-" + strings.Repeat("=", 199)
	e := exportRecords(t, recs, Options{})
	b, _ := os.ReadFile(filepath.Join(e.dir, PackageFile))
	var p struct {
		Resources []struct {
			Path   string `json:"path"`
			Schema struct {
				Fields []field `json:"fields"`
			} `json:"schema"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, r := range p.Resources {
		_, rows := readCSV(t, filepath.Join(e.dir, r.Path))
		for _, row := range rows {
			for i, f := range r.Schema.Fields {
				if k := f.Constraints; k != nil && row[i] != "" {
					checked++
					if msg := breaks(k, row[i]); msg != "" {
						t.Errorf("%s.%s: %q %s", r.Path, f.Name, row[i], msg)
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no constrained cell")
	}
}

// breaks says which constraint a cell breaks ("" for none).
func breaks(k *constraints, v string) string {
	switch {
	case k.MaxLength != nil && len([]rune(v)) > *k.MaxLength:
		return fmt.Sprintf("is longer than maxLength %d", *k.MaxLength)
	case k.MinLength != nil && len([]rune(v)) < *k.MinLength:
		return fmt.Sprintf("is shorter than minLength %d", *k.MinLength)
	case k.Pattern != "" && !regexp.MustCompile(`^(?:`+k.Pattern+`)$`).MatchString(v):
		return "does not match pattern " + k.Pattern
	case k.Enum != nil && !slices.Contains(k.Enum, v):
		return fmt.Sprintf("is not one of %v", k.Enum)
	}
	return ""
}
