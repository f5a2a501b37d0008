//go:build linux && (amd64 || arm64)

package signals

import (
	"golang.org/x/sys/unix"
	"sync/atomic"
)

// handlerAddrs returns the entry points of the assembly handlers.
func handlerAddrs() (empty, pipe, fault, restorer uintptr)

// Package state that signal handlers read: they run outside Go and have
// nowhere else to find it. Both are set before any handler is installed
// and never change afterwards.
var (
	// pipeFD is the write end of the signal pipe.
	//lint:ignore U1000 read by pipeHandler, in assembly.
	pipeFD int64 = -1
	// goHandlers holds the Go runtime's handler for each fault signal,
	// where faultHandler sends the faults pidone itself raises.
	goHandlers [Max + 1]uintptr
	// chldPending is 0 when the next SIGCHLD is to be written to the
	// pipe, 1 while one written has not been handled (the handler writes
	// no other until the loop re-arms it), and 2 when one could not be
	// written because the pipe was full: Read then owes the loop one.
	chldPending int32
)

// Routes the handler follows, indexed by signal: routeTo is kill(2)'s
// pid argument, 0 for a signal the handler only writes to the pipe, and
// routeAs the signal to send. Written with atomic stores, routeAs first;
// the handlers load routeTo with acquire semantics, then routeAs.
var routeTo, routeAs [Max + 1]int64

// routeRecords is 1 when a routed signal is also written to the pipe.
var routeRecords int32

func recordRoutes(on bool) {
	v := int32(0)
	if on {
		v = 1
	}
	atomic.StoreInt32(&routeRecords, v)
}

func route(sig unix.Signal, target int, as unix.Signal) {
	atomic.StoreInt64(&routeAs[sig], int64(as))
	atomic.StoreInt64(&routeTo[sig], int64(target))
}

func unrouteAll() {
	for i := range routeTo {
		atomic.StoreInt64(&routeTo[i], 0)
	}
}

// childrenOwed reports, once, that a SIGCHLD found the pipe full.
func childrenOwed() bool { return atomic.CompareAndSwapInt32(&chldPending, 2, 1) }

// rearmChildren lets the next SIGCHLD into the pipe. The loop calls it
// before it drains the exits, so that an exit after the drain is never
// missed: its SIGCHLD finds the flag clear and writes.
func rearmChildren() { atomic.StoreInt32(&chldPending, 0) }

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

// catch installs pipeHandler (faultHandler for the fault signals) for
// every signal in sigs, so that each writes its number to the write end
// of in.
func catch(in *Inbox, sigs []unix.Signal) error {
	pipeFD = int64(in.w)
	_, pipe, fault, restorer := handlerAddrs()
	for _, sig := range sigs {
		handler := pipe
		if faults[sig] {
			var old sigaction
			if err := rtSigaction(sig, nil, &old); err != nil {
				return err
			}
			// A second Catch finds faultHandler itself there: keep the
			// runtime's, or a real fault would jump to itself forever.
			if old.handler != fault {
				goHandlers[sig] = old.handler
			}
			handler = fault
		}
		if err := install(sig, handler, restorer); err != nil {
			return err
		}
	}
	return nil
}
