package main

import (
	"strings"
	"testing"
)

// TestHelp: every command's --help (and apmd help <command>) goes to stdout with exit 0, shows
// switches as plain --quiet, and has examples.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"help"},
		{"validate", "--help"}, {"help", "validate"}, {"validate", "-h"},
		{"export", "--help"}, {"help", "export"},
		{"schema", "--help"}, {"help", "schema"},
		{"schema", "list", "--help"}, {"schema", "show", "--help"}, {"schema", "diff", "--help"}, {"help", "schema", "diff"},
		{"version", "--help"}, {"help", "version"},
	} {
		code, out, errs := runArgs(t, args...)
		if code != exitOK || errs != "" || !strings.Contains(out, "Usage") || !strings.Contains(out, "Examples:") {
			t.Errorf("apmd %s: exit %d, stderr %q, stdout:\n%s\nwant exit 0, usage and examples on stdout", strings.Join(args, " "), code, errs, out)
		}
		if strings.Contains(out, "[=true|false]") {
			t.Errorf("apmd %s shows a switch as --x[=true|false]:\n%s", strings.Join(args, " "), out)
		}
	}
	_, viaHelp, _ := runArgs(t, "help", "validate")
	_, viaFlag, _ := runArgs(t, "validate", "--help")
	if viaHelp != viaFlag {
		t.Error("apmd help validate differs from apmd validate --help")
	}
}

// TestFlagErrors: a wrong flag is said on stderr, with the flag meant when it is a typo, for
// every command (the review's D1: apmd validate printed nothing).
func TestFlagErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"validate", "--formatt", "json"}, "apmd validate: unknown flag --formatt; did you mean --format? (see apmd validate --help)"},
		{[]string{"validate", "--bogus"}, "apmd validate: unknown flag --bogus (see apmd validate --help)"},
		{[]string{"validate", "--select"}, "apmd validate: flag needs an argument: --select (see apmd validate --help)"},
		{[]string{"validate", "--quiet=maybe"}, `apmd validate: invalid argument "maybe" for "--quiet" flag`},
		{[]string{"export", "--outt", "x"}, "apmd export: unknown flag --outt; did you mean --out?"},
		{[]string{"schema", "diff", "--formt", "json", "1.0.0", "1.1.0"}, "apmd schema diff: unknown flag --formt; did you mean --format?"},
		{[]string{"version", "--bogus"}, "apmd version: unknown flag --bogus"},
		{[]string{"valdate"}, `apmd: unknown command "valdate"; did you mean "validate"?`},
	} {
		code, out, errs := runArgs(t, c.args...)
		if code != exitUsage || out != "" || !strings.HasPrefix(errs, c.want) {
			t.Errorf("apmd %s: exit %d, stdout %q, stderr %q; want exit 2 and stderr starting %q", strings.Join(c.args, " "), code, out, errs, c.want)
		}
	}
}

func TestVersionFlag(t *testing.T) {
	code, out, _ := runArgs(t, "--version")
	_, want, _ := runArgs(t, "version")
	if code != exitOK || out != want || !strings.HasPrefix(out, "apmd ") {
		t.Errorf("apmd --version: exit %d, %q; want apmd version's %q", code, out, want)
	}
}
