package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestForwardToGroupOrChild(t *testing.T) {
	cases := []struct {
		forwardTo        string
		grandchildGetsIt bool
	}{
		{"group", true},
		{"child", false},
	}
	for _, c := range cases {
		t.Run(c.forwardTo, func(t *testing.T) {
			eachMode(t, func(t *testing.T, m mode) {
				dir := t.TempDir()
				child, grand := filepath.Join(dir, "child"), filepath.Join(dir, "grandchild")
				r := start(t, m, append([]string{"--forward-to", c.forwardTo},
					helper("record", child, "-child", grand, "-die-on", "")...))
				waitReady(t, child)
				waitReady(t, grand)
				r.signal(syscall.SIGUSR1)
				waitSignal(t, child, syscall.SIGUSR1, 5*time.Second)
				if c.grandchildGetsIt {
					waitSignal(t, grand, syscall.SIGUSR1, 5*time.Second)
				}
				// Both are in the child's group; with "child" only the
				// child may be signalled. A marker signal sent to the
				// child afterwards bounds the wait for a stray one.
				r.signal(syscall.SIGUSR2)
				waitSignal(t, child, syscall.SIGUSR2, 5*time.Second)
				if c.grandchildGetsIt {
					waitSignal(t, grand, syscall.SIGUSR2, 5*time.Second)
				} else if got := readRecord(grand).got(); len(got) != 0 {
					t.Errorf("--forward-to child: grandchild got %v", got)
				}
			})
		})
	}
}

func TestRewriteAndDrop(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		rec := filepath.Join(t.TempDir(), "rec")
		r := start(t, m, append([]string{"-r", "USR1:USR2", "--rewrite", "HUP:0", "-r", "WINCH:none", "-r", "QUIT:TERM"},
			helper("record", rec, "-die-on", "TERM")...))
		waitReady(t, rec)
		r.signal(syscall.SIGHUP)
		r.signal(syscall.SIGWINCH)
		r.signal(syscall.SIGUSR1)
		waitSignal(t, rec, syscall.SIGUSR2, 5*time.Second)
		r.signal(syscall.SIGQUIT) // begins the stop, forwarded as TERM
		if got := r.wait(10 * time.Second); got != 143 {
			t.Errorf("status %d, want 143", got)
		}
		want := []syscall.Signal{syscall.SIGUSR2, syscall.SIGTERM}
		if got := readRecord(rec).got(); !equalSignals(got, want) {
			t.Errorf("recorder got %v, want %v", got, want)
		}
	})
}

func TestRewriteFromEnvironment(t *testing.T) {
	rec := filepath.Join(t.TempDir(), "rec")
	r := start(t, asSubreaper, helper("record", rec, "-die-on", "QUIT"),
		opts{env: []string{"PIDONE_REWRITE=TERM:QUIT,USR1:0"}})
	waitReady(t, rec)
	r.signal(syscall.SIGUSR1)
	r.signal(syscall.SIGTERM)
	if got := r.wait(10 * time.Second); got != 131 {
		t.Errorf("status %d, want 131; stderr %s", got, r.stderr.String())
	}
	if got, want := readRecord(rec).got(), []syscall.Signal{syscall.SIGQUIT}; !equalSignals(got, want) {
		t.Errorf("recorder got %v, want %v", got, want)
	}
}

// A storm of signals must neither hang pidone nor push out the SIGTERM
// that follows it.
func TestSignalStormThenTerm(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		rec := filepath.Join(t.TempDir(), "rec")
		r := start(t, m, helper("record", rec, "-die-on", "TERM"))
		waitReady(t, rec)
		kinds := []syscall.Signal{syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGHUP, syscall.SIGWINCH, syscall.SIGALRM, 40, 50}
		for i := 0; i < 5000; i++ {
			r.signal(kinds[i%len(kinds)])
		}
		r.signal(syscall.SIGTERM)
		if got := r.wait(20 * time.Second); got != 143 {
			t.Errorf("status %d, want 143", got)
		}
		if _, ok := readRecord(rec).first(syscall.SIGTERM); !ok {
			t.Error("the recorder never got SIGTERM")
		}
	})
}

