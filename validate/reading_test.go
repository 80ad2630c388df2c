package validate

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// writeCase writes the files of a txtar case into a new folder.
func writeCase(t *testing.T, name string) string {
	t.Helper()
	_, fsys, _ := loadCase(t, casesDir+"/"+name+".txtar")
	dir := t.TempDir()
	if err := os.CopyFS(dir, fsys); err != nil {
		t.Fatal(err)
	}
	return dir
}

// findings validates a folder on disk and returns its findings as text.
func findings(t *testing.T, dir string) string {
	t.Helper()
	r, err := Dir(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	WriteText(&b, r)
	return b.String()
}

// TestTooLarge: a record file over 8 MiB, or a source text over 16 MiB, is a finding, and is
// not read.
func TestTooLarge(t *testing.T) {
	dir := writeCase(t, "valid")
	record := filepath.Join(dir, "incidents", "inc-quetta-market.json")
	b, _ := os.ReadFile(record)
	os.WriteFile(record, append(b, bytes.Repeat([]byte(" "), 8<<20)...), 0o644)
	text := filepath.Join(dir, "sources", "src-quetta.txt")
	b, _ = os.ReadFile(text)
	os.WriteFile(text, append(b, bytes.Repeat([]byte("x"), 16<<20)...), 0o644)
	got := findings(t, dir)
	for _, want := range []string{
		"incidents/inc-quetta-market.json:1:1: error file-too-large: the file is larger than the 8 MiB a record may have, and is not read",
		"sources/src-quetta.txt:1:1: error file-too-large: the text is larger than the 16 MiB a source text may have, and is not read",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("findings lack %q:\n%s", want, got)
		}
	}
	// Nothing of the text is compared: no quote is reported missing from it.
	if strings.Contains(got, "quote-not-found") || strings.Contains(got, "source-sha256") {
		t.Errorf("the large text was read:\n%s", got)
	}
}

// TestTextFileNames: a text_file that is not a plain name beside its record is a finding on
// /text_file, never a failure of the run, and nothing it names is read.
func TestTextFileNames(t *testing.T) {
	_, base, _ := loadCase(t, casesDir+"/valid.txtar")
	for _, name := range []string{".", "..", "../incidents", "a/b.txt", `..\dataset.json`, `sub\src-quetta.txt`,
		"../../../etc/passwd", "/etc/passwd", ".hidden.txt", "src-quetta.json"} {
		fsys := fstest.MapFS{}
		for p, f := range base {
			fsys[p] = f
		}
		src := string(fsys["sources/src-quetta.json"].Data)
		fsys["sources/src-quetta.json"] = &fstest.MapFile{Data: []byte(strings.Replace(src, `"src-quetta.txt"`, `"`+strings.ReplaceAll(name, `\`, `\\`)+`"`, 1))}
		dir := t.TempDir()
		if err := os.CopyFS(dir, fsys); err != nil {
			t.Fatal(err)
		}
		for _, r := range []func() (*Report, error){
			func() (*Report, error) { return Dataset(fsys, Options{}) },
			func() (*Report, error) { return Dir(dir, Options{}) },
		} {
			rep, err := r()
			if err != nil {
				t.Errorf("text_file %q: %v", name, err)
				continue
			}
			var got []string
			for _, f := range rep.Findings {
				got = append(got, f.Rule+" "+f.Pointer)
				if f.Rule == "source-sha256" || f.Rule == "quote-not-found" || f.Rule == "file-not-utf8" {
					t.Errorf("text_file %q: %s was read: %+v", name, name, f)
				}
			}
			if !strings.Contains(strings.Join(got, ","), "source-text-name /text_file") {
				t.Errorf("text_file %q: findings %v, want source-text-name at /text_file", name, got)
			}
		}
	}
}
