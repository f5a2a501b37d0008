package supervisor

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"
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
		got, err := lookPath(c.name, env)
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

func TestWithHome(t *testing.T) {
	cases := []struct {
		env  []string
		home string
		want string
	}{
		{[]string{"A=1"}, "/home/app", "A=1 HOME=/home/app"},
		{[]string{"HOME=", "A=1"}, "/home/app", "HOME=/home/app A=1"},
		{[]string{"HOME=/custom"}, "/home/app", "HOME=/custom"},
		{nil, "", "HOME=/"},
	}
	for _, c := range cases {
		if got := strings.Join(withHome(c.env, c.home), " "); got != c.want {
			t.Errorf("withHome(%q, %q) = %q, want %q", c.env, c.home, got, c.want)
		}
	}
}

func TestAppendLinesSplitsLongLines(t *testing.T) {
	line := bytes.Repeat([]byte("x"), 2*maxLine+10)
	out := appendLines(nil, []byte("p | "), line)
	parts := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(parts) != 3 {
		t.Fatalf("%d pieces, want 3", len(parts))
	}
	var joined string
	for _, p := range parts {
		body, ok := strings.CutPrefix(p, "p | ")
		if !ok {
			t.Fatalf("piece without prefix: %.20q", p)
		}
		joined += body
	}
	if joined != string(line) {
		t.Error("pieces do not add up to the line")
	}
}

func TestCopyIsLossless(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	var dst bytes.Buffer
	sink := &outputSink{}
	lw := &lockedWriter{w: &dst}
	sink.wg.Add(1)
	go sink.copy(r, lw, []byte("ab | "))
	in := "one\n\ntwo\r\nthree\x00four\n\xff\xfeinvalid\nlast without newline"
	for i := 0; i < len(in); i += 3 { // in small, odd writes
		w.Write([]byte(in[i:min(i+3, len(in))]))
	}
	w.Close()
	sink.wg.Wait()
	want := "ab | one\nab | \nab | two\r\nab | three\x00four\nab | \xff\xfeinvalid\nab | last without newline\n"
	if got := dst.String(); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestTextLogger(t *testing.T) {
	var b bytes.Buffer
	log := NewLogger(&b, "text", LevelInfo)
	log.Debug("hidden")
	log.Info("started", "name", "web", "pid", 42)
	log.Warn("grace period over", "pids", []int{1, 2})
	log.Info("odd", "v", "a b")
	want := "pidone: started name=web pid=42\npidone: warn: grace period over pids=\"[1 2]\"\npidone: odd v=\"a b\"\n"
	if got := b.String(); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if LevelFor(0) != LevelWarn || LevelFor(1) != LevelInfo || LevelFor(5) != LevelDebug {
		t.Error("LevelFor mapping")
	}
}

func TestParentOf(t *testing.T) {
	ppid, ok := parentOf(os.Getpid())
	if !ok || ppid != os.Getppid() {
		t.Errorf("parentOf(self) = %d, %v; want %d", ppid, ok, os.Getppid())
	}
	if _, ok := parentOf(-5); ok {
		t.Error("parentOf(-5) succeeded")
	}
}

func TestJSONLogger(t *testing.T) {
	var b bytes.Buffer
	log := NewLogger(&b, "json", LevelDebug)
	log.Warn("odd \"text\"\n", "name", "we\x01b\xff", "pid", 42, "pids", []int{1, 2}, "err", os.ErrNotExist)
	line := b.String()
	var obj map[string]any
	if err := json.Unmarshal([]byte(line), &obj); err != nil {
		t.Fatalf("not JSON: %q: %v", line, err)
	}
	want := map[string]any{"level": "WARN", "msg": "odd \"text\"\n", "name": "we\x01b\ufffd",
		"pid": 42.0, "err": "file does not exist"}
	for k, v := range want {
		if obj[k] != v {
			t.Errorf("%s = %#v, want %#v", k, obj[k], v)
		}
	}
	if _, err := time.Parse(time.RFC3339Nano, obj["time"].(string)); err != nil {
		t.Errorf("time: %v", err)
	}
	if !strings.HasSuffix(line, "}\n") || strings.Count(line, "\n") != 1 {
		t.Errorf("not one line: %q", line)
	}
	var nilLog *Logger
	nilLog.Info("discarded") // must not panic
}

func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "q\"b\\", "\x00\x1f\x7f", "\xff\xfe", "é漢"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got string
		if err := json.Unmarshal(appendJSONString(nil, s), &got); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if utf8.ValidString(s) && got != s {
			t.Fatalf("%q came back as %q", s, got)
		}
	})
}
