package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startRecorder runs pidone with args followed by a recorder of the given
// options, waits until the recorder listens, and returns both.
func startRecorder(t *testing.T, m mode, args []string, recArgs ...string) (*pidoneRun, string) {
	t.Helper()
	rec := filepath.Join(t.TempDir(), "rec")
	r := start(t, m, append(append([]string{}, args...), helper("record", append([]string{rec}, recArgs...)...)...))
	waitReady(t, rec)
	return r, rec
}

func TestDrainHoldsTermButNotOtherSignals(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		r, rec := startRecorder(t, m, []string{"--drain-delay", "1s"})
		sent := time.Now()
		r.signal(syscall.SIGTERM)
		r.signal(syscall.SIGUSR1)
		usr1 := waitSignal(t, rec, syscall.SIGUSR1, 5*time.Second)
		if d := usr1.Sub(sent); d > 500*time.Millisecond {
			t.Errorf("USR1 during the drain took %v to arrive, want at once", d)
		}
		if _, ok := readRecord(rec).first(syscall.SIGTERM); ok {
			t.Error("TERM reached the process during the drain")
		}
		term := waitSignal(t, rec, syscall.SIGTERM, 10*time.Second)
		if d := term.Sub(sent); d < 900*time.Millisecond {
			t.Errorf("TERM arrived %v after it was sent, before the 1s drain ended", d)
		}
		if got := r.wait(10 * time.Second); got != 143 {
			t.Errorf("status %d, want 143", got)
		}
	})
}

func TestDrainEndedEarly(t *testing.T) {
	cases := []struct {
		name string
		cut  syscall.Signal
		want []syscall.Signal
	}{
		{"second TERM", syscall.SIGTERM, []syscall.Signal{syscall.SIGTERM}},
		// Both are pending at once and the kernel delivers the lower
		// number first, so the order they are handled in is not theirs.
		{"INT", syscall.SIGINT, []syscall.Signal{syscall.SIGINT, syscall.SIGTERM}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			eachMode(t, func(t *testing.T, m mode) {
				r, rec := startRecorder(t, m, []string{"-v", "--drain-delay", "30s", "--grace-period", "60s"}, "-die-on", "")
				sent := time.Now()
				r.signal(syscall.SIGTERM)
				// Two SIGTERMs sent at once would merge into one in the
				// kernel: the second goes once the drain has begun.
				waitFor(t, 5*time.Second, "the drain to start", func() bool {
					return strings.Contains(r.stderr.String(), "drain started")
				})
				r.signal(c.cut)
				for _, sig := range c.want {
					waitSignal(t, rec, sig, 5*time.Second)
				}
				if d := time.Since(sent); d > 5*time.Second {
					t.Errorf("the drain was not cut short: %v", d)
				}
				got := readRecord(rec).got()
				sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
				if !equalSignals(got, c.want) {
					t.Errorf("recorder got %v, want %v", got, c.want)
				}
			})
		})
	}
}

func TestDrainEndsWhenEveryProcessExits(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		r, _ := startRecorder(t, m, []string{"--drain-delay", "30s", "--grace-period", "60s"}, "-die-on", "USR1", "-exit", "7")
		r.signal(syscall.SIGTERM)
		r.signal(syscall.SIGUSR1)
		if got := r.wait(5 * time.Second); got != 7 {
			t.Errorf("status %d, want 7", got)
		}
	})
}

func TestDrainAppliesToTermOnly(t *testing.T) {
	for _, c := range []struct {
		sig  syscall.Signal
		want int
	}{{syscall.SIGINT, 130}, {syscall.SIGQUIT, 131}} {
		t.Run(c.sig.String(), func(t *testing.T) {
			eachMode(t, func(t *testing.T, m mode) {
				r, _ := startRecorder(t, m, []string{"--drain-delay", "30s", "--grace-period", "60s"}, "-die-on", "INT,QUIT")
				r.signal(c.sig)
				if got := r.wait(5 * time.Second); got != c.want {
					t.Errorf("status %d, want %d", got, c.want)
				}
			})
		})
	}
}

