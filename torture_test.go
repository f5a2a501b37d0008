package main

// Torture tests: pidone under abuse, bounded in time so CI stays well
// within its limit.

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestTortureTwentyThousandOrphans(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		// Two makers at once, so that exits overlap.
		orphanStorm(t, m, 2, 10000)
	})
}

func TestTortureHundredThousandSignals(t *testing.T) {
	needRoot(t)
	rec := filepath.Join(t.TempDir(), "rec")
	r := start(t, asPID1, helper("record", rec, "-die-on", "TERM"))
	waitReady(t, rec)
	kinds := []syscall.Signal{syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGHUP, syscall.SIGWINCH,
		syscall.SIGALRM, syscall.SIGCONT, syscall.SIGPIPE, syscall.SIGSEGV, 35, 50, 64}
	for i := 0; i < 100000; i++ {
		if r.exited() {
			t.Fatalf("pidone exited after %d signals: %s", i, r.stderr.String())
		}
		r.signal(kinds[i%len(kinds)])
	}
	r.signal(syscall.SIGTERM)
	if got := r.wait(60 * time.Second); got != 143 {
		t.Errorf("status %d, want 143 (the stop after the storm was lost?)", got)
	}
}

// A process that forks as fast as it can, with every child ignoring
// SIGTERM, while pidone stops: the grace period ends in SIGKILL, and
// nothing of the tree may survive pidone.
func TestTortureForkingDuringStop(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		token := fmt.Sprintf("PIDONE_TORTURE_TOKEN=%d-%s", time.Now().UnixNano(), m.name)
		script := `trap "" TERM; while :; do sleep 1000 & done`
		r := start(t, m, []string{"--grace-period", "1s", "sh", "-c", script}, opts{env: []string{token}})
		waitFor(t, 10*time.Second, "the forker to get going", func() bool { return len(descendantsOf(r.pid())) > 50 })
		r.signal(syscall.SIGTERM)
		if got := r.wait(30 * time.Second); got != 137 {
			t.Errorf("status %d, want 137", got)
		}
		waitFor(t, 10*time.Second, "every process of the tree to be gone", func() bool {
			return len(processesWith(token)) == 0
		})
	})
}

// processesWith lists live processes whose environment holds marker.
func processesWith(marker string) []int {
	var out []int
	for _, st := range allStats() {
		if st.State == 'Z' {
			continue
		}
		env, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", st.Pid))
		if err == nil && bytes.Contains(env, []byte(marker)) {
			out = append(out, st.Pid)
		}
	}
	return out
}

func TestTortureAllDescriptorsOpen(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		ready := filepath.Join(t.TempDir(), "ready")
		r := start(t, m, helper("fds", ready), opts{wrap: helper("fill-fds")})
		waitReady(t, ready)
		r.signal(syscall.SIGTERM)
		if got := r.wait(10 * time.Second); got != 0 {
			t.Fatalf("status %d; stderr %s", got, r.stderr.String())
		}
		fds := strings.Fields(strings.SplitN(r.stdout.String(), "\n", 2)[0])
		if len(fds) < 1024 {
			t.Errorf("child has %d descriptors, want the 1024 pidone inherited", len(fds))
		}
		for _, fd := range fds {
			if n, _ := strconv.Atoi(fd); n >= 1024 {
				t.Errorf("child inherited descriptor %d that pidone opened", n)
			}
		}
	})
}
