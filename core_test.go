package main

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestExitStatusPassesThrough(t *testing.T) {
	cases := []struct {
		name string
		cmd  []string
		want int
	}{
		{"zero", []string{"true"}, 0},
		{"three", []string{"sh", "-c", "exit 3"}, 3},
		{"255", []string{"sh", "-c", "exit 255"}, 255},
		{"TERM", []string{"sh", "-c", "kill -TERM $$"}, 143},
		{"KILL", []string{"sh", "-c", "kill -KILL $$"}, 137},
		{"SEGV", []string{"sh", "-c", "kill -SEGV $$"}, 139},
		{"USR1", []string{"sh", "-c", "kill -USR1 $$"}, 138},
		{"HUP", []string{"sh", "-c", "kill -HUP $$"}, 129},
	}
	eachMode(t, func(t *testing.T, m mode) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := start(t, m, c.cmd)
				if got := r.wait(10 * time.Second); got != c.want {
					t.Errorf("status %d, want %d; stderr: %s", got, c.want, r.stderr.String())
				}
			})
		}
	})
}

func TestSuccessCode(t *testing.T) {
	cases := []struct {
		args []string
		want int
	}{
		{[]string{"-e", "143", "sh", "-c", "kill $$"}, 0},
		{[]string{"-e", "3", "-e", "4", "sh", "-c", "exit 4"}, 0},
		{[]string{"--success-code", "3,4", "sh", "-c", "exit 3"}, 0},
		{[]string{"-e", "3", "sh", "-c", "exit 5"}, 5},
	}
	for _, c := range cases {
		r := start(t, asSubreaper, c.args)
		if got := r.wait(10 * time.Second); got != c.want {
			t.Errorf("%v: status %d, want %d", c.args, got, c.want)
		}
	}
	r := start(t, asSubreaper, []string{"sh", "-c", "exit 143"}, opts{env: []string{"PIDONE_SUCCESS_CODE=143,130"}})
	if got := r.wait(10 * time.Second); got != 0 {
		t.Errorf("PIDONE_SUCCESS_CODE=143,130 and exit 143: status %d, want 0", got)
	}
}

func TestCommandNotRunnable(t *testing.T) {
	dir := t.TempDir()
	noexec := filepath.Join(dir, "noexec")
	os.WriteFile(noexec, []byte("#!/bin/sh\nexit 0\n"), 0o644)
	badfmt := filepath.Join(dir, "badfmt")
	os.WriteFile(badfmt, []byte("\x7fELF garbage"), 0o755)
	noshebang := filepath.Join(dir, "noshebang")
	os.WriteFile(noshebang, []byte("echo hi\n"), 0o755)
	badinterp := filepath.Join(dir, "badinterp")
	os.WriteFile(badinterp, []byte("#!/nonexistent/interpreter\n"), 0o755)
	type notRunnable struct {
		name string
		cmd  string
		env  []string
		want int
		also string // the message names this too
	}
	cases := []notRunnable{
		{"not in PATH", "no-such-command-pidone", nil, 127, ""},
		{"missing path", "/no/such/file", nil, 127, ""},
		{"directory", dir, nil, 126, ""},
		{"not executable", noexec, nil, 126, ""},
		{"not executable in PATH", "noexec", []string{"PATH=" + dir}, 126, ""},
		{"bad format", badfmt, nil, 126, ""},
		// "exec format error" alone did not say what to do.
		{"script without #!", noshebang, nil, 126, "#!"},
		// The message said "no such file or directory" of the script,
		// which was there.
		{"missing interpreter", badinterp, nil, 127, "/nonexistent/interpreter"},
	}
	if prog, loader := withoutItsLoader(t, dir); prog != "" {
		cases = append(cases, notRunnable{"missing dynamic loader", prog, nil, 127, loader})
	}
	eachMode(t, func(t *testing.T, m mode) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := start(t, m, []string{c.cmd}, opts{env: c.env})
				if got := r.wait(10 * time.Second); got != c.want {
					t.Errorf("status %d, want %d", got, c.want)
				}
				msg := r.stderr.String()
				if strings.Count(msg, "\n") != 1 || !strings.Contains(msg, filepath.Base(c.cmd)) || !strings.Contains(msg, c.also) {
					t.Errorf("want one line naming %q and %q, got %q", c.cmd, c.also, msg)
				}
				// Errors found at the exec said "main: " before the
				// command, those found by the lookup did not.
				if strings.Contains(msg, "main:") {
					t.Errorf("the one process is named: %q", msg)
				}
			})
		}
	})
}

