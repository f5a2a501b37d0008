//go:build linux && (amd64 || arm64)

package signals

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Signals 32–34 are reserved by the C libraries and the Go runtime. The
// runtime installs no handler for them in a program without cgo and
// os/signal refuses them, so they keep whatever disposition pidone
// inherited. Both choices the runtime leaves open are wrong for an init:
// the default disposition kills pidone (when it is not PID 1), and an
// ignored one is inherited across execve by every process pidone starts.
// A handler that does nothing is neither: pidone survives, and execve
// resets a caught signal to its default in the child.

// emptyHandler and restorer are written in assembly because a Go function
// cannot run on a signal stack without the runtime's help.
func handlerAddrs() (handler, restorer uintptr)

const (
	saRestorer = 0x04000000
	saOnstack  = 0x08000000
	saRestart  = 0x10000000
)

// CatchReserved installs the do-nothing handler for signals 32–34.
func CatchReserved() error {
	h, r := handlerAddrs()
	// SA_ONSTACK: every thread of a Go program has a signal stack, while a
	// goroutine's own stack may be too small for the kernel's frame.
	act := sigaction{handler: h, flags: saOnstack | saRestart | saRestorer, restorer: r}
	for sig := 32; sig <= 34; sig++ {
		_, _, errno := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig),
			uintptr(unsafe.Pointer(&act)), 0, 8, 0, 0)
		if errno != 0 {
			return fmt.Errorf("install handler for signal %d: %w", sig, errno)
		}
	}
	return nil
}
