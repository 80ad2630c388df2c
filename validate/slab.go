package validate

import (
	"sync"
	"unsafe"
)

// slabs holds the facts the checks keep (Facts.Keep, keepSlice) in large chunks, one kind of
// chunk per type. A large dataset keeps a few small facts of each of hundreds of thousands of
// records until the cross-record checks: allocated one by one they were most of the 2.6
// million objects the garbage collector marked again at each cycle (200,000 incidents). In
// chunks they are a few thousand objects. A chunk lives as long as any fact in it, which is
// as long as the facts of a check live anyway (until its Cross has run).
type slabs struct {
	mu sync.Mutex
	m  map[any]any // (*T)(nil) → *[]T, the chunk of T being filled
}

// slabBytes is about the size of a chunk.
const slabBytes = 64 << 10

// keepIn returns a copy of xs carved from the chunk of T of s (nil when xs is empty).
func keepIn[T any](s *slabs, xs []T) []T {
	if len(xs) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[any]any{}
	}
	cp, _ := s.m[(*T)(nil)].(*[]T)
	if cp == nil {
		cp = new([]T)
		s.m[(*T)(nil)] = cp
	}
	c := *cp
	if cap(c)-len(c) < len(xs) {
		var zero T
		per := slabBytes / max(1, int(unsafe.Sizeof(zero)))
		c = make([]T, 0, max(per, len(xs)))
	}
	n := len(c)
	c = append(c, xs...)
	*cp = c
	return c[n:len(c):len(c)]
}

// keepSlice returns a copy of xs for a fact of the record the pass is about.
func keepSlice[T any](p *Pass, xs []T) []T { return keepIn(&p.index.slabs, xs) }