// withoutItsLoader copies a dynamically linked program of this machine
// into dir with its loader's path changed to one that does not exist, as
// a glibc program copied into a scratch image is. It returns "" when the
// machine has none.
func withoutItsLoader(t *testing.T, dir string) (prog, loader string) {
	path, err := exec.LookPath("true")
	if err != nil {
		return "", ""
	}
	f, err := elf.Open(path)
	if err != nil {
		return "", ""
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type != elf.PT_INTERP || p.Filesz < 8 {
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// Same length, so that nothing else in the file moves.
		missing := []byte("/nonexistent/" + strings.Repeat("x", int(p.Filesz)))[:p.Filesz-1]
		copy(b[p.Off:], missing)
		prog = filepath.Join(dir, "noloader")
		if err := os.WriteFile(prog, b, 0o755); err != nil {
			t.Fatal(err)
		}
		return prog, string(missing)
	}
	return "", ""
}

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		env   []string
		names string // the message must contain this
	}{
		{"unknown flag", []string{"--bogus", "true"}, nil, "--bogus"},
		{"unknown shorthand", []string{"-Z", "true"}, nil, "-Z"},
		{"no command", nil, nil, "command"},
		{"only --", []string{"--"}, nil, "command"},
		{"forward-to", []string{"--forward-to", "everyone", "true"}, nil, "forward-to"},
		{"rewrite syntax", []string{"-r", "TERM", "true"}, nil, "TERM"},
		{"rewrite from", []string{"-r", "BOGUS:TERM", "true"}, nil, "BOGUS"},
		{"rewrite to", []string{"-r", "TERM:99", "true"}, nil, "99"},
		{"rewrite KILL", []string{"-r", "KILL:TERM", "true"}, nil, "KILL"},
		{"success code range", []string{"-e", "256", "true"}, nil, "256"},
		{"success code word", []string{"-e", "ten", "true"}, nil, "ten"},
		{"pdeathsig", []string{"-p", "NOPE", "true"}, nil, "NOPE"},
		{"pdeathsig KILL", []string{"-p", "KILL", "true"}, nil, "KILL"},
		{"pdeathsig URG", []string{"-p", "URG", "true"}, nil, "URG"},
		{"pdeathsig CHLD", []string{"-p", "CHLD", "true"}, nil, "CHLD"},
		{"pdeathsig 32", []string{"-p", "32", "true"}, nil, "32"},
		{"log-format", []string{"--log-format", "xml", "true"}, nil, "log-format"},
		{"drain-delay", []string{"--drain-delay", "5", "true"}, nil, "drain-delay"},
		{"grace-period", []string{"--grace-period", "-1s", "true"}, nil, "grace-period"},
		{"stop-signal", []string{"--stop-signal", "FOO", "true"}, nil, "FOO"},
		{"stop-signal CHLD", []string{"--stop-signal", "CHLD", "true"}, nil, "CHLD"},
		{"stop-signal STOP", []string{"--stop-signal", "STOP", "true"}, nil, "STOP"},
		{"stop-signal KILL", []string{"--stop-signal", "KILL", "true"}, nil, "KILL"},
		{"stop-signal 33", []string{"--stop-signal", "33", "true"}, nil, "33"},
		{"restart", []string{"--restart", "sometimes", "true"}, nil, "restart"},
		{"pause with command", []string{"--pause", "true"}, nil, "--pause"},
		{"missing value", []string{"true", "--forward-to"}, nil, ""},
		{"flag needs value", []string{"--forward-to"}, nil, "forward-to"},
		{"env bool", []string{"true"}, []string{"PIDONE_PAUSE=yes"}, "PIDONE_PAUSE"},
		{"env duration", []string{"true"}, []string{"PIDONE_DRAIN_DELAY=soon"}, "PIDONE_DRAIN_DELAY"},
		{"env verbose", []string{"true"}, []string{"PIDONE_VERBOSE=lots"}, "PIDONE_VERBOSE"},
		{"env forward", []string{"true"}, []string{"PIDONE_FORWARD_TO=x"}, "PIDONE_FORWARD_TO"},
		{"env rewrite", []string{"true"}, []string{"PIDONE_REWRITE=TERM:QUIT,USR1"}, "PIDONE_REWRITE"},
		{"env success", []string{"true"}, []string{"PIDONE_SUCCESS_CODE=143,x"}, "PIDONE_SUCCESS_CODE"},
		{"env subreaper", []string{"true"}, []string{"PIDONE_SUBREAPER=2"}, "PIDONE_SUBREAPER"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.name == "missing value" {
				// "true" is the command; "--forward-to" is its argument.
				r := start(t, asSubreaper, c.args, opts{env: c.env})
				if got := r.wait(10 * time.Second); got != 0 {
					t.Errorf("options must stop at the command: status %d", got)
				}
				return
			}
			r := start(t, asSubreaper, c.args, opts{env: c.env})
			if got := r.wait(10 * time.Second); got != 2 {
				t.Fatalf("status %d, want 2; stderr %q", got, r.stderr.String())
			}
			msg := r.stderr.String()
			if strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "pidone: ") || !strings.Contains(msg, c.names) {
				t.Errorf("want one line naming %q, got %q", c.names, msg)
			}
			if r.stdout.String() != "" {
				t.Errorf("stdout %q, want nothing", r.stdout.String())
			}
		})
	}
}

