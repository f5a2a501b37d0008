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
		got, err := lookPath(c.name, env, "")
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

func TestStartErrorMessages(t *testing.T) {
	cases := []struct {
		err  *StartError
		want string
	}{
		{&StartError{Cmd: "nope", Err: errNotInPath, Status: 127}, "nope: command not found"},
		{&StartError{Name: "web", Cmd: "/x", Err: syscall.EACCES, Status: 126}, "web: /x: permission denied"},
		{&StartError{Cmd: "/d", Err: syscall.EISDIR, Status: 126}, "/d: is a directory"},
		{&StartError{Cmd: "/b", Err: syscall.ENOEXEC, Status: 126}, "/b: exec format error"},
	}
	for _, c := range cases {
		if got := c.err.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
}
