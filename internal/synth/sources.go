package synth

import (
	"strings"

	"github.com/apmd-data/apmd/internal/datadir"
)

// incidentChunk builds, breaks and writes the incidents (and claims) of one chunk, and keeps
// each incident's paragraph and last date for its source.
func (g *gen) incidentChunk(c int, buf *[]byte) error {
	var bl breakList
	for i := c * chunkSize; i < min(g.n, (c+1)*chunkSize); i++ {
		h := g.head(i)
		b := g.incident(h)
		g.paras[i], g.latest[i] = b.para, int32(b.latest)
		file := h.file
		brk, fix := g.breaks.apply(h.brk, kindIncident, &b.rec, &file, h.r)
		if err := g.write(file, b.rec, fix, buf); err != nil {
			return err
		}
		if brk != nil {
			bl = append(bl, *brk)
		}
		if b.claim != nil {
			file := b.cfile
			brk, fix := g.breaks.apply(g.breaks.pick(kindClaim, uint64(i), false), kindClaim, &b.claim, &file, h.r)
			if err := g.write(file, b.claim, fix, buf); err != nil {
				return err
			}
			if brk != nil {
				bl = append(bl, *brk)
			}
		}
	}
	g.incBreaks[c] = bl
	return nil
}

func (g *gen) write(file string, rec obj, fix func([]byte) []byte, buf *[]byte) error {
	*buf = render((*buf)[:0], rec)
	data := *buf
	if fix != nil {
		data = fix(data)
	}
	return g.writeFile(file, data)
}

// sourceChunk writes the sources of one chunk: each text is its header, then the paragraphs
// of the incidents it reports, then the sentences that describe its groups.
func (g *gen) sourceChunk(c int, buf *[]byte) error {
	var bl breakList
	var text strings.Builder
	for s := c * chunkSize; s < min(g.nSrc, (c+1)*chunkSize); s++ {
		id := g.srcIDs[s]
		first, end := g.firstOf(s), g.firstOf(s+1)
		latest := int32(0)
		for i := first; i < end; i++ {
			latest = max(latest, g.latest[i])
		}
		h := hash(g.opts.Seed, tagSource, uint64(s))
		pub := g.base.AddDate(0, 0, int(latest)+1+int(h>>8%3))
		publisher := publishers[h%uint64(len(publishers))]
		author := firstNames[h>>16%uint64(len(firstNames))] + " " + lastNames[h>>24%uint64(len(lastNames))]
		title := publisher + " security roundup, " + dayText(pub)
		byline := "By " + author
		dateline := "Published by " + publisher + " on " + dayText(pub)

		text.Reset()
		text.WriteString(title + "\n" + byline + "\n" + dateline + "\n")
		for i := first; i < end; i++ {
			text.WriteString("\n" + g.paras[i] + "\n")
		}
		for gi := s; gi < len(g.groups); gi += g.nSrc {
			text.WriteString("\n" + strings.Join(g.groups[gi].quotes, " ") + "\n")
		}
		body := []byte(text.String())

		var rec obj
		rec.add("id", id)
		rec.add("schema_version", Version)
		rec.add("title", title)
		rec.add("author", []string{author})
		rec.add("publisher", publisher)
		rec.add("kind", "news_report")
		rec.add("published", obj{{"type", "point"}, {"value", pub.Format("2006-01-02")}, {"precision", "day"}, {"text", dayText(pub)}})
		rec.add("language", "en")
		rec.add("url", "https://example.org/"+datadir.Slug(publisher)+"/"+id)
		rec.add("text_file", id+".txt")
		rec.add("sha256", sha256Hex(body))
		rec.add("evidence", evidenceList(id,
			[]string{title, byline, dateline},
			[][]string{{"/title", "/kind"}, {"/author"}, {"/publisher", "/published"}}))
		if err := g.writeFile(datadir.Folder(kindSource)+"/"+id+".txt", body); err != nil {
			return err
		}
		file := datadir.Folder(kindSource) + "/" + id + ".json"
		brk, fix := g.breaks.apply(g.breaks.pick(kindSource, uint64(s), false), kindSource, &rec, &file, rng(g.opts.Seed, tagSource, uint64(s)))
		if err := g.write(file, rec, fix, buf); err != nil {
			return err
		}
		if brk != nil {
			bl = append(bl, *brk)
		}
	}
	g.srcBreaks[c] = bl
	return nil
}

func (g *gen) writeGroup(gr *group, buf *[]byte) (*Break, error) {
	rec := gr.record(g.srcIDs)
	file := datadir.Folder(kindGroup) + "/" + gr.id + ".json"
	brk, fix := g.breaks.apply(g.breaks.pick(kindGroup, uint64(gr.idx), false), kindGroup, &rec, &file, rng(g.opts.Seed, tagGroup, uint64(gr.idx)+1))
	return brk, g.write(file, rec, fix, buf)
}