func TestGracePeriodEndsInSIGKILL(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		r, _ := startRecorder(t, m, []string{"--grace-period", "1s", "-v"}, "-die-on", "")
		sent := time.Now()
		r.signal(syscall.SIGTERM)
		if got := r.wait(10 * time.Second); got != 137 {
			t.Errorf("status %d, want 137", got)
		}
		if d := time.Since(sent); d < 900*time.Millisecond || d > 5*time.Second {
			t.Errorf("stop took %v, want about the 1s grace period", d)
		}
	})
}

// The grace period counts from the start of the stop, drain included:
// with a 1s drain and a 3s grace period SIGKILL comes 3s after the TERM,
// not 4s (as it would if counted from the forwarded TERM).
func TestGracePeriodBoundsWholeStop(t *testing.T) {
	r, rec := startRecorder(t, asSubreaper, []string{"--drain-delay", "1s", "--grace-period", "3s"}, "-die-on", "")
	sent := time.Now()
	r.signal(syscall.SIGTERM)
	if got := r.wait(10 * time.Second); got != 137 {
		t.Errorf("status %d, want 137", got)
	}
	if d := time.Since(sent); d < 2900*time.Millisecond || d > 3800*time.Millisecond {
		t.Errorf("SIGKILL came %v after TERM, want about 3s (not 4s)", d)
	}
	if _, ok := readRecord(rec).first(syscall.SIGTERM); !ok {
		t.Error("the TERM after the drain never arrived")
	}
}

func TestGracePeriodZeroWaitsForever(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		r, rec := startRecorder(t, m, []string{"--grace-period", "0"}, "-die-on", "")
		r.signal(syscall.SIGTERM)
		waitSignal(t, rec, syscall.SIGTERM, 5*time.Second)
		// Asserting that nothing happens needs a period: 2s, more than
		// any default would allow for.
		time.Sleep(2 * time.Second)
		if r.exited() {
			t.Fatalf("pidone exited with --grace-period 0: %s", r.stderr.String())
		}
		// The test kills the process itself, by the pid as pidone sees
		// it from the test's namespace: the recorder is pidone's child.
		for _, pid := range descendantsOf(r.pid()) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		if got := r.wait(10 * time.Second); got != 137 {
			t.Errorf("status %d, want 137", got)
		}
	})
}

// When the main process exits on its own, a background job still gets the
// stop signal and time to flush before pidone exits with the main status.
func TestStopBackgroundJobFlushesAfterMainExits(t *testing.T) {
	cases := []struct {
		name string
		args []string
		trap string
	}{
		{"TERM", nil, "TERM"},
		{"stop-signal USR1", []string{"--stop-signal", "USR1"}, "USR1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			eachMode(t, func(t *testing.T, m mode) {
				dir := t.TempDir()
				flushed, ready := filepath.Join(dir, "flushed"), filepath.Join(dir, "ready")
				bg := `trap 'sleep 0.2; echo done > ` + flushed + `; exit 0' ` + c.trap + `; touch ` + ready + `; while :; do sleep 0.05; done`
				script := `sh -c "$0" & while [ ! -e ` + ready + ` ]; do sleep 0.01; done; exit 5`
				r := start(t, m, append(c.args, "sh", "-c", script, bg))
				if got := r.wait(10 * time.Second); got != 5 {
					t.Errorf("status %d, want 5", got)
				}
				if b, err := os.ReadFile(flushed); err != nil || string(b) != "done\n" {
					t.Errorf("the background job did not flush before pidone exited (%v)", err)
				}
			})
		})
	}
}

