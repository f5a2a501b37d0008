package launch

import (
	"errors"

	"golang.org/x/sys/unix"
)

// Signal sends sig to the process pid: to its whole process group when
// group is set, and to the process alone when the group is gone or group
// is not set. It returns the error of the last attempt: EPERM when pidone
// may not signal it, ESRCH when it is gone.
func Signal(pid int, sig unix.Signal, group bool) error {
	if pid <= 0 {
		return unix.ESRCH
	}
	if group {
		err := unix.Kill(-pid, sig)
		if err == nil || !errors.Is(err, unix.ESRCH) {
			return err
		}
	}
	return unix.Kill(pid, sig)
}
