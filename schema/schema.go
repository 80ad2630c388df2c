// Package schema holds the released versions of the APMD JSON Schema, embedded in the binary,
// and what apmd reads from them. A Registry serves versions (Released: the embedded ones); a
// Set is one version compiled: Validate checks a record against a kind's schema (with
// jsonschema/v5, formats asserted, never fetching anything from a network), Node is a kind's
// schema as an ordered, annotated tree, from which the validator, the exports and the
// codebook read field names, types, vocabularies and descriptions instead of restating them.
package schema

import (
	"embed"
	"errors"
	"io/fs"
	"strings"
	"sync"
)

//go:embed */*.schema.json
var files embed.FS

// sums is SHA256SUMS: the files of the released versions (see schema/VERSIONING.md).
//
//go:embed SHA256SUMS
var sums string

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

// allKinds is the manifest and Kinds: every schema file of a version but the shared definitions.
var allKinds = append([]Kind{Manifest}, Kinds...)

// ErrUnknownVersion is returned for a version a registry does not hold.
var ErrUnknownVersion = errors.New("unknown schema version")

// FS returns the embedded schema files, laid out as <version>/<kind>.schema.json.
func FS() fs.FS { return files }

// URL returns the $id of one kind's schema in one version.
func URL(version string, kind Kind) string {
	return BaseURL + version + "/" + string(kind) + ".schema.json"
}

// Listed reports whether a version is released: its files are listed in SHA256SUMS. A version
// folder of schema/ that is not listed yet is a draft (step 5 of "Making a new schema version"
// lists it); TestReleasedSchemasUnchanged fails until it is, so a draft never reaches a release.
func Listed(version string) bool {
	return strings.Contains("\n"+sums, "  "+version+"/")
}

// Released returns the registry of the embedded versions: the released ones and, while one is
// being made, a draft of schema/ that SHA256SUMS does not list yet (see Listed). It is one per
// process, so that every command and package shares its compiled versions.
var Released = sync.OnceValue(func() *Registry { return NewRegistry(files) })
