// Package schema holds the released versions of the APMD JSON Schema, embedded in the binary,
// compiled once per version with jsonschema/v5 (formats asserted) and never fetched from a
// network; each compiled schema also gets a fast path (Fast) that proves most records valid
// without v5. It also exposes each kind's schema as an ordered, annotated tree (Node) so that
// the validator, the exports and the codebook read field names, types, vocabularies and
// descriptions from the schema instead of restating them.
package schema

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

//go:embed */*.schema.json
var files embed.FS

// BaseURL is the prefix of every schema's $id; the version follows it.
const BaseURL = "https://apmd-data.github.io/apmd/schema/"

// Kind is a kind of record; each kind has its own schema file <kind>.schema.json.
type Kind string

// The record kinds, in the order the dataset and the exports list them.
const (
	Manifest Kind = "manifest"
	Source   Kind = "source"
	Group    Kind = "group"
	Incident Kind = "incident"
	Claim    Kind = "claim"
)

// Kinds lists the record kinds whose files live in their own folder (the manifest is one file).
var Kinds = []Kind{Source, Group, Incident, Claim}

// ErrUnknownVersion is returned for a version that is not released.
var ErrUnknownVersion = errors.New("unknown schema version")

// FS returns the embedded schema files, laid out as <version>/<kind>.schema.json.
func FS() fs.FS { return files }

// Versions returns the released schema versions, oldest first.
func Versions() []string { return versionsIn(files) }

// versionsIn lists the canonical version folders of a schema file system, oldest first.
func versionsIn(fsys fs.FS) []string {
	entries, _ := fs.ReadDir(fsys, ".")
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

// Latest returns the newest released schema version.
func Latest() string {
	vs := Versions()
	return vs[len(vs)-1]
}

// ParseVersion parses a canonical MAJOR.MINOR.PATCH version (no 'v', no leading zeros).
func ParseVersion(v string) ([3]int, error) {
	var out [3]int
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return out, fmt.Errorf("version %q: want MAJOR.MINOR.PATCH", v)
	}
	for i, p := range parts {
		if p == "" || (len(p) > 1 && p[0] == '0') || strings.TrimLeft(p, "0123456789") != "" {
			return out, fmt.Errorf("version %q: %q is not a number without leading zeros", v, p)
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			return out, fmt.Errorf("version %q: %w", v, err)
		}
		out[i] = n
	}
	return out, nil
}

// CompareVersions orders two versions; unparsable versions sort first, by text.
func CompareVersions(a, b string) int {
	va, ea := ParseVersion(a)
	vb, eb := ParseVersion(b)
	if ea != nil || eb != nil {
		switch {
		case ea != nil && eb == nil:
			return -1
		case ea == nil && eb != nil:
			return 1
		}
		return strings.Compare(a, b)
	}
	for i := range va {
		if va[i] != vb[i] {
			if va[i] < vb[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

// Raw returns the bytes of one kind's schema in one version ("defs" for the shared definitions).
func Raw(version string, kind Kind) ([]byte, error) {
	b, err := fs.ReadFile(files, version+"/"+string(kind)+".schema.json")
	if err != nil {
		if !hasVersion(version) {
			return nil, fmt.Errorf("%w %q (released: %s)", ErrUnknownVersion, version, strings.Join(Versions(), ", "))
		}
		return nil, fmt.Errorf("schema %s has no kind %q", version, kind)
	}
	return b, nil
}

// URL returns the $id of one kind's schema in one version.
func URL(version string, kind Kind) string {
	return BaseURL + version + "/" + string(kind) + ".schema.json"
}

func hasVersion(v string) bool {
	for _, x := range Versions() {
		if x == v {
			return true
		}
	}
	return false
}

// Set is one released version: every kind's compiled schema, its fast path, and annotated tree.
type Set struct {
	Version  string
	compiled map[Kind]*jsonschema.Schema
	fast     map[Kind]*Fast // nil for a kind whose schema has no fast path
	fastErr  map[Kind]error // why a kind has no fast path
	nodes    map[Kind]*Node
}

var (
	cacheMu sync.Mutex
	cache   = map[string]*setOnce{}
)

type setOnce struct {
	once sync.Once
	set  *Set
	err  error
}

// Get returns the compiled schemas of a released version. Each version is compiled once per
// process; the result is safe for concurrent use.
func Get(version string) (*Set, error) {
	if !hasVersion(version) {
		return nil, fmt.Errorf("%w %q (released: %s)", ErrUnknownVersion, version, strings.Join(Versions(), ", "))
	}
	cacheMu.Lock()
	so := cache[version]
	if so == nil {
		so = &setOnce{}
		cache[version] = so
	}
	cacheMu.Unlock()
	so.once.Do(func() { so.set, so.err = compile(version) })
	return so.set, so.err
}

// Compiler returns a jsonschema compiler that asserts formats and resolves only the embedded
// schema files: any other URL, file:// included, is an error rather than a read or a fetch.
func Compiler() *jsonschema.Compiler {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	c.AssertContent = true
	c.LoadURL = loadEmbedded
	return c
}

func loadEmbedded(url string) (io.ReadCloser, error) {
	rest, ok := strings.CutPrefix(url, BaseURL)
	if !ok {
		return nil, fmt.Errorf("schema %s is not embedded in apmd; apmd never fetches schemas from a network or disk", url)
	}
	b, err := fs.ReadFile(files, rest)
	if err != nil {
		return nil, fmt.Errorf("schema %s is not embedded in apmd", url)
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func compile(version string) (*Set, error) { return compileFS(files, Compiler(), version) }

// compileFS compiles one version read from fsys with c, whose loader must resolve fsys's $ids.
func compileFS(fsys fs.FS, c *jsonschema.Compiler, version string) (*Set, error) {
	s := &Set{Version: version, compiled: map[Kind]*jsonschema.Schema{}, nodes: map[Kind]*Node{},
		fast: map[Kind]*Fast{}, fastErr: map[Kind]error{}}
	for _, k := range append([]Kind{Manifest}, Kinds...) {
		sch, err := c.Compile(URL(version, k))
		if err != nil {
			return nil, fmt.Errorf("compile schema %s/%s: %w", version, k, err)
		}
		s.compiled[k] = sch
		s.fast[k], s.fastErr[k] = CompileFast(sch, c.Formats)
		n, err := buildTreeFS(fsys, version, k)
		if err != nil {
			return nil, fmt.Errorf("read schema %s/%s: %w", version, k, err)
		}
		s.nodes[k] = n
	}
	return s, nil
}

// Schema returns the compiled schema of a kind.
func (s *Set) Schema(k Kind) *jsonschema.Schema { return s.compiled[k] }

// Fast returns the fast-path checker of a kind's schema, or nil (with the reason) when the schema
// uses a keyword the fast path does not implement: then only jsonschema/v5 validates it.
func (s *Set) Fast(k Kind) (*Fast, error) { return s.fast[k], s.fastErr[k] }

// Node returns the annotated tree of a kind's schema.
func (s *Set) Node(k Kind) *Node { return s.nodes[k] }
