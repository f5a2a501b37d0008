package threads

import (
	"runtime"
	"sync"

	"golang.org/x/sys/unix"
)

// Spare is how many idle threads Setup leaves: enough for the loop in a
// slow fork and one more blocked call at the same time.
const Spare = 3

// Setup limits the program to one processor and makes Spare idle threads.
// Call it before anything could fill the cgroup, and after every
// goroutine that locks its thread for good has done so: such a goroutine
// takes the thread it runs on, which may be a spare.
func Setup() {
	runtime.GOMAXPROCS(1)
	// One more than Spare: the caller's own thread is among those the
	// locked goroutines take while it waits, and it is busy again once
	// Setup returns.
	var locked, release, unlocked sync.WaitGroup
	locked.Add(Spare + 1)
	unlocked.Add(Spare + 1)
	release.Add(1)
	for i := 0; i < Spare+1; i++ {
		go func() {
			runtime.LockOSThread()
			locked.Done()
			// Each waits locked to its thread, so the next one needs a
			// thread of its own.
			release.Wait()
			runtime.UnlockOSThread()
			unlocked.Done()
		}()
	}
	locked.Wait()
	release.Done()
	// Until they have let go, their threads are not idle: a goroutine
	// that needed one now would make another.
	unlocked.Wait()
}

// Fork runs f, which forks, on a thread whose mask is empty for the time
// of the call: a forked process inherits its mask from that thread.
func Fork(f func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var empty, old unix.Sigset_t
	_ = unix.PthreadSigmask(unix.SIG_SETMASK, &empty, &old)
	defer unix.PthreadSigmask(unix.SIG_SETMASK, &old, nil)
	f()
}
