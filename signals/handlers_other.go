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

// catch falls back to os/signal where pidone has no assembly handler: a
// goroutine copies what it delivers into the inbox. Correct, only slower
// to set up and one hop longer.
func catch(in *Inbox, sigs []unix.Signal) error {
	ch := make(chan os.Signal, 1024)
	list := make([]os.Signal, len(sigs))
	for i, s := range sigs {
		list[i] = s
	}
	signal.Notify(ch, list...)
	go func() {
		for s := range ch {
			_ = in.Post(byte(s.(unix.Signal)))
		}
	}()
	return nil
}

// rearmChildren has nothing to do where os/signal delivers SIGCHLD: it
// coalesces them itself.
func rearmChildren() {}

// childrenOwed is always false here: the goroutine's Post waits for room
// in the pipe and loses no SIGCHLD.
func childrenOwed() bool { return false }

// route does nothing where os/signal delivers: every signal goes through
// the loop.
func route(unix.Signal, int, unix.Signal) {}

func unrouteAll() {}

func recordRoutes(bool) {}
