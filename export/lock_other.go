//go:build !unix

package export

// lockFolder takes no lock where flock is missing: two exports into one folder at once are
// then not kept apart.
func lockFolder(string) (func(), error) { return func() {}, nil }

// syncDir does nothing where a folder cannot be synced (Windows).
func syncDir(string) error { return nil }
