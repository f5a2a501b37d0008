package output

import (
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// openDest returns a file of pidone's own for writing to the destination
// of fd: a non-blocking, pollable reopening where that is possible and
// harmless, else a duplicate written with plain writes.
func openDest(fd int) (*os.File, error) {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, fmt.Errorf("inspect descriptor %d: %w", fd, err)
	}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFIFO, unix.S_IFCHR:
		// A new open file description: O_NONBLOCK on it changes nothing
		// for the processes that share the inherited one. O_NOCTTY: a
		// PID 1 without a terminal must not acquire this one.
		nfd, err := unix.Open("/proc/self/fd/"+strconv.Itoa(fd), unix.O_WRONLY|unix.O_NONBLOCK|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
		if err == nil {
			return os.NewFile(uintptr(nfd), "/dev/fd/"+strconv.Itoa(fd)), nil
		}
	}
	nfd, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 3)
	if err != nil {
		return nil, fmt.Errorf("duplicate descriptor %d: %w", fd, err)
	}
	return os.NewFile(uintptr(nfd), "/dev/fd/"+strconv.Itoa(fd)), nil
}

// sameDest reports whether descriptors a and b lead to the same file or
// pipe, as after 2>&1.
func sameDest(a, b int) bool {
	var sa, sb unix.Stat_t
	if unix.Fstat(a, &sa) != nil || unix.Fstat(b, &sb) != nil {
		return false
	}
	return sa.Dev == sb.Dev && sa.Ino == sb.Ino && sa.Rdev == sb.Rdev
}
