// Package progress draws a progress bar for long runs of apmd (validating or exporting a
// large dataset) on standard error: counts, percentage and rate, redrawn in place at most ten
// times a second. It draws only on a terminal, so logs and CI output stay clean, and never
// when the user asked for quiet.
package progress

import (
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Bar is the progress of one run. Its methods are safe for concurrent use; on a Bar that does
// not draw (not a terminal, or quiet) they only count.
type Bar struct {
	w     io.Writer
	label string
	unit  string
	total atomic.Int64
	done  atomic.Int64
	draw  bool

	every    time.Duration
	now      func() time.Time
	start    time.Time
	nextDraw atomic.Int64 // unix nanoseconds before which Add does not redraw

	mu       sync.Mutex // serialises drawing
	finished bool
	width    int // width of the last line drawn, to blank it out
}

// New returns a bar for a run of total items (0 when unknown) counted in unit ("files"),
// drawn on w when w is a terminal and quiet is false.
func New(w io.Writer, label, unit string, total int, quiet bool) *Bar {
	return newBar(w, label, unit, total, !quiet && IsTerminal(w), time.Now, 100*time.Millisecond)
}

func newBar(w io.Writer, label, unit string, total int, draw bool, now func() time.Time, every time.Duration) *Bar {
	b := &Bar{w: w, label: label, unit: unit, draw: draw, now: now, every: every}
	b.total.Store(int64(total))
	b.start = now()
	return b
}

// IsTerminal says whether w is a character device such as a terminal (so not a file, a pipe
// or a CI log).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Add counts n more items done and redraws the bar if the last drawing is old enough.
func (b *Bar) Add(n int) {
	b.done.Add(int64(n))
	b.maybeDraw()
}

// Set records that done of total items are done (total 0: unknown), for callers that count
// themselves, such as validate.Options.Progress.
func (b *Bar) Set(done, total int) {
	b.done.Store(int64(done))
	b.total.Store(int64(total))
	b.maybeDraw()
}

func (b *Bar) maybeDraw() {
	if !b.draw {
		return
	}
	now := b.now()
	next := b.nextDraw.Load()
	if now.UnixNano() < next || !b.nextDraw.CompareAndSwap(next, now.Add(b.every).UnixNano()) {
		return // drawn recently, or another goroutine is drawing
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.finished {
		b.render(now, false)
	}
}

// Count returns the number of items done so far.
func (b *Bar) Count() int { return int(b.done.Load()) }

// Finish draws the final state and ends the line; later calls to Add draw nothing.
func (b *Bar) Finish() {
	if !b.draw {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.finished {
		return
	}
	b.finished = true
	b.render(b.now(), true)
}

const barWidth = 24

func (b *Bar) render(now time.Time, final bool) {
	done, total := b.done.Load(), b.total.Load()
	var s strings.Builder
	s.WriteString("\r")
	s.WriteString(b.label)
	s.WriteString(" ")
	if total > 0 {
		frac := min(float64(done)/float64(total), 1)
		filled := int(frac * barWidth)
		s.WriteString("[" + strings.Repeat("=", filled) + strings.Repeat(" ", barWidth-filled) + "] ")
		s.WriteString(strconv.Itoa(int(frac*100)) + "% " + group(done) + "/" + group(total))
	} else {
		s.WriteString(group(done))
	}
	s.WriteString(" " + b.unit)
	if secs := now.Sub(b.start).Seconds(); secs > 0 {
		s.WriteString(" " + group(int64(float64(done)/secs)) + "/s")
		if final {
			s.WriteString(" in " + strconv.FormatFloat(secs, 'f', 1, 64) + "s")
		}
	}
	line := s.String()
	if pad := b.width - len(line); pad > 0 {
		line += strings.Repeat(" ", pad) // blank out the rest of a longer previous line
	}
	b.width = len(s.String())
	if final {
		line += "\n"
	}
	io.WriteString(b.w, line) // a progress bar that cannot be drawn is not worth failing the run
}

// group writes n with thousands separators: 277067 gives "277,067".
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return s
	}
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
