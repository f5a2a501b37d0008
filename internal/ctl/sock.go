package ctl

import (
	"errors"
	"fmt"
	"net"

	"golang.org/x/sys/unix"
)

// Peer is who is at the other end of a connection, as the kernel recorded
// it when the connection was made (connect on the client's side, listen on
// the server's), translated into the reader's namespaces. A peer cannot
// claim anything here: it is not something it sends.
type Peer struct {
	PID, UID, GID int
}

// peerOf reads the credentials of c's peer with SO_PEERCRED.
func peerOf(c *net.UnixConn) (Peer, error) {
	rc, err := c.SyscallConn()
	if err != nil {
		return Peer{}, fmt.Errorf("read the peer's credentials: %w", err)
	}
	var cred *unix.Ucred
	var gerr error
	if err := rc.Control(func(fd uintptr) {
		cred, gerr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return Peer{}, fmt.Errorf("read the peer's credentials: %w", err)
	}
	if gerr != nil {
		return Peer{}, fmt.Errorf("read the peer's credentials: %w", gerr)
	}
	return Peer{PID: int(cred.Pid), UID: int(cred.Uid), GID: int(cred.Gid)}, nil
}

// send writes all of b to c with MSG_NOSIGNAL, within c's write deadline.
//
// A plain write to a socket whose peer has gone raises SIGPIPE. pidone
// catches SIGPIPE to forward it, so a client that hangs up early would
// make pidone forward a signal to its processes that nobody sent them.
// MSG_NOSIGNAL turns that into an EPIPE error, which is all it is.
func send(c *net.UnixConn, b []byte) error {
	rc, err := c.SyscallConn()
	if err != nil {
		return fmt.Errorf("send: %w", err)
	}
	var serr error
	err = rc.Write(func(fd uintptr) bool {
		for len(b) > 0 {
			n, err := unix.SendmsgN(int(fd), b, nil, nil, unix.MSG_NOSIGNAL)
			switch {
			case errors.Is(err, unix.EINTR):
				continue
			case errors.Is(err, unix.EAGAIN):
				return false // the poller waits for room, or the deadline
			case err != nil:
				serr = err
				return true
			}
			b = b[n:]
		}
		return true
	})
	if err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("send: %w", err)
	}
	return nil
}
