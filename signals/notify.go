package signals

import (
	"os"

	"golang.org/x/sys/unix"
)

// faults are the signals the CPU raises when a program goes wrong. Go turns
// a real one in pidone into a panic with a stack trace, so the kernel's
// faults still reach the runtime; the same signals sent with kill are
// forwarded like the others.
var faults = map[unix.Signal]bool{
	unix.SIGSEGV: true, unix.SIGBUS: true, unix.SIGFPE: true,
	unix.SIGILL: true, unix.SIGTRAP: true, unix.SIGSYS: true,
}

// Notify routes the signals pidone handles. SIGCHLD goes to chld, which
// should have a buffer of one: SIGCHLD coalesces anyway and only means
// "something exited, drain". Every forwardable signal goes to fwd, in the
// order they arrive. Call it before the first child starts, so that no exit
// and no signal can slip past.
//
// Notify is also what keeps pidone alive: a signal the Go runtime handles
// and nobody asked for kills the program (SIGTERM, SIGHUP) or crashes it
// (SIGABRT sent with kill). Every signal is caught, never ignored, because
// ignored dispositions survive execve into the children, while caught ones
// are reset to the default there.
func Notify(fwd, chld chan<- os.Signal) error {
	sigs := []unix.Signal{unix.SIGCHLD}
	for n := unix.Signal(1); n <= Max; n++ {
		if Forwardable(n) {
			sigs = append(sigs, n)
		}
	}
	if err := pipeSignals(sigs, fwd, chld); err != nil {
		return err
	}
	return catchReserved()
}
