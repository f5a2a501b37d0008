package signals

import (
	"os"

	"golang.org/x/sys/unix"
)

// Forwardable reports whether pidone forwards sig to its processes: every
// signal that can be caught, except
//   - SIGCHLD, which is about pidone's own children;
//   - SIGURG and SIGPROF, which the Go runtime keeps for itself
//     (goroutine preemption and profiling);
//   - 32–34, which the C libraries and the Go runtime reserve.
func Forwardable(sig unix.Signal) bool {
	switch {
	case sig < 1 || sig > Max:
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

// Forwarded returns every forwardable signal in ascending order, ready for
// signal.Notify.
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
func Stops(sig unix.Signal) bool {
	return sig == unix.SIGTERM || sig == unix.SIGINT || sig == unix.SIGQUIT
}

// Handled returns every signal pidone asks the Go runtime for: the
// forwarded ones and SIGCHLD.
func Handled() []os.Signal {
	return append(Forwarded(), unix.SIGCHLD)
}
