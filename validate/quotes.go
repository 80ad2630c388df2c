package validate

import (
	"cmp"
	"slices"
	"sync"
	"unsafe"
)

// quoteStore keeps the evidence quotes of every record for the sources check, which compares
// them with their sources' texts once every record has been checked. A large dataset has
// hundreds of thousands of quotes: kept as a few objects per record they were most of the
// objects the garbage collector marked again at each cycle (830,000 of 2.6 million at 200,000
// incidents). Here they hold no pointer: their texts are appended to large byte chunks, the
// quotes to chunks of fixed-size entries, and the ids they cite are numbers.
type quoteStore struct {
	mu     sync.Mutex
	texts  [][]byte        // the quotes' texts (white space normalised), appended
	quotes [][]storedQuote // the quotes, quoteChunk to a chunk
	n      int             // how many quotes
	ids    map[string]int32
}

// textChunk is the size of a chunk of quote texts (a longer quote has a chunk of its own), and
// quoteChunk the number of quotes of a chunk of quotes.
const (
	textChunk  = 1 << 20
	quoteChunk = 1 << 12
)

// storedQuote is an evidence quote: the record that quotes (an index of Index.records), the
// source it cites (an index of quoteStore.ids), its evidence item, the schema's maxLength of a
// quote in the record (0: none), where its text is in the store's texts, and its place.
type storedQuote struct {
	rec, source, index, limit int32
	chunk                     int32
	off, len                  uint32
	at                        place
}

// ptr is the quote's JSON pointer.
func (q *storedQuote) ptr() string { return quotePtr(q.index) }

// add keeps quote q, of text text, which cites the id source.
func (s *quoteStore) add(q storedQuote, text, source string, intern func(string) string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids == nil {
		s.ids = map[string]int32{}
	}
	id, ok := s.ids[source]
	if !ok {
		id = int32(len(s.ids))
		s.ids[intern(source)] = id
	}
	q.source = id
	q.chunk, q.off, q.len = s.addText(text)
	if s.n%quoteChunk == 0 {
		s.quotes = append(s.quotes, make([]storedQuote, 0, quoteChunk))
	}
	last := &s.quotes[len(s.quotes)-1]
	*last = append(*last, q)
	s.n++
}

// addText appends a quote's text to the chunks, and returns where it is.
func (s *quoteStore) addText(t string) (chunk int32, off, n uint32) {
	if len(s.texts) == 0 || cap(s.texts[len(s.texts)-1])-len(s.texts[len(s.texts)-1]) < len(t) {
		s.texts = append(s.texts, make([]byte, 0, max(textChunk, len(t))))
	}
	c := &s.texts[len(s.texts)-1]
	off = uint32(len(*c))
	*c = append(*c, t...)
	return int32(len(s.texts) - 1), off, uint32(len(t))
}

// at returns quote i, in the order they were added.
func (s *quoteStore) at(i int32) *storedQuote { return &s.quotes[i/quoteChunk][i%quoteChunk] }

// text returns the text of quote q. It is not a copy: the chunks are not written again once
// the records have been checked, and copying every quote would make as much garbage as the
// texts take.
func (s *quoteStore) text(q *storedQuote) string {
	if q.len == 0 {
		return ""
	}
	return unsafe.String(&s.texts[q.chunk][q.off], int(q.len))
}

// bySource returns, for each id quotes cite (its index in ids), the quotes citing it, in the
// order of the records (Index.records) and, within a record, of its evidence. The quotes are
// counted out by id, keeping the order they were added in, which is nearly the records' (the
// workers check the records in order): sorting each id's few quotes by record is then quick.
func (s *quoteStore) bySource() [][]int32 {
	starts := make([]int32, len(s.ids)+1)
	for i := range int32(s.n) {
		starts[s.at(i).source+1]++
	}
	for i := 1; i < len(starts); i++ {
		starts[i] += starts[i-1]
	}
	order := make([]int32, s.n)
	next := slices.Clone(starts[:len(s.ids)])
	for i := range int32(s.n) {
		src := s.at(i).source
		order[next[src]] = i
		next[src]++
	}
	out := make([][]int32, len(s.ids))
	for src := range out {
		out[src] = order[starts[src]:starts[src+1]:starts[src+1]]
		slices.SortStableFunc(out[src], func(a, b int32) int { return cmp.Compare(s.at(a).rec, s.at(b).rec) })
	}
	return out
}
