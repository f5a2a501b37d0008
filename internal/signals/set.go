package signals

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// notifyMax is the highest signal os/signal can deliver, on every
// architecture.
const notifyMax = 64

// Forwardable reports whether pidone forwards sig to its processes: every
// signal that can be caught through the Go runtime, except
//   - SIGCHLD, which is about pidone's own children;
//   - SIGURG and SIGPROF, which the Go runtime keeps for itself
//     (goroutine preemption and profiling);
//   - 32–34, which the C libraries reserve and the runtime does not let a
//     program catch;
//   - above 64 (MIPS has 128 signals): os/signal handles 1–64 only.
func Forwardable(sig unix.Signal) bool {
	switch {
	case sig < 1 || sig > Max || sig > notifyMax:
		return false
	case sig >= 32 && sig <= 34:
		return false
	}
	switch sig {
	case unix.SIGKILL, unix.SIGSTOP, unix.SIGCHLD, unix.SIGURG, unix.SIGPROF:
		return false
	}
	return true
}

// Forwarded returns every forwardable signal in ascending order.
func Forwarded() []os.Signal {
	out := make([]os.Signal, 0, Max)
	for n := unix.Signal(1); n <= Max; n++ {
		if Forwardable(n) {
			out = append(out, n)
		}
	}
	return out
}

// Stops reports whether receiving sig begins a stop of all processes.
// SIGQUIT does not: a JVM prints its threads on it, and nginx, which stops
// on it, begins the stop by exiting.
func Stops(sig unix.Signal) bool {
	return sig == unix.SIGTERM || sig == unix.SIGINT
}

// JobControl reports whether sig asks a process to stop (SIGTSTP, SIGTTIN,
// SIGTTOU): when pidone is not PID 1 it forwards the signal and then stops
// itself, so that the shell that started it sees the job stop.
func JobControl(sig unix.Signal) bool {
	return sig == unix.SIGTSTP || sig == unix.SIGTTIN || sig == unix.SIGTTOU
}

// CheckStopSignal says why sig cannot be the signal a stop sends, or nil.
// It must be one a process can handle: not SIGKILL (no stop would be
// graceful), not SIGSTOP (nothing would end), and one pidone could also
// forward (SIGCHLD and the runtime's own signals mean nothing to a
// process being asked to end).
func CheckStopSignal(sig unix.Signal) error {
	switch {
	case sig == unix.SIGKILL:
		return fmt.Errorf("%s cannot be a stop signal: nothing could stop gracefully; the grace period ends in SIGKILL anyway", Name(sig))
	case !Forwardable(sig):
		return fmt.Errorf("%s cannot be a stop signal: it is not one pidone sends to processes", Name(sig))
	}
	return nil
}

// CheckReceivable says why pidone could never receive sig (for -p), or
// nil: SIGKILL and SIGSTOP are not caught by anyone, and the signals the
// Go runtime keeps or refuses never reach pidone's loop.
func CheckReceivable(sig unix.Signal) error {
	if !Forwardable(sig) {
		return fmt.Errorf("%s cannot be received by pidone", Name(sig))
	}
	return nil
}

// Realtime reports whether sig is a real-time signal: those queue, one
// entry per signal sent, where a standard signal is pending once at most.
func Realtime(sig unix.Signal) bool {
	return sig >= rtMin && sig <= Max
}
