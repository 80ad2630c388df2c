package apmd_test

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the README sections generated from the data")

// checkReadmeSection compares a generated README section with the README; with -update it
// rewrites the section instead, so that the numbers in the README never go stale silently.
func checkReadmeSection(t *testing.T, name, want string) {
	t.Helper()
	got := readmeSection(t, name)
	if got == want {
		return
	}
	if !*update {
		t.Errorf("README section %s is stale; run: go test . -run TestReadme -update\n--- README\n%s\n--- generated\n%s", name, got, want)
		return
	}
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	start := []byte("<!-- section:" + name + " -->\n")
	i := bytes.Index(b, start) + len(start)
	j := bytes.Index(b, []byte("<!-- /section:"+name+" -->"))
	out := append(append(append([]byte{}, b[:i]...), want...), b[j:]...)
	if err := os.WriteFile("README.md", out, 0o644); err != nil {
		t.Fatal(err)
	}
}
