package progress

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a fake time source advanced by the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func TestSilentWhenNotTerminal(t *testing.T) {
	var buf bytes.Buffer
	b := New(&buf, "validate", "files", 10, false)
	for range 10 {
		b.Add(1)
	}
	b.Finish()
	if buf.Len() != 0 {
		t.Errorf("drew %q on a buffer", buf.String())
	}
	if b.Count() != 10 {
		t.Errorf("counted %d, want 10", b.Count())
	}
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) {
		t.Error("a regular file is taken for a terminal")
	}
}

func TestQuiet(t *testing.T) {
	if New(os.Stderr, "x", "files", 1, true).draw {
		t.Error("a quiet bar draws")
	}
}

func TestThrottledDrawing(t *testing.T) {
	var buf bytes.Buffer
	c := &clock{t: time.Unix(1000, 0)}
	b := newBar(&buf, "validate", "files", 1000, true, c.now, 100*time.Millisecond)
	for range 500 {
		b.Add(1)
		c.add(time.Millisecond) // 500 ms in all: five redraws at most
	}
	draws := strings.Count(buf.String(), "\r")
	if draws < 4 || draws > 6 {
		t.Errorf("%d redraws in 500 ms at one per 100 ms:\n%q", draws, buf.String())
	}
	b.Finish()
	b.Add(1)
	out := buf.String()
	last := out[strings.LastIndex(out, "\r"):]
	want := "\rvalidate [============            ] 50% 500/1,000 files 1,000/s in 0.5s\n"
	if !strings.HasPrefix(last, strings.TrimSuffix(want, "\n")) || !strings.HasSuffix(last, "\n") {
		t.Errorf("final line %q, want %q", last, want)
	}
	if strings.Count(out, "\n") != 1 {
		t.Errorf("drew after Finish or ended the line twice: %q", out)
	}
}

func TestUnknownTotal(t *testing.T) {
	var buf bytes.Buffer
	c := &clock{t: time.Unix(0, 0)}
	b := newBar(&buf, "export", "rows", 0, true, c.now, time.Second)
	c.add(2 * time.Second)
	b.Add(1234567)
	if got, want := buf.String(), "\rexport 1,234,567 rows 617,283/s"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestConcurrentAdd(t *testing.T) {
	var buf bytes.Buffer
	b := newBar(&buf, "validate", "files", 8000, true, time.Now, time.Nanosecond)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				b.Add(1)
			}
		})
	}
	wg.Wait()
	b.Finish()
	if b.Count() != 8000 || !strings.Contains(buf.String(), "100% 8,000/8,000 files") {
		t.Errorf("count %d, output ends %q", b.Count(), buf.String()[max(0, buf.Len()-80):])
	}
}

func TestGroup(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 277067: "277,067", 1234567: "1,234,567"} {
		if got := group(n); got != want {
			t.Errorf("group(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestSet(t *testing.T) {
	var buf bytes.Buffer
	c := &clock{t: time.Unix(0, 0)}
	b := newBar(&buf, "validate", "files", 0, true, c.now, time.Second)
	c.add(time.Second)
	b.Set(50, 200)
	b.Set(60, 200) // within the second: not drawn
	c.add(time.Second)
	b.Set(200, 200)
	want := "\rvalidate [======                  ] 25% 50/200 files 50/s" +
		"\rvalidate [========================] 100% 200/200 files 100/s"
	if got := buf.String(); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
