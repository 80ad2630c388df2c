// Package english writes the small pieces of English that apmd's messages share: counts of
// things and lists of quoted values.
package english

import (
	"fmt"
	"strings"
)

// Plural writes a count of things: "1 error", "2 errors".
func Plural(n int, word string) string { return fmt.Sprintf("%d %s", n, Noun(n, word)) }

// Noun writes a word for n things: "error" for 1, "errors" otherwise.
func Noun(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// Quoted writes values as "a", "b", "c". With max > 0, a list longer than max+1 shows its
// first max values and how many more there are.
func Quoted(vals []string, max int) string {
	var b strings.Builder
	for i, v := range vals {
		if i > 0 {
			b.WriteString(", ")
		}
		if max > 0 && i == max && len(vals) > max+1 {
			fmt.Fprintf(&b, "… (%d more)", len(vals)-max)
			break
		}
		fmt.Fprintf(&b, "%q", v)
	}
	return b.String()
}

// List joins words as English does: "a", "a and b", "a, b and c".
func List(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// A writes a word with its indefinite article: "a group", "an incident". It goes by the first
// letter, which is right for the words apmd's messages put it before.
func A(word string) string {
	if word != "" && strings.ContainsRune("aeiouAEIOU", rune(word[0])) {
		return "an " + word
	}
	return "a " + word
}
