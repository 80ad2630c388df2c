package schema

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
	"sync"
)

// Registry is a set of schema versions read from any file system laid out like the embedded
// one (<version>/<kind>.schema.json, each $id under BaseURL): the released versions
// (Released), or those and others, such as a fixture version in a test or a version being
// prepared, so that it can be compiled, validated against and diffed before it is released.
// Each version is compiled once per registry, when first asked for.
type Registry struct {
	fsys   fs.FS
	noFast bool
	mu     sync.Mutex
	sets   map[string]*setOnce
}

type setOnce struct {
	once sync.Once
	set  *Set
	err  error
}

// NewRegistry returns a registry of the versions under the given file systems. A version
// folder present in several is taken whole from the first that has it, so
// NewRegistry(FS(), os.DirFS(dir)) adds dir's versions without letting it shadow a release.
//
// Its sets validate with the fast path unless the environment sets APMD_NOFASTPATH=1 (see
// WithoutFastPath).
func NewRegistry(layers ...fs.FS) *Registry {
	var fsys fs.FS = layered(layers)
	if len(layers) == 1 {
		fsys = layers[0]
	}
	return &Registry{fsys: fsys, noFast: os.Getenv("APMD_NOFASTPATH") == "1", sets: map[string]*setOnce{}}
}

// WithoutFastPath returns a registry of the same versions whose sets validate with
// jsonschema/v5 alone: the switch that shows whether a difference comes from the fast path.
func (r *Registry) WithoutFastPath() *Registry {
	return &Registry{fsys: r.fsys, noFast: true, sets: map[string]*setOnce{}}
}

// layered is a union of schema file systems, by top-level folder.
type layered []fs.FS

func (l layered) owner(name string) fs.FS {
	top, _, _ := strings.Cut(name, "/")
	for _, f := range l {
		if st, err := fs.Stat(f, top); err == nil && st.IsDir() {
			return f
		}
	}
	return nil
}

func (l layered) Open(name string) (fs.File, error) {
	if name == "." {
		if len(l) == 0 {
			return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
		}
		return l[0].Open(name)
	}
	f := l.owner(name)
	if f == nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return f.Open(name)
}

// ReadDir merges the top level of every layer; below it, the owning layer answers.
func (l layered) ReadDir(name string) ([]fs.DirEntry, error) {
	if name != "." {
		f := l.owner(name)
		if f == nil {
			return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
		}
		return fs.ReadDir(f, name)
	}
	seen := map[string]bool{}
	var out []fs.DirEntry
	for _, f := range l {
		entries, err := fs.ReadDir(f, ".")
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if !seen[e.Name()] {
				seen[e.Name()] = true
				out = append(out, e)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

// FS returns the registry's file system.
func (r *Registry) FS() fs.FS { return r.fsys }

// Versions returns the registry's versions (canonical folder names only), oldest first.
func (r *Registry) Versions() []string {
	entries, _ := fs.ReadDir(r.fsys, ".")
	var vs []string
	for _, e := range entries {
		if e.IsDir() {
			if _, err := ParseVersion(e.Name()); err == nil {
				vs = append(vs, e.Name())
			}
		}
	}
	sort.Slice(vs, func(i, j int) bool { return CompareVersions(vs[i], vs[j]) < 0 })
	return vs
}

// Latest returns the newest version, or "" when there is none.
func (r *Registry) Latest() string {
	vs := r.Versions()
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

func (r *Registry) has(version string) bool {
	for _, v := range r.Versions() {
		if v == version {
			return true
		}
	}
	return false
}

func (r *Registry) unknown(version string) error {
	return fmt.Errorf("%w %q (known: %s)", ErrUnknownVersion, version, strings.Join(r.Versions(), ", "))
}

// Raw returns the bytes of one kind's schema ("defs" for the shared definitions).
func (r *Registry) Raw(version string, kind Kind) ([]byte, error) {
	if !r.has(version) {
		return nil, r.unknown(version)
	}
	b, err := fs.ReadFile(r.fsys, version+"/"+string(kind)+".schema.json")
	if err != nil {
		return nil, fmt.Errorf("schema %s has no kind %q", version, kind)
	}
	return b, nil
}

// Get compiles a version once per registry; the result is safe for concurrent use. A version
// asked for before is not looked for in the file system again (a validation asks once per record).
func (r *Registry) Get(version string) (*Set, error) {
	r.mu.Lock()
	so := r.sets[version]
	r.mu.Unlock()
	if so == nil {
		if !r.has(version) {
			return nil, r.unknown(version)
		}
		r.mu.Lock()
		if so = r.sets[version]; so == nil {
			so = &setOnce{}
			r.sets[version] = so
		}
		r.mu.Unlock()
	}
	so.once.Do(func() { so.set, so.err = compile(r, version) })
	return so.set, so.err
}

// load resolves $ids under BaseURL from the registry's files and refuses everything else:
// apmd never reads a schema from a network or from a file a $ref names.
func (r *Registry) load(url string) (io.ReadCloser, error) {
	rest, ok := strings.CutPrefix(url, BaseURL)
	if !ok {
		return nil, fmt.Errorf("schema %s is outside %s; apmd never fetches schemas from a network or disk", url, BaseURL)
	}
	b, err := fs.ReadFile(r.fsys, rest)
	if err != nil {
		return nil, fmt.Errorf("schema %s is not in the registry", url)
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}
