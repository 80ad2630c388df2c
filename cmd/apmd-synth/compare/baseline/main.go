// Command baseline measures the single-threaded Go reference points of the comparison run by
// cmd/apmd-synth/compare.sh: read and decode every record file of a dataset folder with
// dataset.Decode or encoding/json, or decode and validate it with a plain jsonschema/v5 loop
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

	"github.com/apmd-data/apmd/dataset"
	"github.com/apmd-data/apmd/schema"
)

func main() { os.Exit(run()) }

func run() int {
	mode := pflag.String("mode", "decode", "decode (dataset.Decode), encoding-json (into any), or jsonschema (encoding/json + jsonschema/v5 Validate)")
	profile := pflag.String("cpuprofile", "", "write a CPU profile to this file")
	pflag.Parse()
	if pflag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: baseline --mode decode|encoding-json|jsonschema [--cpuprofile FILE] DIR")
		return 2
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	set, err := schema.Get(schema.Latest())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	check := map[string]func(schema.Kind, []byte) bool{
		"decode": func(_ schema.Kind, data []byte) bool {
			_, _, err := dataset.Decode(data)
			return err == nil
		},
		"encoding-json": func(_ schema.Kind, data []byte) bool {
			var v any
			return json.Unmarshal(data, &v) == nil
		},
		"jsonschema": func(k schema.Kind, data []byte) bool {
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.UseNumber()
			var v any
			return dec.Decode(&v) == nil && set.Schema(k).Validate(v) == nil
		},
	}[*mode]
	if check == nil {
		fmt.Fprintf(os.Stderr, "baseline: unknown --mode %q\n", *mode)
		return 2
	}
	fsys := os.DirFS(pflag.Arg(0))
	files, invalid := 0, 0
	for _, k := range schema.Kinds {
		err := fs.WalkDir(fsys, dataset.Folder(k), func(p string, d fs.DirEntry, err error) error {
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
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
	}
	fmt.Printf("{\"tool\":\"go-%s\",\"files\":%d,\"invalid\":%d,\"seconds\":%.3f}\n", *mode, files, invalid, time.Since(start).Seconds())
	if invalid > 0 {
		return 1
	}
	return 0
}
