// Command gofloor is the least a Go init can do, built the way pidone is:
// start its command, block in wait4 until the command exits, and exit with
// its status. It forwards no signal and handles none. The benchmark runs
// it beside the inits to show how much of pidone's start, stop and memory
// is the Go runtime's rather than pidone's.
//
// Built with -tags signals it is go-floor+signals (see signals.go): the
// same program that also asks os/signal for every signal pidone handles.
// One program, two builds: go-floor itself stays free of os/signal, so its
// size and start remain the floor.
package main

import (
	"os"
	"syscall"
)

func main() {
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		os.Exit(2)
	}
	pid, err := syscall.ForkExec(args[0], args, &syscall.ProcAttr{Env: os.Environ(), Files: []uintptr{0, 1, 2}})
	if err != nil {
		os.Exit(127)
	}
	for {
		var ws syscall.WaitStatus
		got, err := syscall.Wait4(-1, &ws, syscall.WALL, nil)
		switch {
		case err == syscall.EINTR:
		case err != nil:
			os.Exit(1)
		case got == pid && ws.Signaled():
			os.Exit(128 + int(ws.Signal()))
		case got == pid:
			os.Exit(ws.ExitStatus())
		}
	}
}
