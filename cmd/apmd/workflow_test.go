package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestWorkflowPinned keeps the CI workflow to the promises of the README and CONTRIBUTING:
// every action pinned to a commit with its version beside it (a moved tag cannot change what
// runs), main validated after every merge, Go taken from go.mod's toolchain line, and the
// cross-check tools the tests use installed rather than silently skipped.
func TestWorkflowPinned(t *testing.T) {
	b, err := os.ReadFile("../../.github/workflows/apmd.yml")
	if err != nil {
		t.Fatal(err)
	}
	wf := string(b)
	uses := regexp.MustCompile(`(?m)^\s*(?:-\s*)?uses:\s*(\S+)(.*)$`)
	pinned := regexp.MustCompile(`^[\w.-]+/[\w.-]+@[0-9a-f]{40}$`)
	version := regexp.MustCompile(`^\s*# v\d+\.\d+\.\d+\s*$`)
	n := 0
	for _, m := range uses.FindAllStringSubmatch(wf, -1) {
		n++
		if !pinned.MatchString(m[1]) || !version.MatchString(m[2]) {
			t.Errorf("action %q%s: pin it to a full commit SHA with its version in a comment (uses: owner/repo@<sha> # vX.Y.Z)", m[1], m[2])
		}
	}
	if n == 0 {
		t.Fatal("no action found in the workflow; is the file or the pattern wrong?")
	}
	for _, want := range []string{"branches: [main]", "go-version-file: go.mod", "python3-jsonschema", "python3-pandas", "go vet ./...", "--format github dataset"} {
		if !strings.Contains(wf, want) {
			t.Errorf("the workflow lost %q", want)
		}
	}
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^toolchain go1\.\d+\.\d+$`).Match(mod) {
		t.Error("go.mod has no toolchain line: setup-go would build with the bare go directive's release (1.x.0)")
	}
}

// TestGitAttributesKeepTexts guards the source texts' bytes against core.autocrlf: their
// SHA-256 is recorded in the source records.
func TestGitAttributesKeepTexts(t *testing.T) {
	b, err := os.ReadFile("../../.gitattributes")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^dataset/sources/\*\.txt\s+-text\s*$`).Match(b) {
		t.Error(".gitattributes does not keep dataset/sources/*.txt byte for byte (-text)")
	}
}

// TestPreCommitHookStaged keeps the pre-commit hook, and CONTRIBUTING's local hook, on what the
// commit will hold (--staged), not on the working tree (the review's D11).
func TestPreCommitHookStaged(t *testing.T) {
	hook, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^\s*args:\s*\[validate, --staged\]\s*$`).Match(hook) {
		t.Error(".pre-commit-hooks.yaml does not run apmd validate --staged")
	}
	guide, err := os.ReadFile("../../CONTRIBUTING.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"- repo: local", "entry: go run ./cmd/apmd validate --staged", "go build -o apmd ./cmd/apmd"} {
		if !strings.Contains(string(guide), want) {
			t.Errorf("CONTRIBUTING.md lost %q", want)
		}
	}
}
