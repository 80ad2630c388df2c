package validate

import (
	"bytes"
	"encoding/json"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/tools/txtar"
)

// fuzzKinds are the record files of the valid case that a fuzzed file replaces.
var fuzzKinds = []string{
	"sources/src-quetta.json", "groups/grp-front.json", "incidents/inc-quetta-market.json",
	"claims/clm-quetta-market.json", "dataset.json",
}

// FuzzValidateRecord loads and validates one record file, through Dataset as the command does,
// inside the small valid dataset of testdata/validate/valid.txtar. Whatever the bytes, it must
// not panic or fail, and every finding must be well formed. The seed corpus is in
// testdata/fuzz/FuzzValidateRecord (every record file of the txtar cases).
func FuzzValidateRecord(f *testing.F) {
	a, err := txtar.ParseFile(casesDir + "/valid.txtar")
	if err != nil {
		f.Fatal(err)
	}
	base := fstest.MapFS{}
	for _, file := range a.Files {
		if file.Name != "want" {
			base[file.Name] = &fstest.MapFile{Data: file.Data}
		}
	}
	for i, k := range fuzzKinds {
		f.Add(base[k].Data, uint8(i))
	}
	known := map[string]Severity{}
	for _, r := range Rules() {
		known[r.ID] = r.Severity
	}
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		fsys := fstest.MapFS{}
		for k, v := range base {
			fsys[k] = v
		}
		file := fuzzKinds[int(which)%len(fuzzKinds)]
		fsys[file] = &fstest.MapFile{Data: data}
		start := time.Now()
		r, err := Dataset(fsys, Options{Workers: 1})
		if err != nil {
			t.Fatalf("Dataset: %v", err)
		}
		// A slow input is a bug too: one record file must never take seconds.
		if d := time.Since(start); d > 3*time.Second {
			t.Fatalf("validating a %d-byte file took %v", len(data), d)
		}
		for _, fd := range r.Findings {
			if sev, ok := known[fd.Rule]; !ok || sev != fd.Severity {
				t.Errorf("finding with unknown rule or wrong severity: %+v", fd)
			}
			if fd.File == "" || fd.Line < 1 || fd.Column < 1 || fd.Message == "" {
				t.Errorf("finding without a place or a message: %+v", fd)
			}
		}
		var buf bytes.Buffer
		if err := WriteJSON(&buf, r); err != nil || !json.Valid(buf.Bytes()) {
			t.Errorf("WriteJSON: %v", err)
		}
		if err := WriteText(&buf, r); err != nil {
			t.Error(err)
		}
		if err := WriteGitHub(&buf, r); err != nil {
			t.Error(err)
		}
	})
}
