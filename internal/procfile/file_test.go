package procfile

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestParseFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "Procfile")
	if err := os.WriteFile(path, []byte("web: a $HOME\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, link} {
		got, err := ParseFile(p, testConfig)
		if err != nil {
			t.Fatal(err)
		}
		if want := []brief{{"web", 1, []string{"a", "/home/u"}}}; !reflect.DeepEqual(briefs(got), want) {
			t.Errorf("%s: got %+v, want %+v", p, briefs(got), want)
		}
	}
}

func TestParseFileErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(bad, []byte("web: a\nweb: b\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	unreadable := filepath.Join(dir, "unreadable")
	if err := os.WriteFile(unreadable, []byte("web: a\n"), 0); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ path, want string }{
		{missing, "procfile " + missing + ": cannot open: no such file or directory"},
		{empty, "procfile " + empty + ": no process declared"},
		{dir, "procfile " + dir + ": a directory, not a regular file"},
		{fifo, "procfile " + fifo + ": a named pipe, not a regular file"},
		{sock, "procfile " + sock + ": a socket, not a regular file"},
		{"/dev/null", "procfile /dev/null: a character device, not a regular file"},
		{bad, "procfile " + bad + `:2: duplicate name "web", first declared on line 1`},
	}
	if os.Geteuid() != 0 { // root reads it anyway
		tests = append(tests, struct{ path, want string }{unreadable, "procfile " + unreadable + ": cannot open: permission denied"})
	}
	for _, tt := range tests {
		done := make(chan error, 1)
		go func() {
			_, err := ParseFile(tt.path, testConfig)
			done <- err
		}()
		select {
		case err := <-done:
			var pe *Error
			if !errors.As(err, &pe) {
				t.Errorf("ParseFile(%q): %v (%T), want *Error", tt.path, err, err)
				continue
			}
			if err.Error() != tt.want {
				t.Errorf("ParseFile(%q):\n got %s\nwant %s", tt.path, err, tt.want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("ParseFile(%q) still blocks after 5s", tt.path)
		}
	}
}

func TestOpenRegularChecksTheOpenFile(t *testing.T) {
	// The look before opening can be outrun; the one on the open file
	// cannot. Opening a FIFO directly shows that it neither blocks nor
	// passes.
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(fifo, os.O_RDONLY|unix.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if got := notRegular(fifo, fi.Mode()).Msg; got != "a named pipe, not a regular file" {
		t.Errorf("got %q", got)
	}
}
