package signals

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// sigaction mirrors the kernel's struct sigaction for rt_sigaction(2) on
// the architectures pidone builds for (amd64, arm64): handler, flags,
// restorer, then a 64-bit mask.
type sigaction struct {
	handler  uintptr
	flags    uint64
	restorer uintptr
	mask     uint64
}

// rtSigaction sets sig's action to act (unless nil) and stores the
// previous one in old (unless nil).
func rtSigaction(sig unix.Signal, act, old *sigaction) error {
	_, _, errno := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig),
		uintptr(unsafe.Pointer(act)), uintptr(unsafe.Pointer(old)), 8, 0, 0)
	if errno != 0 {
		return fmt.Errorf("install handler for %s: %w", Name(sig), errno)
	}
	return nil
}
