//go:build signals

package main

import (
	"os"
	"os/signal"
	"syscall"
)

// Built with -tags signals, this is go-floor+signals: before main starts
// the command, it asks os/signal for every signal pidone asks for (its
// forwarded set and SIGCHLD: 1–64 but for SIGKILL and SIGSTOP, which
// cannot be caught, SIGURG and SIGPROF, which the runtime keeps, and 32–34,
// which the C libraries and the runtime reserve). That is the runtime's
// share of pidone's signal set-up: a handler per signal, the thread and
// goroutine that os/signal starts, the wake-ups a delivered signal costs.
// Nothing reads the channel: a signal that finds it full is dropped, which
// is all the floor needs to be doing with it.
func init() {
	var sigs []os.Signal
	for n := syscall.Signal(1); n <= 64; n++ {
		switch {
		case n == syscall.SIGKILL, n == syscall.SIGSTOP, n == syscall.SIGURG, n == syscall.SIGPROF:
		case n >= 32 && n <= 34:
		default:
			sigs = append(sigs, n)
		}
	}
	signal.Notify(make(chan os.Signal, 1), sigs...)
}
