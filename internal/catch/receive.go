package catch

import (
	"os"
	"os/signal"

	"github.com/pidone/pidone/internal/signals"
	"golang.org/x/sys/unix"
)

// Channel sizes. os/signal never blocks on a full channel: it drops the
// signal. SIGCHLD needs one slot, since one pending SIGCHLD already says
// "reap"; SIGTERM and SIGINT have channels of their own so that a flood
// of other signals can never crowd out a stop; the rest share a large one,
// which a loop that keeps up never fills.
const (
	stopBuffer  = 64
	otherBuffer = 4096
)

// Receiver is where the signals pidone handles arrive, on three channels
// that one loop selects on.
type Receiver struct {
	// Stop carries SIGTERM and SIGINT.
	Stop <-chan os.Signal
	// Child carries SIGCHLD, coalesced: at most one waits.
	Child <-chan os.Signal
	// Other carries every other forwarded signal.
	Other <-chan os.Signal

	chans []chan os.Signal
}

// Receive asks the Go runtime for every signal pidone handles
// (every forwardable signal and SIGCHLD) and returns where they arrive. Call it first thing in
// main, before anything can go wrong and before the first child starts:
// until a signal is registered, the runtime's default for it applies
// (SIGTERM, SIGHUP end the program).
//
// Registering a signal makes the runtime catch it, never ignore it: a
// caught signal is reset to its default in every process pidone starts,
// where an ignored one would be inherited.
func Receive() *Receiver {
	stop := make(chan os.Signal, stopBuffer)
	child := make(chan os.Signal, 1)
	other := make(chan os.Signal, otherBuffer)
	var rest []os.Signal
	for _, s := range signals.Forwarded() {
		if !signals.Stops(s.(unix.Signal)) {
			rest = append(rest, s)
		}
	}
	signal.Notify(stop, unix.SIGTERM, unix.SIGINT)
	signal.Notify(child, unix.SIGCHLD)
	signal.Notify(other, rest...)
	return &Receiver{Stop: stop, Child: child, Other: other, chans: []chan os.Signal{stop, child, other}}
}

// Close hands every signal back to the runtime's defaults.
func (r *Receiver) Close() {
	for _, c := range r.chans {
		signal.Stop(c)
	}
}
