package validate

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/apmd-data/apmd/internal/datadir"
)

// FuzzExplain explains a quote that is not in a source text, both as large as the reading
// layer lets them be (a text of up to datadir.MaxTextSize bytes, a quote of up to
// datadir.MaxRecordSize), built from the fuzzed seeds: the quote is a piece of the text with
// the quote seed mixed in, so that it shares words with the text and candidates are aligned.
// However the inputs, one explanation fills at most maxCandidates·maxCells cells, the text's
// at most textCells in all, and a call takes time linear in the text and the quote. The seed
// corpus is in testdata/fuzz/FuzzExplain (the review's D3 sizes among them). Run it with
// go test -fuzz FuzzExplain -fuzztime 10m ./validate/
func FuzzExplain(f *testing.F) {
	f.Add([]byte("On December 11, 2024, a suicide bombing at the Afghan Ministry for Refugees in Kabul"), []byte("killing "), uint32(6_000), uint32(100_000), uint16(2000), uint32(40))
	f.Add([]byte("the attack killed several people\nat the market"), []byte("zz"), uint32(1<<20), uint32(1<<20), uint16(0), uint32(7))
	f.Add([]byte("a"), []byte("a a"), uint32(datadir.MaxTextSize), uint32(datadir.MaxRecordSize), uint16(0), uint32(0))
	f.Add([]byte("Ministry ’s “quoted” – dash"), []byte("'s \"quoted\" - "), uint32(50_000), uint32(1_900), uint16(2000), uint32(3))
	f.Fuzz(func(t *testing.T, textSeed, quoteSeed []byte, textSize, quoteSize uint32, limit uint16, at uint32) {
		if len(textSeed) == 0 {
			return
		}
		text := repeatTo(textSeed, int(textSize%uint32(datadir.MaxTextSize+1)))
		from := int(at) % (len(text) + 1)
		piece := append(append(bytes.Clone(quoteSeed), text[from:min(len(text), from+4096)]...), quoteSeed...)
		quote := string(repeatTo(piece, int(quoteSize%uint32(datadir.MaxRecordSize+1))))
		tx := newText(text)
		for call := range 2 { // the first call builds the text's index, the second reuses it
			before, start := tx.cells, time.Now()
			msg := tx.explain(quote, int(limit), "src-x", "sources/src-x.txt")
			elapsed := time.Since(start)
			if d := tx.cells - before; d > maxCandidates*maxCells || tx.cells > textCells {
				t.Fatalf("call %d: %d cells (%d in all) for a %d-byte quote in a %d-byte text", call, d, tx.cells, len(quote), len(text))
			}
			// 2·10⁸ cells a second at the least, and 200 ns a byte for the linear work (the
			// index, the normalisation, the position), with room for a busy machine.
			bound := time.Second + time.Duration(maxCandidates*maxCells)*5*time.Nanosecond +
				time.Duration(len(text)+len(quote))*200*time.Nanosecond
			if elapsed > bound {
				t.Fatalf("call %d: %v (bound %v) for a %d-byte quote in a %d-byte text", call, elapsed, bound, len(quote), len(text))
			}
			if !strings.HasPrefix(msg, "the quote is not in src-x") {
				t.Fatalf("message: %s", clip(msg, 200))
			}
		}
	})
}

// repeatTo returns b repeated to n bytes.
func repeatTo(b []byte, n int) []byte {
	if len(b) == 0 {
		return nil
	}
	return bytes.Repeat(b, n/len(b)+1)[:n]
}
