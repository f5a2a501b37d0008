//go:build !(linux && (amd64 || arm64))

package signals

import (
	"os"
	"os/signal"

	"golang.org/x/sys/unix"
)

// catchReserved is a no-op where pidone has no assembly handler: signals
// 32–34 keep the disposition pidone inherited.
func catchReserved() error { return nil }

// pipeSignals falls back to os/signal where pidone has no assembly
// handler: correct, only slower to set up.
func pipeSignals(sigs []unix.Signal, fwd, chld chan<- os.Signal) error {
	signal.Notify(chld, unix.SIGCHLD)
	list := make([]os.Signal, len(sigs))
	for i, s := range sigs {
		list[i] = s
	}
	signal.Notify(fwd, list...)
	return nil
}
