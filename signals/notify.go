package signals

import (
	"os"
	"os/signal"

	"golang.org/x/sys/unix"
)

// Notify routes the signals pidone handles. SIGCHLD goes to chld, which
// should have a buffer of one: SIGCHLD coalesces anyway and only means
// "something exited, drain". Every forwardable signal goes to fwd, in the
// order they arrive. Call it before the first child starts, so that no exit
// and no signal can slip past.
//
// Notify is also what keeps pidone alive: a signal the Go runtime handles
// and nobody asked for kills the program (SIGTERM, SIGHUP) or crashes it
// (SIGSEGV or SIGABRT sent with kill). os/signal is used rather than
// signal.Ignore, because ignored dispositions survive execve into the
// children, while caught ones are reset to the default there.
func Notify(fwd, chld chan<- os.Signal) error {
	signal.Notify(chld, unix.SIGCHLD)
	signal.Notify(fwd, Forwarded()...)
	return CatchReserved()
}
