package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateStaged is the review's D11: the pre-commit hook must judge what the commit will
// hold. A record staged without the source text it names fails (the text is untracked); an
// untracked editor backup beside the records does not; a file changed after it was staged is
// judged as staged. Paths are those of the repository.
func TestValidateStaged(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git on PATH")
	}
	repo := t.TempDir()
	gitIn := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	gitIn("init", "-q")
	if err := os.Rename(writeCase(t, "valid"), filepath.Join(repo, "dataset")); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join("dataset", "sources", "src-quetta.txt")
	gitIn("add", "dataset")
	gitIn("rm", "-q", "--cached", text) // the text stays in the working tree, untracked
	t.Chdir(repo)

	code, out, errOut := runCmd("--staged")
	if code != exitInvalid || !strings.HasPrefix(out, "dataset/sources/src-quetta.json:") || !strings.Contains(out, "source-text-missing") ||
		!strings.Contains(errOut, "apmd validate: dataset as staged: invalid") {
		t.Errorf("a staged record without its staged text: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, _ := runCmd(); code != exitOK {
		t.Errorf("the working tree (with the untracked text) is valid, got exit %d\n%s", code, out)
	}

	gitIn("add", text)
	backup := filepath.Join("dataset", "incidents", "inc-quetta-market.json~")
	if err := os.WriteFile(backup, []byte("{ half an edit"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCmd("--staged"); code != exitOK {
		t.Errorf("an untracked editor backup fails the staged check: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, _ := runCmd(); code != exitInvalid {
		t.Errorf("the working tree with the backup: exit %d, want 1 (file-unexpected)", code)
	}
	os.Remove(backup)

	// Changed after staging: the staged bytes count.
	rec := filepath.Join("dataset", "groups", "grp-front.json")
	b, _ := os.ReadFile(rec)
	if err := os.WriteFile(rec, []byte(strings.Replace(string(b), `"militant_group"`, `"militant group"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runCmd("--staged", "dataset"); code != exitOK {
		t.Errorf("an unstaged change counts: exit %d\n%s", code, out)
	}
	if code, _, _ := runCmd("--staged", "--embedded"); code != exitUsage {
		t.Errorf("--staged --embedded: exit %d, want 2", code)
	}
}
