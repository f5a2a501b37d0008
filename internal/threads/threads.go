// Package threads makes, at start-up, every OS thread pidone will need.
//
// The Go runtime creates a thread whenever it needs one more: to run a
// goroutine while another thread is in a system call, to start a
// goroutine on an idle processor. In a pids cgroup that pidone's processes
// have filled (pids.max counts threads), the kernel refuses, and the
// runtime aborts ("fatal error: newosproc"): the container dies with no
// stop. So pidone makes its threads while it still can, and then needs no
// new one:
//
//   - Setup runs the program on one processor (GOMAXPROCS 1). Then starting
//     a goroutine never asks for a thread (there is no idle processor to
//     run it on), and only a thread that stays in a system call for long
//     makes the runtime hand its processor to another thread. An init's
//     work is system calls and bookkeeping: one processor is enough, and
//     the runtime then also stops adjusting GOMAXPROCS on its own.
//   - Setup parks spare threads: it locks goroutines to threads at once,
//     which makes the runtime create them, then lets them go; the runtime
//     keeps idle threads for good and takes them before creating any.
//
// pidone's blocking system calls are short (fork, kill, wait4 with
// WNOHANG, reads of /proc); its output goes through the poller, which
// holds no thread (package output).
package threads

import (
	"runtime"
	"sync"
)

// Spare is how many idle threads Setup leaves: enough for the loop in a
// slow fork and one more blocked call at the same time.
const Spare = 3

// Setup limits the program to one processor and makes Spare idle threads
// beside those the program already has. Call it first in main, before
// anything could fill the cgroup.
func Setup() {
	runtime.GOMAXPROCS(1)
	var locked, release sync.WaitGroup
	locked.Add(Spare)
	release.Add(1)
	for i := 0; i < Spare; i++ {
		go func() {
			runtime.LockOSThread()
			locked.Done()
			// Each waits locked to its own thread, so the next one needs
			// a thread of its own.
			release.Wait()
			runtime.UnlockOSThread()
		}()
	}
	locked.Wait()
	release.Done()
}
