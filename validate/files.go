package validate

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/internal/english"
	"github.com/apmd-data/apmd/schema"
)

// placeCheck checks a record's file against its id.
var placeCheck = &Check{
	Name:  "place",
	Doc:   "a record's file is named after its id, in its kind's folder",
	Rules: []*Rule{ruleFileNameID, ruleWrongFolder},
	Run:   checkPlace,
}

func checkPlace(p *Pass) {
	folder, id := p.Record.Kind, p.Record.ID
	if folder == schema.Manifest || id == "" {
		return
	}
	file := p.Record.File
	dir, base := path.Split(file)
	if p.Kind != folder {
		_, rest, _ := strings.Cut(file, "/")
		p.Reportf(ruleWrongFolder, "/"+schema.FieldID,
			"id %q is %s id but the file is in %s/: move the file to %s/%s (or, if the id is wrong, give it the prefix %q)",
			id, english.A(string(p.Kind)), datadir.Folder(folder), datadir.Folder(p.Kind), rest, datadir.Prefix(folder))
	}
	if base != id+".json" && datadir.IsSlug(id) { // a malformed id is a schema finding; renaming to it would not help
		p.Reportf(ruleFileNameID, "/"+schema.FieldID,
			"the file is named %q but the record's id is %q: rename the file to %s%s.json, or correct the id",
			base, id, dir, id)
	}
}

// layoutCheck checks the files of the folder: the manifest, names that clash, and files that
// belong nowhere.
var layoutCheck = &Check{
	Name:  "layout",
	Doc:   "the folder holds its manifest, records and the texts its source records name, and nothing else",
	Rules: []*Rule{ruleManifestMissing, ruleCaseCollision, ruleNotRegular, ruleUnexpected, ruleSourceTextOrphan, ruleNameInvalid},
	Run:   keepTextName,
	Facts: textNames,
	Cross: checkLayout,
}

// textNames keeps the path of the text each source record names.
var textNames = &Facts[string]{}

func keepTextName(p *Pass) {
	if name, ok := textName(p); ok && plainTextName(name) {
		tp := textPath(p, name)
		textNames.Keep(p, &tp)
	}
}

func checkLayout(x *Index) error {
	texts := map[string]bool{}
	hasManifest := false
	for _, r := range x.records {
		if tp, ok := textNames.Of(r); ok {
			texts[*tp] = true
		}
		hasManifest = hasManifest || r.kind == schema.Manifest
	}
	if !hasManifest {
		x.Reportf(ruleManifestMissing, datadir.ManifestFile, noPosition, "",
			"the dataset folder has no %s: add the manifest (name, title, version, license, citation, description)", datadir.ManifestFile)
	}
	folded := make(map[string]string, len(x.entries))
	for _, e := range x.entries {
		low := strings.ToLower(e.Path)
		if first, ok := folded[low]; ok {
			// On both files: the pull request may add either.
			const msg = "%q and %q differ only in case, so they are one file on macOS and Windows: rename or remove one"
			x.Reportf(ruleCaseCollision, e.Path, noPosition, "", msg, e.Path, first)
			x.Reportf(ruleCaseCollision, first, noPosition, "", msg, first, e.Path)
		} else {
			folded[low] = e.Path
		}
		if bad := badNameRune(path.Base(e.Path)); bad != "" {
			x.Reportf(ruleNameInvalid, e.Path, noPosition, "",
				"the file name %q has %s, which Go modules cannot hold: go install would leave the file out, and a build of apmd that embeds the data (-tags bundle) would fail; rename it, e.g. to %q (%s)",
				path.Base(e.Path), bad, renamed(path.Base(e.Path)), nameRule(e.Path))
		}
		if !e.Regular() {
			x.Reportf(ruleNotRegular, e.Path, noPosition, "",
				"this is %s, not a file: apmd reads only the regular files inside the dataset folder and never follows a link; put the file itself here, or remove the entry", typeName(e.Type))
			continue
		}
		if e.Kind != "" || texts[e.Path] || slices.Contains(datadir.DocFiles, e.Path) {
			continue
		}
		if top, _, _ := strings.Cut(e.Path, "/"); top == datadir.Folder(schema.Source) && strings.HasSuffix(e.Path, ".txt") {
			x.Reportf(ruleSourceTextOrphan, e.Path, noPosition, "",
				"no source record names this text as its text_file: add the source record (%s beside it), or remove the text",
				strings.TrimSuffix(path.Base(e.Path), ".txt")+".json")
			continue
		}
		x.Reportf(ruleUnexpected, e.Path, noPosition, "", "%s", unexpectedWhy(e.Path))
	}
	return nil
}

