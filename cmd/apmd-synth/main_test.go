package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apmd-data/apmd/internal/synth"
)

func TestRun(t *testing.T) {
	empty := t.TempDir()
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "keep.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(t.TempDir(), "new", "dir")
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"--incidents", "50", "--out", empty}, exitOK, "wrote 50 incidents"},
		{[]string{"--incidents", "50", "--out", fresh, "--break", "0.5"}, exitOK, "wrote 50 incidents"},
		{[]string{"--incidents", "50", "--out", full}, exitUsage, "is not empty"},
		{[]string{"--incidents", "50", "--out", full, "--force"}, exitOK, "wrote 50 incidents"},
		{[]string{"--incidents", "50"}, exitUsage, "--out DIR is required"},
		{[]string{"--incidents", "0", "--out", t.TempDir()}, exitUsage, "want at least 1"},
		{[]string{"--break", "2", "--out", t.TempDir()}, exitUsage, "from 0 to 1"},
		{[]string{"--break", "0.1", "--break-kinds", "bom,typo", "--out", t.TempDir()}, exitUsage, `unknown break kind "typo"`},
		{[]string{"--out", t.TempDir(), "extra"}, exitUsage, "unexpected argument"},
		{[]string{"--no-such-flag"}, exitUsage, "unknown flag"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tc.args, &stdout, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.stderr) {
			t.Errorf("apmd-synth %s: exit %d, stderr %q; want exit %d and %q", strings.Join(tc.args, " "), code, stderr.String(), tc.code, tc.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(fresh, synth.BreaksFile)); err != nil {
		t.Errorf("--break wrote no %s: %v", synth.BreaksFile, err)
	}
	if _, err := os.Stat(filepath.Join(full, "keep.txt")); err != nil {
		t.Errorf("--force removed a file: %v", err)
	}
}

func TestListBreaks(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--list-breaks"}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, k := range synth.BreakKinds() {
		if !strings.Contains(stdout.String(), k.Name) || !strings.Contains(stdout.String(), k.Rule) {
			t.Errorf("--list-breaks does not show %s (%s)", k.Name, k.Rule)
		}
	}
}

func TestNoHalfWrittenOutput(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "data")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--incidents", "0", "--out", out}, &stdout, &stderr); code != exitUsage {
		t.Fatalf("exit %d, want %d", code, exitUsage)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("a failed run left %v behind", entries)
	}
}
