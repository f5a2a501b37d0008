package main

// Helpers for robust_test.go: the situations in which pidone must neither
// die nor hang.

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

func init() {
	register("pid1-parent", pid1ParentHelper)
	register("bomb", bombHelper)
	register("in-cgroup", inCgroupHelper)
	register("background-on-tty", backgroundOnTTYHelper)
}

// pid1ParentHelper is a minimal init for pidone's parent: started as PID 1
// of a new namespace, it runs ARGV, reaps everything, and exits with
// ARGV's status, as tini or docker run --init would.
//
//	pid1-parent ARGV...
func pid1ParentHelper(args []string) int {
	pid, err := syscall.ForkExec(args[0], args, &syscall.ProcAttr{Env: os.Environ(), Files: []uintptr{0, 1, 2}})
	if err != nil {
		fmt.Fprintln(os.Stderr, "pid1-parent:", err)
		return 2
	}
	for {
		var ws syscall.WaitStatus
		got, err := syscall.Wait4(-1, &ws, 0, nil)
		if err != nil {
			return 2
		}
		if got == pid {
			if ws.Signaled() {
				return 128 + int(ws.Signal())
			}
			return ws.ExitStatus()
		}
	}
}

// bombHelper starts sleeping children until the kernel refuses (a full
// pids cgroup), writes how many it made to FILE, and exits 0 on SIGTERM.
//
//	bomb FILE
func bombHelper(args []string) int {
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	n := 0
	for ; n < 100000; n++ {
		_, err := syscall.ForkExec("/bin/sleep", []string{"sleep", "1000"}, &syscall.ProcAttr{})
		if err != nil {
			break
		}
	}
	if err := os.WriteFile(args[0], []byte(strconv.Itoa(n)), 0o644); err != nil {
		return 2
	}
	<-term
	return 0
}

// inCgroupHelper moves itself into the cgroup at DIR and execs ARGV there.
//
//	in-cgroup DIR ARGV...
func inCgroupHelper(args []string) int {
	if err := os.WriteFile(filepath.Join(args[0], "cgroup.procs"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "in-cgroup:", err)
		return 2
	}
	err := syscall.Exec(args[1], args[1:], os.Environ())
	fmt.Fprintln(os.Stderr, "in-cgroup: exec:", err)
	return 2
}

// backgroundOnTTYHelper is a shell's part in job control: session leader
// of the terminal on its stdin, with TOSTOP set (stty tostop), it starts
// ARGV as a background job (a process group of its own that is not the
// foreground one), writes the job's pid to PIDFILE and waits for it.
//
//	background-on-tty PIDFILE ARGV...
func backgroundOnTTYHelper(args []string) int {
	tio, err := unix.IoctlGetTermios(0, unix.TCGETS)
	if err != nil {
		fmt.Fprintln(os.Stderr, "background-on-tty:", err)
		return 2
	}
	tio.Lflag |= unix.TOSTOP
	if err := unix.IoctlSetTermios(0, unix.TCSETS, tio); err != nil {
		fmt.Fprintln(os.Stderr, "background-on-tty:", err)
		return 2
	}
	pid, err := syscall.ForkExec(args[1], args[1:], &syscall.ProcAttr{
		Env: os.Environ(), Files: []uintptr{0, 1, 2}, Sys: &syscall.SysProcAttr{Setpgid: true},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "background-on-tty:", err)
		return 2
	}
	if err := os.WriteFile(args[0], []byte(strconv.Itoa(pid)), 0o644); err != nil {
		return 2
	}
	var ws syscall.WaitStatus
	syscall.Wait4(pid, &ws, 0, nil)
	return 0
}
