package signals

import (
	"errors"
	"fmt"

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
	rearmChildren() // a new inbox has no SIGCHLD in it yet
	sigs := []unix.Signal{unix.SIGCHLD}
	for n := unix.Signal(1); n <= Max; n++ {
		if Forwardable(n) {
			sigs = append(sigs, n)
		}
	}
	if err := catch(in, sigs); err != nil {
		return nil, err
	}
	return in, catchReserved()
}

// Read waits for events and stores them in buf, one byte each: a signal
// number, or a number above Max that the program posted.
func (in *Inbox) Read(buf []byte) (int, error) {
	// A SIGCHLD is owed only while the pipe is full, so the read that
	// makes room returns at once, and the check at the next call sees it.
	if len(buf) > 0 && childrenOwed() {
		buf[0] = byte(unix.SIGCHLD)
		return 1, nil
	}
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

// Routed marks an event that is a signal the handler has already sent on
// by a route: the event is the signal's number with this bit set.
const Routed = 0x80

// Route has the signal handler itself send sig on, as the signal as, to
// target (kill(2)'s pid: a negative one is a process group, and if that
// group is gone its leader -target is tried), the moment sig arrives. It
// saves the wake-up of the program's loop and of the Go runtime's threads
// before the signal can go on, and with RecordRoutes off the loop does
// not wake at all. target must not be 0, sig must be forwardable and not
// SIGCHLD.
//
// A route must only point at a process that cannot be reaped while it
// is set: clear the routes with Unroute before collecting exits, or a pid
// reused by the kernel could get the signal.
func (in *Inbox) Route(sig unix.Signal, target int, as unix.Signal) {
	if target != 0 && Forwardable(sig) {
		route(sig, target, as)
	}
}

// RecordRoutes sets whether a routed signal also comes out of the inbox,
// as sig|Routed: for a log of every signal, at the cost of a wake-up.
func (in *Inbox) RecordRoutes(on bool) { recordRoutes(on) }

// Unroute clears every route: from now on the loop forwards each signal.
func (in *Inbox) Unroute() { unrouteAll() }

// Empty reports whether no event is waiting in the inbox. Routes are best
// set when it is, so that a routed signal does not overtake one that came
// before it and still waits to be forwarded by the loop.
func (in *Inbox) Empty() bool {
	n, err := unix.IoctlGetInt(in.r, unix.TIOCINQ) // FIONREAD
	return err == nil && n == 0
}

// ChildrenSeen tells the inbox that the program is about to collect the
// exited children. Until it is called, further SIGCHLDs add nothing to the
// inbox: the one already read says all there is to say, "drain". Call it
// before draining, never after, or an exit could go unnoticed.
func (in *Inbox) ChildrenSeen() { rearmChildren() }
