package validate

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf16"
)

// caseFS returns the files of a txtar case as a file system.
func caseFS(t *testing.T, name string) fstest.MapFS {
	t.Helper()
	_, fsys, _ := loadCase(t, casesDir+"/"+name+".txtar")
	return fsys
}

// toUTF16 encodes s as UTF-16, little- or big-endian, with or without a byte-order mark.
func toUTF16(s string, big, bom bool) []byte {
	var b bytes.Buffer
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xFEFF}, units...)
	}
	for _, u := range units {
		if big {
			b.Write([]byte{byte(u >> 8), byte(u)})
		} else {
			b.Write([]byte{byte(u), byte(u >> 8)})
		}
	}
	return b.Bytes()
}

// TestUTF16: a record or a source text saved as UTF-16, with or without a byte-order mark, is
// said to be UTF-16 (review D17 and cases 37, 38), not Windows-1252 or a syntax error.
func TestUTF16(t *testing.T) {
	for _, c := range []struct {
		big, bom bool
		want     string
	}{
		{false, true, "UTF-16 (little-endian, with a byte-order mark)"},
		{true, true, "UTF-16 (big-endian, with a byte-order mark)"},
		{false, false, "UTF-16 (little-endian)"},
		{true, false, "UTF-16 (big-endian)"},
	} {
		for _, file := range []string{"incidents/inc-quetta-market.json", "sources/src-quetta.txt"} {
			fsys := caseFS(t, "valid")
			fsys[file] = &fstest.MapFile{Data: toUTF16(string(fsys[file].Data), c.big, c.bom)}
			r, err := Dataset(fsys, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			WriteText(&b, r)
			if want := file + ":1:1: error file-not-utf8: the " + map[bool]string{true: "text", false: "file"}[strings.HasSuffix(file, ".txt")] + " is " + c.want + ", not UTF-8"; !strings.Contains(b.String(), want) {
				t.Errorf("%s as %s: want %q in\n%s", file, c.want, want, b.String())
			}
		}
	}
}

// TestLongQuotes: a quote of 100,000 or 1,000,000 characters, against a 1 MB source text, is
// reported without a closest passage: it is longer than the schema allows, so no alignment runs
// (review D3, cases 79–82: 13 s, 94 s and hours before; TestExplainBounded bounds the work of
// an alignment).
func TestLongQuotes(t *testing.T) {
	words := strings.Fields("On 3 March 2024, a bomb exploded at the main market in Quetta, killing over 12 people")
	var text strings.Builder
	for i := 0; text.Len() < 1<<20; i++ {
		text.WriteString(words[i*7%len(words)] + " ")
	}
	for _, n := range []int{100_000, 1_000_000} {
		fsys := caseFS(t, "valid")
		fsys["sources/src-quetta.txt"] = &fstest.MapFile{Data: []byte(text.String())}
		quote := strings.Repeat("market bombing in Quetta killed ", n/32+1)[:n]
		inc := string(fsys["incidents/inc-quetta-market.json"].Data)
		inc = strings.Replace(inc, `"quote": "On 3 March 2024,`, `"quote": "`+quote+` On 3 March 2024,`, 1)
		fsys["incidents/inc-quetta-market.json"] = &fstest.MapFile{Data: []byte(inc)}
		r, err := Dataset(fsys, Options{})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range r.Findings {
			if f.Rule == "quote-not-found" && f.File == "incidents/inc-quetta-market.json" {
				found = found || strings.Contains(f.Message, "more than the 2000 a quote may have, so no closest passage is sought")
			}
		}
		if !found {
			t.Errorf("a %d-character quote: no short quote-not-found finding", n)
		}
	}
}

// TestManyQuotes: thousands of quotes against a source text near the 16 MiB limit are looked up
// in a suffix array of the text, not by a scan of the text each (70,000 such quotes took over
// five minutes), with the same answers; a few quotes against a short text are scanned.
func TestManyQuotes(t *testing.T) {
	if testing.Short() {
		t.Skip("a 15 MB text")
	}
	fsys := caseFS(t, "valid")
	base := string(fsys["sources/src-quetta.txt"].Data)
	fsys["sources/src-quetta.txt"] = &fstest.MapFile{Data: []byte(strings.Repeat(base, 15<<20/len(base)))}
	var items []string
	for i := range 5000 {
		items = append(items, fmt.Sprintf(`{"source": "src-quetta", "quote": "market bombing %d in Quetta", "supports": ["/title"]}`, i))
	}
	inc := string(fsys["incidents/inc-quetta-market.json"].Data)
	inc = strings.Replace(inc, `"evidence": [`, `"evidence": [`+strings.Join(items, ",")+",", 1)
	fsys["incidents/inc-quetta-market.json"] = &fstest.MapFile{Data: []byte(inc)}
	r, err := Dataset(fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range r.Findings {
		if f.Rule == "quote-not-found" {
			n++
		}
	}
	if n != 5000 {
		t.Errorf("%d quote-not-found findings, want 5000", n)
	}

	long, short := newText(fsys["sources/src-quetta.txt"].Data), newText([]byte(base))
	long.expect(5000)
	short.expect(5000)
	if long.sa == nil || short.sa != nil {
		t.Errorf("suffix array: for 5,000 quotes against %d bytes %v (want one), against %d bytes %v (want none)",
			len(long.norm), long.sa != nil, len(short.norm), short.sa != nil)
	}
	scanned := newText(fsys["sources/src-quetta.txt"].Data)
	for _, q := range []string{"market bombing 7 in Quetta", base[len(base)/3 : len(base)/3+40], strings.TrimSpace(base[:60])} {
		q = normalizeSpace(q, nil)
		if got, want := long.contains(q), scanned.contains(q); got != want {
			t.Errorf("contains(%q): %v with the suffix array, %v by a scan", q, got, want)
		}
	}
}
