package main

import (
	"bufio"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"unsafe"
)

// The bench binary doubles as the programs the inits run: `bench __helper
// MODE ARGS` (re-executed through /proc/self/exe's target). Its file
// descriptor 3, when given, is the ack pipe to the bench and 4 the command
// pipe from it.
const helperArg = "__helper"

const (
	ackFD = 3
	cmdFD = 4
)

func helperMain(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "bench helper: no mode")
		return 2
	}
	switch args[0] {
	case "sig":
		return helperSig()
	case "flood":
		if len(args) == 1 {
			return helperFlood()
		}
	case "storm":
		if len(args) != 3 || (args[2] != "live" && args[2] != "zombie") {
			break
		}
		n, err := strconv.Atoi(args[1])
		if err != nil || n < 1 {
			break
		}
		return helperStorm(n, args[2] == "zombie")
	case "up":
		if len(args) == 1 {
			return helperUp()
		}
	case "touch":
		if len(args) == 2 {
			return helperTouch(args[1])
		}
	case "exists":
		if len(args) == 2 {
			if _, err := os.Stat(args[1]); err != nil {
				return 1
			}
			return 0
		}
	case "serve":
		if len(args) == 3 || (len(args) == 2 && args[1] == "notify") {
			return helperServe(args[1], args[len(args)-1])
		}
	case "gen":
		if len(args) != 2 {
			break
		}
		n, err := strconv.ParseInt(args[1], 10, 64)
		if err != nil || n < 0 {
			break
		}
		return helperGen(n)
	}
	fmt.Fprintf(os.Stderr, "bench helper: bad arguments %q\n", args)
	return 2
}

// helperSig writes 'R' to the ack pipe once SIGUSR1 is handled, then one
// byte per SIGUSR1 received.
func helperSig() int {
	c := make(chan os.Signal, 64)
	signal.Notify(c, syscall.SIGUSR1)
	if _, err := syscall.Write(ackFD, []byte{'R'}); err != nil {
		return 1
	}
	b := []byte{'s'}
	for range c {
		if _, err := syscall.Write(ackFD, b); err != nil {
			return 1
		}
	}
	return 0
}

// helperFlood is the child of a flooded init: it ignores every real-time
// signal the flood sends (forwarded at their default action they would
// kill it; ignored, the kernel drops them at once, so the child costs
// nothing per signal), writes 'R' to the ack pipe, and on SIGTERM writes
// 'T' and exits 0.
func helperFlood() int {
	for n := floodFirst; n <= floodLast; n++ {
		signal.Ignore(syscall.Signal(n))
	}
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	if _, err := syscall.Write(ackFD, []byte{'R'}); err != nil {
		return 1
	}
	<-c
	if _, err := syscall.Write(ackFD, []byte{'T'}); err != nil {
		return 1
	}
	return 0
}