func TestOptionsStopAtCommand(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"sh", "-c", "echo $0 $1", "-v", "--pause"}, "-v --pause\n"},
		{[]string{"--", "sh", "-c", "echo $0", "-x"}, "-x\n"},
		{[]string{"-v", "--", "echo", "--", "-e"}, "-- -e\n"},
		{[]string{"sh", "-c", `printf "%s," "$@"`, "sh", "-e", "143"}, "-e,143,"},
	}
	for _, c := range cases {
		r := start(t, asSubreaper, c.args)
		if got := r.wait(10 * time.Second); got != 0 {
			t.Errorf("%v: status %d", c.args, got)
		}
		if got := r.stdout.String(); got != c.want {
			t.Errorf("%v: stdout %q, want %q", c.args, got, c.want)
		}
	}
	r := start(t, asSubreaper, []string{"sh", "-c", "exit 3"})
	if got := r.wait(10 * time.Second); got != 3 {
		t.Errorf("pidone sh -c 'exit 3': status %d, want 3", got)
	}
}

func TestHelpAndVersion(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"--version"}} {
		r := start(t, asSubreaper, args)
		if got := r.wait(10 * time.Second); got != 0 {
			t.Errorf("%v: status %d", args, got)
		}
		if r.stdout.String() == "" || r.stderr.String() != "" {
			t.Errorf("%v: want output on stdout only, got stdout %q stderr %q", args, r.stdout.String(), r.stderr.String())
		}
	}
}

// forwardedSignals are all the signals pidone must forward: 1–31 but the
// uncatchable and the runtime's, and the real-time range 35–64.
func forwardedSignals() []syscall.Signal {
	var out []syscall.Signal
	for n := syscall.Signal(1); n <= 64; n++ {
		switch {
		case n == syscall.SIGKILL, n == syscall.SIGSTOP, n == syscall.SIGCHLD,
			n == syscall.SIGURG, n == syscall.SIGPROF, n >= 32 && n <= 34:
			continue
		}
		out = append(out, n)
	}
	return out
}

func TestForwardsEverySignal(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		rec := filepath.Join(t.TempDir(), "rec")
		r := start(t, m, helper("record", rec, "-die-on", "TERM"))
		waitReady(t, rec)
		var want []syscall.Signal
		for _, sig := range forwardedSignals() {
			if sig != syscall.SIGTERM {
				want = append(want, sig)
			}
		}
		var sent []syscall.Signal
		for _, sig := range want {
			r.signal(sig)
			// One at a time: standard signals coalesce, and the point is
			// that each one arrives, not how many.
			waitSignal(t, rec, sig, 5*time.Second)
			sent = append(sent, sig)
			if !m.pid1 && jobControl(sig) {
				// Forwarded, then pidone stops itself; SIGCONT goes on,
				// and is forwarded too.
				continueStopped(t, r, rec)
				sent = append(sent, syscall.SIGCONT)
			}
		}
		want = sent
		// Reserved and runtime signals are survived, not forwarded.
		for _, sig := range []syscall.Signal{32, 33, 34, syscall.SIGURG, syscall.SIGPROF} {
			if !m.pid1 && runtimeDefault(sig) {
				continue // may end pidone: see runtimeDefault
			}
			r.signal(sig)
		}
		r.signal(syscall.SIGTERM)
		if got := r.wait(10 * time.Second); got != 143 {
			t.Errorf("status %d, want 143", got)
		}
		got := readRecord(rec).got()
		want = append(want, syscall.SIGTERM)
		if !equalSignals(got, want) {
			t.Errorf("recorder got %v\nwant %v", got, want)
		}
	})
}

// jobControl reports whether sig stops pidone when it is not PID 1.
func jobControl(sig syscall.Signal) bool {
	return sig == syscall.SIGTSTP || sig == syscall.SIGTTIN || sig == syscall.SIGTTOU
}

// continueStopped waits for pidone to stop itself, continues it, and
// waits for the recorder at rec to get the SIGCONT it forwards.
func continueStopped(t *testing.T, r *pidoneRun, rec string) {
	t.Helper()
	waitFor(t, 5*time.Second, "pidone to stop itself", func() bool {
		st, ok := readStat(r.pid())
		return ok && st.State == 'T'
	})
	conts := countSignal(readRecord(rec), syscall.SIGCONT)
	r.signal(syscall.SIGCONT)
	waitFor(t, 5*time.Second, "the forwarded SIGCONT", func() bool {
		return countSignal(readRecord(rec), syscall.SIGCONT) > conts
	})
}

func countSignal(r record, sig syscall.Signal) int {
	n := 0
	for _, s := range r.got() {
		if s == sig {
			n++
		}
	}
	return n
}

// runtimeDefault reports whether the Go runtime leaves sig at the
// disposition pidone inherited (the default: end the process) and refuses
// it to os/signal. As PID 1 the kernel does not deliver such a signal;
// otherwise it ends pidone, as the README says.
func runtimeDefault(sig syscall.Signal) bool {
	return sig == 32 || sig == 34
}

func equalSignals(a, b []syscall.Signal) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