// typeName names the type of an entry that is not a regular file.
func typeName(t fs.FileMode) string {
	switch {
	case t&fs.ModeSymlink != 0:
		return "a symbolic link"
	case t&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case t&fs.ModeSocket != 0:
		return "a socket"
	case t&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

// unexpectedWhy says why a file does not belong where it is.
func unexpectedWhy(p string) string {
	top, _, nested := strings.Cut(p, "/")
	var folders []string
	for _, k := range schema.Kinds {
		folders = append(folders, datadir.Folder(k)+"/")
	}
	switch {
	case !nested:
		return fmt.Sprintf("unexpected file at the top of the dataset: only %s, the documents %s and the folders %s belong here; move or remove it",
			datadir.ManifestFile, strings.Join(datadir.DocFiles, ", "), strings.Join(folders, ", "))
	case !slices.Contains(folders, top+"/"):
		return fmt.Sprintf("unexpected folder %q: records go in %s; move the file or remove it", top+"/", strings.Join(folders, ", "))
	case strings.EqualFold(path.Ext(p), ".json") || strings.EqualFold(path.Ext(p), ".txt") && top == datadir.Folder(schema.Source):
		ext := strings.ToLower(path.Ext(p))
		return fmt.Sprintf("unexpected file in %s/: its extension must be %s in lower case for apmd to read it; rename it to %s",
			top, ext, strings.TrimSuffix(path.Base(p), path.Ext(p))+ext)
	case top == datadir.Folder(schema.Source):
		return fmt.Sprintf("unexpected file in %s/: it holds only <id>.json records and the .txt texts they name; rename or remove it", top)
	}
	if backup(p) {
		return fmt.Sprintf("unexpected file in %s/: an editor's backup or swap file? Remove it (left untracked, it is not committed, and apmd validate --staged, the pre-commit hook, does not see it)", top)
	}
	return fmt.Sprintf("unexpected file in %s/: it holds only <id>.json records; rename or remove it", top)
}

// backup reports whether a file name is that of an editor's backup or swap file.
func backup(name string) bool {
	base := path.Base(name)
	return strings.HasSuffix(base, "~") || strings.HasPrefix(base, "#") || strings.HasPrefix(base, ".#") ||
		slices.Contains([]string{".bak", ".orig", ".swp", ".swo", ".tmp"}, path.Ext(base))
}

// textName returns the text_file of a source record, if it names one.
func textName(p *Pass) (string, bool) {
	if p.Kind != schema.Source || !p.content() {
		return "", false
	}
	name, ok := p.Object[schema.FieldTextFile].(string)
	return name, ok && name != ""
}

// textPath returns the path of a source record's text: its text_file (a plain name, see
// plainTextName), beside the record.
func textPath(p *Pass, name string) string { return path.Join(path.Dir(p.Record.File), name) }

// plainTextName reports whether a text_file names a .txt file beside its record: no folder
// (no '/' or '\\' on any system), no "." or "..", not hidden. Nothing else is ever read.
func plainTextName(name string) bool {
	return strings.HasSuffix(name, ".txt") && !strings.ContainsAny(name, `/\`) && !strings.HasPrefix(name, ".") &&
		fs.ValidPath(name)
}

// badNameRune says what in a file name Go modules reject (the rule of
// golang.org/x/mod/module.CheckFilePath, which go:embed and module zips apply): a character
// other than a letter, a digit and !#$%&()+,-.=@[]^_{}~ and the space ("the character ' (U+0027)"),
// or a trailing dot; "" for a name they accept.
func badNameRune(name string) string {
	const allowed = "!#$%&()+,-.=@[]^_{}~ "
	for _, r := range name {
		switch {
		case r < utf8.RuneSelf && ('0' <= r && r <= '9' || 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || strings.ContainsRune(allowed, r)):
		case r >= utf8.RuneSelf && unicode.IsLetter(r):
		default:
			return fmt.Sprintf("the character %c (%U)", r, r)
		}
	}
	if strings.HasSuffix(name, ".") {
		return "a trailing dot"
	}
	return ""
}

// renamed suggests a name for a file whose name Go modules reject: its stem as a slug.
func renamed(name string) string {
	ext := path.Ext(name)
	return datadir.Slug(strings.TrimSuffix(name, ext)) + ext
}

// nameRule says how a file of the dataset is named.
func nameRule(p string) string {
	if strings.HasSuffix(p, ".txt") {
		return "a source's text is named after it: <source id>.txt, and its text_file says so"
	}
	return "a record's file is its id, a lower-case slug, plus .json"
}