// kill -TERM 1 from inside the container reaches pidone as PID 1 and
// stops it like any SIGTERM.
func TestKillTermOneFromInside(t *testing.T) {
	needRoot(t)
	r := start(t, asPID1, []string{"sh", "-c", "kill -TERM 1; exec sleep 100"})
	if got := r.wait(10 * time.Second); got != 143 {
		t.Errorf("status %d, want 143", got)
	}
}

// A signal that arrives while the process is being started is delivered
// once it exists. pidone is started with SIGHUP ignored (as under nohup),
// so its handler shows in /proc only once it has registered its signals; the test
// sends SIGHUP at that moment, which is before or during the start of the
// process. Whichever it hits, the process must die of it.
func TestSignalDuringStartIsDelivered(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		for i := 0; i < 20; i++ {
			r := start(t, m, []string{"sleep", "100"}, opts{wrap: helper("ignore-hup-exec")})
			waitRegistered(t, r)
			r.signal(syscall.SIGHUP)
			if got := r.wait(10 * time.Second); got != 129 {
				t.Fatalf("run %d: status %d, want 129 (signal lost during start?)", i, got)
			}
		}
	})
}

// waitRegistered waits until pidone, started under the ignore-hup-exec
// wrapper, has registered its signals: the SIGHUP it inherited ignored is
// caught only from then on. (The wrapper catches it too, before it execs
// pidone, hence the check of the executable.)
func waitRegistered(t *testing.T, r *pidoneRun) {
	t.Helper()
	waitFor(t, 5*time.Second, "pidone to register its signals", func() bool {
		exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", r.pid()))
		return exe == pidoneBin && catches(r.pid(), syscall.SIGHUP)
	})
}

// catches reports whether pid has a handler for sig, from /proc.
func catches(pid int, sig syscall.Signal) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "SigCgt:"); ok {
			mask, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
			return err == nil && mask&(1<<(uint(sig)-1)) != 0
		}
	}
	return false
}

// With -p TERM, the death of pidone's parent acts as a SIGTERM: the
// process gets it and pidone stops.
func TestPdeathsig(t *testing.T) {
	dir := t.TempDir()
	rec, pidFile, goFile := filepath.Join(dir, "rec"), filepath.Join(dir, "pid"), filepath.Join(dir, "go")
	parent := start(t, asSubreaper, append([]string{"-p", "TERM"}, helper("record", rec)...),
		opts{wrap: helper("parent-dies", pidFile, goFile)})
	var pid int
	waitFor(t, 5*time.Second, "pidone's pid", func() bool {
		b, _ := os.ReadFile(pidFile)
		pid, _ = strconv.Atoi(string(b))
		return pid > 0
	})
	t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
	waitReady(t, rec)
	os.WriteFile(goFile, nil, 0o644)
	if got := parent.wait(5 * time.Second); got != 0 {
		t.Fatalf("parent status %d", got)
	}
	waitSignal(t, rec, syscall.SIGTERM, 5*time.Second)
	waitFor(t, 5*time.Second, "pidone to exit", func() bool {
		st, ok := readStat(pid)
		return !ok || st.State == 'Z'
	})
}

// Forwarding follows the main process through a restart (new pid, new
// group) and never points at the old one, whose pid the kernel may give
// to another process.
func TestForwardingFollowsRestart(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		rec := filepath.Join(t.TempDir(), "rec")
		r := start(t, m, append([]string{"--restart", "always", "-r", "HUP:USR1"},
			helper("record", rec, "-die-on", "USR2,TERM")...))
		first := waitReady(t, rec)
		r.signal(syscall.SIGHUP)
		waitSignal(t, rec, syscall.SIGUSR1, 5*time.Second)
		r.signal(syscall.SIGUSR2) // deadly: the recorder is restarted
		var second record
		waitFor(t, 10*time.Second, "the restarted recorder", func() bool {
			second = readRecord(rec)
			return second.pid != first.pid
		})
		if second.pgid != second.pid {
			t.Fatalf("restarted recorder %d is in group %d, not its own", second.pid, second.pgid)
		}
		r.signal(syscall.SIGHUP)
		waitFor(t, 5*time.Second, "USR1 at the restarted recorder", func() bool {
			n := 0
			for _, s := range readRecord(rec).got() {
				if s == syscall.SIGUSR1 {
					n++
				}
			}
			return n == 2
		})
		r.signal(syscall.SIGTERM)
		if got := r.wait(10 * time.Second); got != 143 {
			t.Errorf("status %d, want 143", got)
		}
	})
}