// A background process that left the process group with setsid is found
// all the same: stopped, then killed when it ignores the stop.
func TestStopReachesProcessThatCalledSetsid(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		dir := t.TempDir()
		polite, stubborn := filepath.Join(dir, "polite"), filepath.Join(dir, "stubborn")
		script := `"$0" record "$1" -setsid & "$0" record "$2" -setsid -die-on "" & ` +
			`while [ ! -s "$1" ] || [ ! -s "$2" ]; do sleep 0.01; done; exit 4`
		sent := time.Now()
		r := start(t, m, []string{"--grace-period", "1s", "sh", "-c", script, selfBin, polite, stubborn})
		if got := r.wait(10 * time.Second); got != 4 {
			t.Errorf("status %d, want 4", got)
		}
		if d := time.Since(sent); d < 900*time.Millisecond {
			t.Errorf("pidone exited after %v, before the grace period could end", d)
		}
		for _, f := range []string{polite, stubborn} {
			if _, ok := readRecord(f).first(syscall.SIGTERM); !ok {
				t.Errorf("%s never got the stop signal", filepath.Base(f))
			}
		}
		if pid := readRecord(stubborn).pid; m == asSubreaper && pid > 0 {
			if st, ok := readStat(pid); ok && st.State != 'Z' {
				t.Errorf("the stubborn process %d survived pidone", pid)
			}
		}
	})
}

// As a subreaper pidone must never signal outside its own tree, even while
// it SIGKILLs what is left of it.
func TestStopSparesProcessesOutsideTheTree(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(dir, "outside")
	cmd := exec.Command(selfBin, "record", outside, "-die-on", "")
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitReady(t, outside)

	stubborn := filepath.Join(dir, "stubborn")
	script := `"$0" record "$1" -die-on "" & while [ ! -s "$1" ]; do sleep 0.01; done; exit 3`
	r := start(t, asSubreaper, []string{"--grace-period", "500ms", "sh", "-c", script, selfBin, stubborn})
	if got := r.wait(10 * time.Second); got != 3 {
		t.Errorf("status %d, want 3", got)
	}
	if _, ok := readRecord(stubborn).first(syscall.SIGTERM); !ok {
		t.Error("the process inside the tree never got the stop signal")
	}
	if err := cmd.Process.Signal(syscall.Signal(0)); err != nil {
		t.Fatalf("the process outside pidone's tree is gone: %v", err)
	}
	if got := readRecord(outside).got(); len(got) != 0 {
		t.Errorf("the process outside pidone's tree got %v", got)
	}
}

// kubelet's sequence: SIGTERM, then SIGKILL of the container at the end of
// terminationGracePeriodSeconds. The drain and the app's own shutdown must
// both fit before that deadline, and pidone must exit cleanly in time.
func TestStopKubeletSequence(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		// A pod with terminationGracePeriodSeconds: 5, --grace-period
		// set a second short of it, and an app that needs 500ms to shut
		// down: 1s drain + 0.5s fits with room for a loaded CI machine.
		r, rec := startRecorder(t, m, []string{"--drain-delay", "1s", "--grace-period", "4s"},
			"-linger", "500ms", "-exit", "0")
		sent := time.Now()
		r.signal(syscall.SIGTERM)
		deadline := time.AfterFunc(5*time.Second, func() { syscall.Kill(r.pid(), syscall.SIGKILL) })
		defer deadline.Stop()
		select {
		case <-r.done:
		case <-time.After(10 * time.Second):
			t.Fatal("pidone never exited")
		}
		ws := r.cmd.ProcessState.Sys().(syscall.WaitStatus)
		if ws.Signaled() || ws.ExitStatus() != 0 {
			t.Fatalf("pidone did not exit cleanly before kubelet's deadline: %v", ws)
		}
		term, ok := readRecord(rec).first(syscall.SIGTERM)
		if !ok || term.Sub(sent) < 900*time.Millisecond {
			t.Errorf("the app's TERM came %v after kubelet's, want after the 1s drain", term.Sub(sent))
		}
		t.Logf("stop took %v: drain, 500ms of shutdown, exit", time.Since(sent))
	})
}

// pidone exits as soon as nothing is left: a scheduling delay, not a timer.
func TestStopLatency(t *testing.T) {
	var took []time.Duration
	for i := 0; i < 30; i++ {
		begin := time.Now()
		r := start(t, asSubreaper, []string{"true"})
		if got := r.wait(10 * time.Second); got != 0 {
			t.Fatalf("status %d", got)
		}
		took = append(took, time.Since(begin))
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	t.Logf("pidone true: median %v, max %v", took[len(took)/2], took[len(took)-1])
	if took[len(took)/2] > 200*time.Millisecond {
		t.Errorf("median run of `pidone true` took %v: something waits on a timer", took[len(took)/2])
	}
}
