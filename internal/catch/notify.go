package catch

import (
	"errors"
	"fmt"

	"github.com/pidone/pidone/internal/signals"

	"golang.org/x/sys/unix"
)

// Inbox is the one queue of a program that supervises processes: a pipe
// into which each caught signal writes its number, one byte, in the order
// the signals arrive, and into which the program posts its own events
// (numbers above Max) with Post. Reading it is the only thing the
// program's loop waits on, so an event costs one wake-up.
//
// A pipe rather than a Go channel because a signal handler can write to a
// pipe and cannot touch a channel; and rather than os/signal because
// registering a signal with it costs a round trip to a thread the runtime
// starts for the purpose: for the 57 signals an init handles that was 2.5
// to 16 ms on a 2-core VM, several times the rest of pidone's start.
type Inbox struct {
	r, w int
}

// Catch routes every signal pidone handles into a new Inbox: SIGCHLD and
// every forwardable signal. Call it first, before anything can go wrong
// and before the first child starts, so that no exit and no signal slips
// past: a signal the Go runtime handles and nobody asked for kills the
// program (SIGTERM, SIGHUP) or crashes it (SIGABRT sent with kill).
//
// Every signal is caught, never ignored, because ignored dispositions
// survive execve into the children, while caught ones are reset to the
// default there. A full pipe (64 KiB of events unread) drops a signal
// rather than block a thread inside a handler, except SIGCHLD, which Read
// hands out later: a lost "something exited" would leave zombies and,
// for the main process, a pidone that never exits.
func Catch() (*Inbox, error) {
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC|unix.O_NONBLOCK); err != nil {
		return nil, fmt.Errorf("create the signal pipe: %w", err)
	}
	// The reading end blocks: the loop sleeps in read(2) until there is
	// something to do.
	if err := unix.SetNonblock(p[0], false); err != nil {
		return nil, fmt.Errorf("make the signal pipe blocking: %w", err)
	}
	in := &Inbox{r: p[0], w: p[1]}
	sigs := []unix.Signal{unix.SIGCHLD}
	for n := unix.Signal(1); n <= signals.Max; n++ {
		if signals.Forwardable(n) {
			sigs = append(sigs, n)
		}
	}
	if err := catch(in, sigs); err != nil {
		return nil, err
	}
	return in, nil
}

// Read waits for events and stores them in buf, one byte each: a signal
// number, or a number above Max that the program posted.
func (in *Inbox) Read(buf []byte) (int, error) {
	// A SIGCHLD is owed only while the pipe is full, so the read that
	// makes room returns at once, and the check at the next call sees it.
	for {
		n, err := unix.Read(in.r, buf)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("read the signal pipe: %w", err)
		}
		return n, nil
	}
}

// Post adds an event of the program's own (a timer that fired, say) to
// the inbox. ev must be above Max, to be told from signals. When the pipe
// is full Post waits for room rather than lose the event, so it must not
// be called from the goroutine that reads the inbox.
func (in *Inbox) Post(ev byte) error {
	for {
		_, err := unix.Write(in.w, []byte{ev})
		switch {
		case errors.Is(err, unix.EINTR):
		case errors.Is(err, unix.EAGAIN):
			fds := []unix.PollFd{{Fd: int32(in.w), Events: unix.POLLOUT}}
			if _, err := unix.Poll(fds, -1); err != nil && !errors.Is(err, unix.EINTR) {
				return fmt.Errorf("wait for room in the signal pipe: %w", err)
			}
		case err != nil:
			return fmt.Errorf("post to the signal pipe: %w", err)
		default:
			return nil
		}
	}
}
