package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// stagedDataset writes the dataset folder dir as git's index holds it (what the next commit
// will hold) into a temporary folder: an untracked file is not in it, and a file is as it was
// staged, not as it is now. It returns the copy of the folder, the folder's path in the
// repository (slash-separated, for the findings' paths), and the function that removes the
// copy.
func stagedDataset(dir string) (copyDir, repoPath string, cleanup func(), err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", "", nil, err
	}
	top, err := git(abs, nil, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", "", nil, fmt.Errorf("--staged: %s is not in a git repository: %w", dir, err)
	}
	top = strings.TrimSpace(top)
	if top, err = filepath.EvalSymlinks(top); err != nil {
		return "", "", nil, err
	}
	if abs, err = filepath.EvalSymlinks(abs); err != nil {
		return "", "", nil, err
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", "", nil, fmt.Errorf("--staged: %s is outside the repository at %s", dir, top)
	}
	repoPath = filepath.ToSlash(rel)
	files, err := git(top, nil, "ls-files", "-z", "--cached", "--full-name", "--", repoPath)
	if err != nil {
		return "", "", nil, err
	}
	tmp, err := os.MkdirTemp("", "apmd-staged-")
	if err != nil {
		return "", "", nil, err
	}
	cleanup = func() { os.RemoveAll(tmp) }
	// checkout-index writes the index's bytes, through the same attributes a checkout uses
	// (dataset/sources/*.txt -text: byte for byte).
	if _, err := git(top, strings.NewReader(files), "checkout-index", "-z", "--stdin", "--prefix="+tmp+string(filepath.Separator)); err != nil {
		cleanup()
		return "", "", nil, err
	}
	copyDir = filepath.Join(tmp, rel)
	if err := os.MkdirAll(copyDir, 0o755); err != nil { // nothing staged there: an empty folder
		cleanup()
		return "", "", nil, err
	}
	return copyDir, repoPath, cleanup, nil
}

// git runs a git command in a folder and returns its output; its error says what git said.
func git(dir string, stdin *strings.Reader, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	if stdin != nil {
		cmd.Stdin = stdin
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %v: %s", args[0], err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}
