package catch

import (
	"fmt"
	"os"
	"runtime"
	"syscall"
	"unsafe"

	"github.com/pidone/pidone/internal/signals"
	"golang.org/x/sys/unix"
)

// Queued is the set of signals Prepare blocks on every thread: the
// real-time signals pidone forwards.
var Queued = queuedSet()

func queuedSet() unix.Sigset_t {
	var set unix.Sigset_t
	for sig := unix.Signal(1); sig <= signals.Max; sig++ {
		if signals.Realtime(sig) && signals.Forwardable(sig) {
			add(&set, sig)
		}
	}
	return set
}

// wordBits is the size in bits of one word of a signal set.
const wordBits = uint(unsafe.Sizeof(unix.Sigset_t{}.Val[0]) * 8)

func add(set *unix.Sigset_t, sig unix.Signal) {
	bit := uint(sig - 1)
	set.Val[bit/wordBits] |= 1 << (bit % wordBits)
}

// covers reports whether every signal of sub is in set.
func covers(set, sub *unix.Sigset_t) bool {
	for i := range sub.Val {
		if set.Val[i]&sub.Val[i] != sub.Val[i] {
			return false
		}
	}
	return true
}

// Prepare makes sure that every thread of pidone has the real-time signals
// blocked from the moment the Go runtime creates it, except the one thread
// the runtime keeps for os/signal, which unblocks exactly the signals
// Notify asked for.
//
// Real-time signals queue: a flood of them can leave the kernel's limit of
// them (tens of thousands) waiting, and the kernel hands them over one at a
// time, each to a thread returning to user space, more slowly the longer
// the queue. A thread with one of them pending and unblocked runs no code
// of its own until the queue is empty: when every thread of pidone takes
// them, the goroutines that must act on a following SIGTERM do not run for
// tens of seconds. With them blocked everywhere but on the runtime's
// signal thread, that thread drains the queue while the others go on, and
// a SIGTERM, blocked nowhere, is taken at once, ahead of the queue.
//
// The runtime gives every thread it creates the mask the program started
// with, and nothing else can change that; so when the real-time signals
// are not already blocked, Prepare re-executes pidone, from a thread that
// blocks them, with the same arguments and environment, and does not
// return. The signals pidone's parent blocked stay blocked too (those still
// pending then reach the runtime's signal thread once os/signal asks for
// them). The processes pidone starts get an empty mask all the same: they
// are forked from a thread whose mask is empty at the time (package
// threads).
//
// parent is pidone's parent as main first read it; the new image learns
// it from Parent.
//
// It must run first in main. If re-executing fails it returns the error,
// and pidone goes on; only its response to a flood is slower.
func Prepare(parent int) error {
	var cur unix.Sigset_t
	if err := unix.PthreadSigmask(unix.SIG_BLOCK, nil, &cur); err != nil {
		return fmt.Errorf("read the signal mask: %w", err)
	}
	if covers(&cur, &Queued) {
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find pidone's own executable to block the real-time signals: %w", err)
	}
	// execve keeps the mask of the calling thread: block on this one.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := unix.PthreadSigmask(unix.SIG_BLOCK, &Queued, nil); err != nil {
		return fmt.Errorf("block the real-time signals: %w", err)
	}
	err = syscall.Exec(exe, os.Args, withParent(os.Environ(), parent))
	_ = unix.PthreadSigmask(unix.SIG_SETMASK, &cur, nil)
	return fmt.Errorf("re-execute %s with the real-time signals blocked: %w", exe, err)
}