// helperStorm makes n orphans of its init at once, in one of two ways.
//
// live: the orphans are re-parented alive and then all exit together, a
// storm of exits and SIGCHLDs:
//
//	helper: 'S' → ack; waits for a byte on the command pipe
//	        forks a spawner, which forks n children and exits: the
//	        children, blocked on reading the release pipe, are re-parented
//	        to the init (PID 1)
//	        reaps the spawner; 'R' → ack; waits for a byte
//	        closes the release pipe: the n orphans read EOF and exit at once
//	        'G' → ack; then waits until the bench kills the namespace
//
// zombie: the n children exit at once while their parent, the spawner,
// lives on without reaping them; the bench waits until all are zombies.
// Releasing the spawner makes it exit and hands the init n zombies in one
// go: the time is the init's reaping alone, the kernel's exits done.
//
//	helper: 'S' → ack; waits for a byte
//	        forks the spawner, which forks n children that exit at once,
//	        then blocks on the release pipe; 'R' → ack; waits for a byte
//	        closes the release pipe: the spawner exits, the zombies go to
//	        the init; reaps the spawner; 'G' → ack; waits to be killed
//
// Run without an init, as PID 1 itself, it reaps the orphans with a
// blocking wait4(-1) loop before its 'G': the floor the inits are
// measured against.
//
// The forks are raw clone(2) calls without exec: a Go child may only make
// raw system calls, which is all the spawner and the orphans do (nosplit
// functions, no allocation, no runtime).
func helperStorm(n int, zombies bool) int {
	var fds [2]int
	if err := syscall.Pipe(fds[:]); err != nil {
		fmt.Fprintln(os.Stderr, "pipe:", err)
		return 1
	}
	rel, relW := fds[0], fds[1]
	var b [1]byte
	if _, err := syscall.Write(ackFD, []byte{'S'}); err != nil {
		return 1
	}
	if _, err := syscall.Read(cmdFD, b[:]); err != nil {
		return 1
	}
	spawner, errno := spawnOrphans(n, rel, relW, zombies, &b[0])
	if errno != 0 {
		fmt.Fprintln(os.Stderr, "clone:", errno)
		return 1
	}
	reapSpawner := func() {
		var ws syscall.WaitStatus
		for {
			_, err := syscall.Wait4(int(spawner), &ws, 0, nil)
			if err != syscall.EINTR {
				break
			}
		}
	}
	if !zombies {
		reapSpawner()
	}
	syscall.Close(rel)
	if _, err := syscall.Write(ackFD, []byte{'R'}); err != nil {
		return 1
	}
	if _, err := syscall.Read(cmdFD, b[:]); err != nil {
		return 1
	}
	syscall.Close(relW)
	if zombies && os.Getpid() != 1 {
		reapSpawner()
	}
	if os.Getpid() == 1 {
		// No init (the floor): the helper is PID 1 and reaps the
		// orphans (and the spawner) with the simplest loop there is.
		for {
			_, err := syscall.Wait4(-1, nil, 0, nil)
			if err != nil && err != syscall.EINTR {
				break
			}
		}
	}
	syscall.Write(ackFD, []byte{'G'})
	for {
		if m, err := syscall.Read(cmdFD, b[:]); m == 0 && err != syscall.EINTR {
			return 0
		}
	}
}

// spawnOrphans forks the spawner; in the parent it returns the spawner's
// pid. The child never returns: it forks n children that wait for the
// release and exit (live), or that exit at once while it waits for the
// release itself (zombies).
//
//go:nosplit
//go:norace
func spawnOrphans(n, rel, relW int, zombies bool, buf *byte) (uintptr, syscall.Errno) {
	pid, _, errno := syscall.RawSyscall6(syscall.SYS_CLONE, uintptr(syscall.SIGCHLD), 0, 0, 0, 0, 0)
	if errno != 0 || pid != 0 {
		return pid, errno
	}
	// The spawner.
	syscall.RawSyscall(syscall.SYS_CLOSE, uintptr(relW), 0, 0)
	for i := 0; i < n; i++ {
		pid, _, errno := syscall.RawSyscall6(syscall.SYS_CLONE, uintptr(syscall.SIGCHLD), 0, 0, 0, 0, 0)
		if errno != 0 {
			syscall.RawSyscall(syscall.SYS_EXIT_GROUP, 1, 0, 0)
		}
		if pid == 0 {
			if !zombies {
				syscall.RawSyscall(syscall.SYS_READ, uintptr(rel), uintptr(unsafe.Pointer(buf)), 1)
			}
			syscall.RawSyscall(syscall.SYS_EXIT_GROUP, 0, 0, 0)
		}
	}
	if zombies {
		syscall.RawSyscall(syscall.SYS_READ, uintptr(rel), uintptr(unsafe.Pointer(buf)), 1)
	}
	syscall.RawSyscall(syscall.SYS_EXIT_GROUP, 0, 0, 0)
	return 0, 0
}

// helperGen writes n bytes (rounded down to whole lines) of 100-byte lines
// to stdout.
func helperGen(n int64) int {
	line := make([]byte, 100)
	for i := range line {
		line[i] = 'x'
	}
	line[99] = '\n'
	w := bufio.NewWriterSize(os.Stdout, 64<<10)
	for n -= 100; n >= 0; n -= 100 {
		if _, err := w.Write(line); err != nil {
			return 1
		}
	}
	if err := w.Flush(); err != nil {
		return 1
	}
	return 0
}
