//go:build linux && (amd64 || arm64)

package signals

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// handlerAddrs returns the entry points of the assembly handlers.
func handlerAddrs() (empty, pipe, fault, restorer uintptr)

// Package state that signal handlers read: they run outside Go and have
// nowhere else to find it. Both are set before any handler is installed
// and never change afterwards.
var (
	// pipeFD is the write end of the signal pipe.
	pipeFD int64 = -1
	// goHandlers holds the Go runtime's handler for each fault signal,
	// where faultHandler sends the faults pidone itself raises.
	goHandlers [Max + 1]uintptr
)

const (
	saSiginfo  = 0x4
	saRestorer = 0x04000000
	saOnstack  = 0x08000000
	saRestart  = 0x10000000
)

// install makes handler the action for sig, with the flags and mask the Go
// runtime uses for its own handlers: SA_ONSTACK because a goroutine's
// stack may be too small for the kernel's frame while every thread has a
// signal stack, SA_SIGINFO for the fault handler's si_code, every signal
// blocked while a handler runs, and SA_RESTART so pidone's own system
// calls carry on.
func install(sig unix.Signal, handler, restorer uintptr) error {
	act := sigaction{handler: handler, flags: saSiginfo | saOnstack | saRestart | saRestorer,
		restorer: restorer, mask: ^uint64(0)}
	return rtSigaction(sig, &act, nil)
}

// catchReserved installs the do-nothing handler for signals 32–34. The Go
// runtime installs none for them in a program without cgo and os/signal
// refuses them, so they keep whatever disposition pidone inherited. Both
// dispositions it could inherit are wrong for an init: the default kills
// pidone (when it is not PID 1), and an ignored one is inherited across
// execve by every process pidone starts. A caught signal is neither.
func catchReserved() error {
	empty, _, _, restorer := handlerAddrs()
	for sig := unix.Signal(32); sig <= 34; sig++ {
		if err := install(sig, empty, restorer); err != nil {
			return err
		}
	}
	return nil
}

// pipeSignals routes sigs through a pipe: each one's handler writes its
// number to the pipe, and a goroutine hands them on, in the order they
// arrived: SIGCHLD to chld (without blocking: one pending SIGCHLD is as
// good as many), the others to fwd.
//
// os/signal would do the same job, but registering a signal with it costs
// a round trip to a thread the runtime starts for the purpose: for the 57
// signals an init handles that was 2.5 to 16 ms on a 2-core VM, several
// times the rest of pidone's start. Installing a handler here costs one
// rt_sigaction.
func pipeSignals(sigs []unix.Signal, fwd, chld chan<- os.Signal) error {
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC|unix.O_NONBLOCK); err != nil {
		return fmt.Errorf("create the signal pipe: %w", err)
	}
	// A full pipe (64 KiB of signal numbers unread) drops signals rather
	// than blocking a thread in a handler.
	pipeFD = int64(p[1])
	r := os.NewFile(uintptr(p[0]), "signal pipe")
	_, pipe, fault, restorer := handlerAddrs()
	for _, sig := range sigs {
		handler := pipe
		if faults[sig] {
			var old sigaction
			if err := rtSigaction(sig, nil, &old); err != nil {
				return err
			}
			goHandlers[sig] = old.handler
			handler = fault
		}
		if err := install(sig, handler, restorer); err != nil {
			return err
		}
	}
	go relay(r, fwd, chld)
	return nil
}

// relay moves signal numbers from the pipe to the channels until the pipe
// fails, which only happens if pidone closes it.
func relay(r *os.File, fwd, chld chan<- os.Signal) {
	buf := make([]byte, 256)
	for {
		n, err := r.Read(buf)
		for _, b := range buf[:n] {
			sig := unix.Signal(b)
			if sig != unix.SIGCHLD {
				fwd <- sig
				continue
			}
			select {
			case chld <- sig:
			default:
			}
		}
		if err != nil {
			return
		}
	}
}
