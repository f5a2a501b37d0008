package launch

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestLookPath(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "exe")
	os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755)
	plain := filepath.Join(dir, "plain")
	os.WriteFile(plain, []byte(""), 0o644)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	env := []string{"PATH=/nonexistent:" + dir}
	cases := []struct {
		name   string
		want   string
		status int // 0: found
	}{
		{"exe", exe, 0},
		{"plain", "", StatusNotExecutable},
		{"sub", "", StatusNotExecutable},
		{"missing", "", StatusNotFound},
		{"", "", StatusNotFound},
		{exe, exe, 0},
		{plain, "", StatusNotExecutable},
		{dir, "", StatusNotExecutable},
		{dir + "/missing", "", StatusNotFound},
	}
	for _, c := range cases {
		got, err := lookPath(c.name, env, "", nil)
		if c.status == 0 {
			if err != nil || got != c.want {
				t.Errorf("lookPath(%q) = %q, %v; want %q", c.name, got, err, c.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("lookPath(%q) = %q, want an error", c.name, got)
		} else if s := statusFor(err); s != c.status {
			t.Errorf("lookPath(%q): status %d, want %d (%v)", c.name, s, c.status, err)
		}
	}
	if got := pathOf(nil); !strings.Contains(got, "/usr/bin") {
		t.Errorf("default PATH %q", got)
	}
}

func TestPermits(t *testing.T) {
	app := &syscall.Credential{Uid: 1000, Gid: 1000, Groups: []uint32{27}}
	root := &syscall.Credential{}
	const dir = syscall.S_IFDIR
	cases := []struct {
		name     string
		mode     uint32
		uid, gid uint32
		cred     *syscall.Credential
		want     bool
	}{
		{"owner, owner bit", 0o700, 1000, 0, app, true},
		{"owner without the owner bit, others may", 0o077, 1000, 0, app, false},
		{"group bit by gid", 0o710, 0, 1000, app, true},
		{"group bit by a supplementary group", 0o710, 0, 27, app, true},
		{"root's file, 0700", 0o700, 0, 0, app, false},
		{"others' bit", 0o701, 0, 0, app, true},
		{"root: one execute bit", 0o100, 5, 5, root, true},
		{"root: no execute bit", 0o644, 5, 5, root, false},
		{"root: any directory", dir, 5, 5, root, true},
		{"directory without search for others", dir | 0o750, 0, 0, app, false},
	}
	for _, c := range cases {
		if got := permits(c.mode, c.uid, c.gid, c.cred); got != c.want {
			t.Errorf("%s: permits(%o, %d, %d) = %v", c.name, c.mode, c.uid, c.gid, got)
		}
	}
}

// The PATH was searched with pidone's permissions: "pidone -u nobody
// tool" ran into a root-only tool early in PATH (126) instead of the one
// nobody may run later in it, as gosu and su-exec find.
func TestLookPathAsUserSkipsWhatTheUserCannotRun(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to own a file the user cannot run")
	}
	base := t.TempDir()
	// TempDir makes its directories for the test's user only.
	os.Chmod(filepath.Dir(base), 0o755)
	os.Chmod(base, 0o755)
	private, public := filepath.Join(base, "private"), filepath.Join(base, "public")
	for _, d := range []string{private, public} {
		os.Mkdir(d, 0o755)
	}
	os.WriteFile(filepath.Join(private, "tool"), []byte("#!/bin/sh\n"), 0o700)
	os.WriteFile(filepath.Join(public, "tool"), []byte("#!/bin/sh\n"), 0o755)
	env := []string{"PATH=" + private + ":" + public}
	nobody := &syscall.Credential{Uid: 65534, Gid: 65534}
	if got, err := lookPath("tool", env, "", nobody); err != nil || got != filepath.Join(public, "tool") {
		t.Errorf("as nobody: %q, %v; want the public tool", got, err)
	}
	if got, err := lookPath("tool", env, "", nil); err != nil || got != filepath.Join(private, "tool") {
		t.Errorf("as pidone: %q, %v; want the first tool", got, err)
	}
	if _, err := lookPath(filepath.Join(private, "tool"), env, "", nobody); statusFor(err) != StatusNotExecutable {
		t.Errorf("a path nobody cannot run: %v, want permission denied", err)
	}
	os.Chmod(private, 0o700)
	os.Chmod(filepath.Join(private, "tool"), 0o755)
	if _, err := lookPath(filepath.Join(private, "tool"), env, "", nobody); statusFor(err) != StatusNotExecutable {
		t.Errorf("in a directory nobody cannot search: %v, want permission denied", err)
	}
	// A link, in a directory nobody cannot search, to a tool nobody may
	// run: the kernel refuses it on the way, so PATH goes on.
	os.Remove(filepath.Join(private, "tool"))
	os.Symlink(filepath.Join(public, "tool"), filepath.Join(private, "tool"))
	if got, err := lookPath("tool", env, "", nobody); err != nil || got != filepath.Join(public, "tool") {
		t.Errorf("through a link in a private directory: %q, %v; want the public tool", got, err)
	}
}

func TestStartErrorMessages(t *testing.T) {
	cases := []struct {
		err  *StartError
		want string
	}{
		{&StartError{Cmd: "nope", Err: errNotInPath, Status: 127}, "nope: command not found"},
		{&StartError{Name: "web", Cmd: "/x", Err: syscall.EACCES, Status: 126}, "web: /x: permission denied"},
		{&StartError{Cmd: "/d", Err: syscall.EISDIR, Status: 126}, "/d: is a directory"},
		// A newline in the command broke the one-line message.
		{&StartError{Cmd: "a\nb", Err: errNotInPath, Status: 127}, `a\nb: command not found`},
		{&StartError{Cmd: "/etc\n", Err: syscall.EISDIR, Status: 126}, `/etc\n: is a directory`},
		{&StartError{Cmd: "/b", Err: syscall.ENOEXEC, Status: 126}, "/b: exec format error"},
		// "no such file or directory" named a file that was there.
		{&StartError{Cmd: "/s", Err: syscall.ENOENT, Status: 127, Interp: "/bin/bash", InterpKind: kindScript},
			"/s: interpreter /bin/bash named by its #! line: no such file or directory"},
		{&StartError{Cmd: "/x", Err: syscall.ENOEXEC, Status: 126, Hint: "a program for arm64, and this pidone is built for amd64"},
			"/x: exec format error (a program for arm64, and this pidone is built for amd64)"},
		{&StartError{Cmd: "/app", Err: syscall.ENOENT, Status: 127, Interp: "/lib64/ld-linux-x86-64.so.2", InterpKind: kindLoader},
			"/app: dynamic loader /lib64/ld-linux-x86-64.so.2: no such file or directory (the program needs a C library the image does not have)"},
	}
	for _, c := range cases {
		if got := c.err.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}
