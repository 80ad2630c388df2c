package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/apmd-data/apmd"
	"github.com/apmd-data/apmd/internal/datadir"
	"github.com/apmd-data/apmd/schema"
	"github.com/spf13/pflag"
)

// runVersion prints the tool's version (set at build time with -ldflags "-X main.version=…",
// else the module version or VCS revision Go recorded), the bundled data's version and the
// schema versions this build validates against.
func runVersion(args []string, stdout, stderr io.Writer) int {
	fl := pflag.NewFlagSet("version", pflag.ContinueOnError)
	h := help{usage: "apmd version (or apmd --version)",
		about:    "Prints apmd's version, the version of the data built into it, and the schema versions it validates against.",
		examples: []string{"apmd version", "apmd --version"}}
	if ok, code := parseFlags(fl, args, "apmd version", h, stdout, stderr); !ok {
		return code
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "apmd version: takes no arguments, got %s\n", strings.Join(fl.Args(), " "))
		return exitUsage
	}
	fmt.Fprintf(stdout, "apmd %s\n", toolVersion())
	if apmd.Origin() == "" {
		fmt.Fprintln(stdout, "data: none (built without -tags bundle, away from its source)")
	} else if m, err := datadir.ReadRecord(apmd.Data(), schema.Manifest, datadir.ManifestFile); err != nil {
		fmt.Fprintf(stderr, "apmd version: the manifest of the dataset apmd carries: %v\n", err)
		return exitUsage
	} else {
		dataVersion, _ := m.Value.(map[string]any)["version"].(string)
		fmt.Fprintf(stdout, "data: %s (schema %s), %s\n", dataVersion, m.Version, apmd.Origin())
	}
	fmt.Fprintf(stdout, "schema versions: %s (latest %s)\n", strings.Join(schema.Released().Versions(), ", "), schema.Released().Latest())
	return exitOK
}

// toolVersion is version when set at build time, else what the Go toolchain recorded: the
// module version (go install …@v1.2.3) or the VCS revision of a build from a clone.
func toolVersion() string {
	if version != "dev" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return version
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		}
	}
	if rev != "" {
		return fmt.Sprintf("dev (%.12s%s, %s)", rev, modified, info.GoVersion)
	}
	return fmt.Sprintf("dev (%s)", info.GoVersion)
}
