package account

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzLookup feeds arbitrary specs and account files to Lookup. missing
// removes files: bit 0 the passwd file, bit 1 the group file.
func FuzzLookup(f *testing.F) {
	passwd, err := os.ReadFile("testdata/passwd")
	if err != nil {
		f.Fatal(err)
	}
	group, err := os.ReadFile("testdata/group")
	if err != nil {
		f.Fatal(err)
	}
	for _, spec := range []string{
		"alice", "alice:staff", "alice:50", "0", "4242", "4242:video", "1234",
		"dave", "broken", "1004", "nobody2", "a:b:c", ":g", "u:", "-1",
		"4294967294", "4294967295", "", "al ice", "alice:\n",
	} {
		for missing := range uint8(4) {
			f.Add(spec, passwd, group, missing)
		}
	}
	f.Add("x", []byte("x:x:1:1::/:/bin/sh"), []byte("g:x:2:x\r\n"), uint8(0))
	f.Add("1", []byte(":::::::\n\n#\n+\n-\n"), []byte(":::\n"), uint8(0))

	// One directory per fuzzing process, rewritten for every input: a
	// fresh t.TempDir each time made the file system the bottleneck. The
	// inputs of one process run one after the other.
	dir := f.TempDir()
	files := Files{Passwd: filepath.Join(dir, "passwd"), Group: filepath.Join(dir, "group")}

	f.Fuzz(func(t *testing.T, spec string, passwd, group []byte, missing uint8) {
		setFile(t, files.Passwd, passwd, missing&1 == 0)
		setFile(t, files.Group, group, missing&2 == 0)

		c, err := files.Lookup(spec)
		if err != nil {
			checkError(t, spec, err)
			return
		}
		user, grp, hasGroup := strings.Cut(spec, ":")
		if id, ok := parseID(user); ok && c.Uid != id {
			t.Errorf("Lookup(%q).Uid = %d, want the numeric uid", spec, c.Uid)
		}
		if id, ok := parseID(grp); hasGroup && ok && c.Gid != id {
			t.Errorf("Lookup(%q).Gid = %d, want the numeric gid", spec, c.Gid)
		}
		if _, ok := parseID(user); !ok && c.Name != user {
			t.Errorf("Lookup(%q).Name = %q, want the user name", spec, c.Name)
		}
		if c.Uid > maxID || c.Gid > maxID {
			t.Errorf("Lookup(%q) = %+v: id out of range", spec, *c)
		}
		if c.Groups == nil || !slices.IsSorted(c.Groups) || len(slices.Compact(slices.Clone(c.Groups))) != len(c.Groups) {
			t.Errorf("Lookup(%q).Groups = %v, want sorted, unique, non-nil", spec, c.Groups)
		}
		if c.Name == "" && len(c.Groups) > 0 {
			t.Errorf("Lookup(%q) = %+v: groups without a user name", spec, *c)
		}
		if c.Home == "" {
			t.Errorf("Lookup(%q): empty home", spec)
		}
	})
}

// setFile makes name hold b, or not exist.
func setFile(t *testing.T, name string, b []byte, exists bool) {
	t.Helper()
	err := os.Remove(name)
	if exists {
		err = os.WriteFile(name, b, 0o644)
	} else if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	if err != nil {
		t.Fatal(err)
	}
}
