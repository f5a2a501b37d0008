package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// statusField returns a field of the "Name:\tvalue" lines that
// /proc/PID/status prints, out of a copy of that file.
func statusField(status, name string) string {
	for _, line := range strings.Split(status, "\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "(missing)"
}

// The process starts with an empty signal mask and default dispositions
// even when pidone inherited ignored and blocked signals.
func TestChildSignalStateIsClean(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		r := start(t, m, []string{"cat", "/proc/self/status"}, opts{wrap: helper("dirty-exec")})
		if got := r.wait(10 * time.Second); got != 0 {
			t.Fatalf("status %d; stderr %s", got, r.stderr.String())
		}
		out := r.stdout.String()
		for _, f := range []string{"SigBlk", "SigIgn", "SigCgt"} {
			if got := statusField(out, f); got != "0000000000000000" {
				t.Errorf("child %s = %s, want all clear", f, got)
			}
		}
	})
}

// A parent that blocked signals did so for pidone, not for the processes:
// pidone must still receive the blocked SIGHUP and forward it.
func TestBlockedSignalStillForwarded(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		rec := filepath.Join(t.TempDir(), "rec")
		r := start(t, m, helper("record", rec, "-die-on", "HUP"), opts{wrap: helper("dirty-exec")})
		waitReady(t, rec)
		r.signal(syscall.SIGHUP)
		if got := r.wait(10 * time.Second); got != 129 {
			t.Errorf("status %d, want 129; stderr %s", got, r.stderr.String())
		}
	})
}

// The process inherits the descriptors pidone inherited and none of its
// own; it starts in pidone's directory, which pidone itself leaves; its
// environment is pidone's, with nothing added.
func TestDescriptorsDirectoryAndEnvironment(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		dir := t.TempDir()
		extra, err := os.Open("/dev/null")
		if err != nil {
			t.Fatal(err)
		}
		defer extra.Close()
		ready := filepath.Join(t.TempDir(), "ready")
		r := start(t, m, helper("fds", ready), opts{
			dir:        dir,
			extraFiles: []*os.File{extra},
			env:        []string{"PIDONE_TEST_MARK=x y"},
		})
		waitReady(t, ready)
		cwd, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", r.pid()))
		if err != nil || cwd != "/" {
			t.Errorf("pidone's cwd %q (%v), want / (it must keep no directory busy)", cwd, err)
		}
		r.signal(syscall.SIGTERM)
		if got := r.wait(10 * time.Second); got != 0 {
			t.Fatalf("status %d; stderr %s", got, r.stderr.String())
		}
		lines := strings.SplitN(r.stdout.String(), "\n", 3)
		if len(lines) < 3 {
			t.Fatalf("short output %q", r.stdout.String())
		}
		if want := inheritableFds(); lines[0] != want {
			t.Errorf("child fds %q, want the inherited %q only", lines[0], want)
		}
		if real, _ := filepath.EvalSymlinks(dir); lines[1] != real {
			t.Errorf("child cwd %q, want %q", lines[1], real)
		}
		want := append(os.Environ(), helperEnv+"=1", "PIDONE_TEST_MARK=x y")
		got := strings.Split(strings.TrimSuffix(lines[2], "\n"), "\n")
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("environment changed:\ngot  %q\nwant %q", got, want)
		}
	})
}

// inheritableFds lists what a child of this test process inherits when it
// is given one extra file: 0–3, plus whatever the test itself inherited
// without close-on-exec (a CI runner or a shell may leave some open).
func inheritableFds() string {
	fds := []string{"0", "1", "2", "3"}
	for fd := 4; fd < 1024; fd++ {
		flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
		if err == nil && flags&unix.FD_CLOEXEC == 0 {
			fds = append(fds, strconv.Itoa(fd))
		}
	}
	return strings.Join(fds, " ")
}

func TestStdinPassesThrough(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		f, err := os.CreateTemp(t.TempDir(), "in")
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Repeat("line of input\n", 10000)
		f.WriteString(want)
		f.Seek(0, 0)
		defer f.Close()
		r := start(t, m, []string{"cat"}, opts{stdin: f})
		if got := r.wait(10 * time.Second); got != 0 {
			t.Fatalf("status %d", got)
		}
		if r.stdout.String() != want {
			t.Errorf("stdout differs from stdin (%d bytes vs %d)", len(r.stdout.String()), len(want))
		}
	})
}

// Orphans must all be reaped, in both modes, however many at once.
func TestZombieStorm(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		orphanStorm(t, m, 1, 1000)
	})
}

// orphanStorm has makers processes each make n orphans at once, then
// checks that pidone reaps every one while it still runs (the main
// process waits to be told to exit), and stops cleanly afterwards.
func orphanStorm(t *testing.T, m mode, makers, n int) {
	t.Helper()
	rec := filepath.Join(t.TempDir(), "rec")
	script := strings.Repeat(fmt.Sprintf("%s orphans %d & ", selfBin, n), makers) +
		fmt.Sprintf("wait; exec %s record %s -die-on TERM -exit 0", selfBin, rec)
	r := start(t, m, []string{"sh", "-c", script})
	// The makers fork as fast as they can; on a loaded 2-core machine
	// 20,000 forks take a while.
	waitFor(t, 120*time.Second, "the orphan makers to finish", func() bool { return readRecord(rec).ready })
	waitFor(t, 120*time.Second, fmt.Sprintf("%d orphans to be reaped", makers*n), func() bool {
		return zombiesOf(r.pid()) == 0 && len(descendantsOf(r.pid())) == 1
	})
	r.signal(syscall.SIGTERM)
	if got := r.wait(10 * time.Second); got != 0 {
		t.Errorf("status %d", got)
	}
}

