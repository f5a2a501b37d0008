package reaper

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Exit is one child that has ended.
type Exit struct {
	Pid    int
	Status unix.WaitStatus
}

// Reaper collects exited children. It is not safe for concurrent use: one
// goroutine owns it.
type Reaper struct {
	// Stops asks Reap to report children that stopped as well (their
	// Status is then Stopped()), for job control at a terminal.
	Stops bool
	// buf is reused across calls: a zombie storm of thousands of orphans
	// must not allocate per exit.
	buf []Exit
}

// New prepares the calling process to reap. When it is not PID 1 it
// becomes a child subreaper; failing to is an error, because orphans would
// then escape to an init that does not know them.
func New() (*Reaper, error) {
	if os.Getpid() != 1 {
		if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
			return nil, fmt.Errorf("become child subreaper: %w", err)
		}
	}
	return &Reaper{}, nil
}

// Reap collects, without blocking, every child that has exited. It
// reports alive=false when the process has no children left at all, the
// signal that everything pidone waits for is gone. The returned slice is
// valid until the next call.
func (r *Reaper) Reap() (exits []Exit, alive bool) {
	r.buf = r.buf[:0]
	for {
		var ws unix.WaitStatus
		// __WALL: a child cloned with an exit signal other than SIGCHLD
		// is still a child, and an init must reap it too.
		flags := unix.WNOHANG | unix.WALL
		if r.Stops {
			flags |= unix.WUNTRACED
		}
		pid, err := unix.Wait4(-1, &ws, flags, nil)
		switch {
		case errors.Is(err, unix.EINTR):
			continue
		case errors.Is(err, unix.ECHILD):
			return r.buf, false
		case err != nil:
			// wait4 fails otherwise only for invalid arguments; report
			// what was collected and let the next SIGCHLD try again.
			return r.buf, true
		case pid == 0:
			return r.buf, true
		}
		r.buf = append(r.buf, Exit{Pid: pid, Status: ws})
	}
}
