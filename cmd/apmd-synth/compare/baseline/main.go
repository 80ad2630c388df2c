// Command baseline measures the single-threaded Go reference points of the comparison run by
// cmd/apmd-synth/compare.sh: read and decode every record file of a dataset folder with
// jsonpos.Decode or encoding/json, or decode and validate it with a plain jsonschema/v5 loop
// (the schemas compiled once).
//
//	baseline --mode decode|encoding-json|jsonschema [--cpuprofile FILE] DIR
//
// Prints one JSON line {tool, files, invalid, seconds}; exit 1 when a file is invalid, 2 on
// usage or I/O errors.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/internal/jsonpos"
	"github.com/apmd-data/apmd/schema"
)

func main() { os.Exit(run()) }

func run() int {
	mode := pflag.String("mode", "decode", "decode (jsonpos.Decode), encoding-json (into any), or jsonschema (encoding/json + jsonschema/v5 Validate)")
	profile := pflag.String("cpuprofile", "", "write a CPU profile to this file")
	pflag.Parse()
	if pflag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: baseline --mode decode|encoding-json|jsonschema [--cpuprofile FILE] DIR")
		return 2
	}
	if *profile != "" {
		stop, err := startProfile(*profile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		defer stop()
	}
	start := time.Now()
	check, err := checker(*mode, manifestVersion(pflag.Arg(0)))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	files, invalid, err := checkAll(os.DirFS(pflag.Arg(0)), check)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	fmt.Printf("{\"tool\":\"go-%s\",\"files\":%d,\"invalid\":%d,\"seconds\":%.3f}\n", *mode, files, invalid, time.Since(start).Seconds())
	if invalid > 0 {
		return 1
	}
	return 0
}

func startProfile(file string) (stop func(), err error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		return nil, err
	}
	return pprof.StopCPUProfile, nil
}

// manifestVersion is the schema version the dataset's manifest declares ("" when it cannot be
// read): the version its records are checked against, as ajv's and python's rows are.
func manifestVersion(dir string) string {
	var m struct {
		SchemaVersion string `json:"schema_version"`
	}
	data, err := os.ReadFile(dir + "/dataset.json")
	if err != nil || json.Unmarshal(data, &m) != nil {
		return ""
	}
	return m.SchemaVersion
}

// checker returns the work of a mode on one record file: true when the file passes. The
// jsonschema mode checks against schema version (the latest release when it is "").
func checker(mode, version string) (func(schema.Kind, []byte) bool, error) {
	switch mode {
	case "decode":
		return func(_ schema.Kind, data []byte) bool {
			_, _, err := jsonpos.Decode(data)
			return err == nil
		}, nil
	case "encoding-json":
		return func(_ schema.Kind, data []byte) bool {
			var v any
			return json.Unmarshal(data, &v) == nil
		}, nil
	case "jsonschema":
		reg := schema.Released().WithoutFastPath() // plain jsonschema/v5
		if version == "" {
			version = reg.Latest()
		}
		set, err := reg.Get(version)
		if err != nil {
			return nil, err
		}
		return func(k schema.Kind, data []byte) bool {
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.UseNumber()
			var v any
			return dec.Decode(&v) == nil && set.Validate(k, v) == nil
		}, nil
	}
	return nil, fmt.Errorf("baseline: unknown --mode %q", mode)
}

// checkAll runs check on every record file of the folder, one after the other.
func checkAll(fsys fs.FS, check func(schema.Kind, []byte) bool) (files, invalid int, err error) {
	for _, k := range schema.Kinds {
		err := fs.WalkDir(fsys, datadir.Folder(k), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
				return err
			}
			data, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			files++
			if !check(k, data) {
				invalid++
			}
			return nil
		})
		if err != nil {
			return files, invalid, err
		}
	}
	return files, invalid, nil
}