// A main process and a background process exiting at the same instant,
// over and over: pidone must exit every time, with the main's status.
func TestSimultaneousExits(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		for i := 0; i < 100; i++ {
			r := start(t, m, []string{"sh", "-c", "exit 4 & exit 3"})
			if got := r.wait(10 * time.Second); got != 3 {
				t.Fatalf("run %d: status %d, want 3", i, got)
			}
		}
	})
}

func TestPause(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			eachMode(t, func(t *testing.T, m mode) {
				r := start(t, m, []string{"-vv", "--pause"})
				waitSupervising(t, r)
				r.signal(syscall.SIGUSR1) // survived, nothing to forward to
				r.signal(sig)
				if got := r.wait(10 * time.Second); got != 0 {
					t.Errorf("status %d, want 0", got)
				}
			})
		})
	}
	r := start(t, asSubreaper, nil, opts{env: []string{"PIDONE_PAUSE=1", "PIDONE_VERBOSE=2"}})
	waitSupervising(t, r)
	r.signal(syscall.SIGTERM)
	if got := r.wait(10 * time.Second); got != 0 {
		t.Errorf("PIDONE_PAUSE=1: status %d, want 0", got)
	}
}

// waitSupervising waits for pidone (run with -vv) to say it has started
// what it had to start, which it does after routing its signals.
func waitSupervising(t *testing.T, r *pidoneRun) {
	t.Helper()
	waitFor(t, 5*time.Second, "pidone to log that it is supervising", func() bool {
		return strings.Contains(r.stderr.String(), "pidone: supervising")
	})
}

// At the default level pidone is invisible; at the highest it writes only
// to stderr, and in json every line is an object with time, level, msg.
func TestLogging(t *testing.T) {
	r := start(t, asSubreaper, []string{"sh", "-c", "echo out; echo err >&2; exit 3"})
	r.wait(10 * time.Second)
	if r.stdout.String() != "out\n" || r.stderr.String() != "err\n" {
		t.Errorf("default level: stdout %q stderr %q, want the child's alone", r.stdout.String(), r.stderr.String())
	}
	eachMode(t, func(t *testing.T, m mode) {
		r := start(t, m, []string{"-vvv", "sh", "-c", "echo out; sleep 100 & exit 3"})
		if got := r.wait(20 * time.Second); got != 3 {
			t.Errorf("status %d", got)
		}
		if r.stdout.String() != "out\n" {
			t.Errorf("stdout %q: pidone's logging must never touch stdout", r.stdout.String())
		}
		for _, line := range strings.Split(strings.TrimSuffix(r.stderr.String(), "\n"), "\n") {
			if !strings.HasPrefix(line, "pidone: ") {
				t.Errorf("log line %q lacks the pidone: prefix", line)
			}
		}
		r = start(t, m, []string{"--log-format", "json", "-vv", "sh", "-c", "sleep 100 & exit 3"})
		r.wait(20 * time.Second)
		lines := strings.Split(strings.TrimSuffix(r.stderr.String(), "\n"), "\n")
		if len(lines) < 3 {
			t.Fatalf("too few log lines: %q", r.stderr.String())
		}
		for _, line := range lines {
			var obj map[string]any
			if err := json.Unmarshal([]byte(line), &obj); err != nil {
				t.Errorf("not JSON: %q: %v", line, err)
				continue
			}
			for _, k := range []string{"time", "level", "msg"} {
				if _, ok := obj[k]; !ok {
					t.Errorf("line %q lacks %q", line, k)
				}
			}
		}
	})
}

// pidone survives every signal but SIGKILL and SIGSTOP, including those
// it does not forward, and SIGSEGV and friends sent with kill.
func TestSurvivesEverySignal(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		rec := filepath.Join(t.TempDir(), "rec")
		r := start(t, m, helper("record", rec, "-die-on", "TERM", "-exit", "0"))
		waitReady(t, rec)
		for n := syscall.Signal(1); n <= 64; n++ {
			switch n {
			case syscall.SIGKILL, syscall.SIGSTOP, syscall.SIGTERM, syscall.SIGINT, syscall.SIGQUIT:
				continue
			}
			if !m.pid1 && (runtimeDefault(n) || jobControl(n)) {
				continue // may end pidone; stops it (TestJobControl)
			}
			r.signal(n)
		}
		// Every one of them reached pidone and pidone is still here: a
		// SIGTERM still stops it normally.
		waitSignal(t, rec, syscall.SIGSEGV, 5*time.Second)
		r.signal(syscall.SIGTERM)
		if got := r.wait(10 * time.Second); got != 0 {
			t.Errorf("status %d, want 0", got)
		}
	})
}
