package main

// Helpers for faults_test.go: each one puts pidone, or a process beside
// it, in a situation found in real containers, then execs. The ones that
// change a namespace, a capability set or a directory do it on one locked
// thread and exec from that same thread, since those are per thread until
// the exec makes them the new program's.

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

func init() {
	register("caps-exec", capsExecHelper)
	register("as-user", asUserHelper)
	register("own-proc", ownProcHelper)
	register("enter", enterHelper)
	register("no-proc", noProcHelper)
	register("rmcwd-exec", rmcwdExecHelper)
}

// capNames are the capabilities caps-exec can be told to keep.
var capNames = map[string]uintptr{
	"CHOWN": 0, "DAC_OVERRIDE": 1, "FOWNER": 3, "KILL": 5, "SETGID": 6,
	"SETUID": 7, "SETPCAP": 8, "SYS_ADMIN": 21,
}

// capsExecHelper execs ARGV as root with only the listed capabilities, as
// `docker run --cap-drop ALL --cap-add SETUID --cap-add SETGID` does: the
// others leave the bounding set (so the exec, as root, cannot get them
// back) and the effective, permitted and inheritable sets.
//
//	caps-exec -keep SETUID,SETGID -- ARGV...
func capsExecHelper(args []string) int {
	fs := flag.NewFlagSet("caps-exec", flag.ContinueOnError)
	keepList := fs.String("keep", "", "comma-separated capabilities to keep, without CAP_")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	argv := fs.Args()
	if len(argv) == 0 {
		fmt.Fprintln(os.Stderr, "caps-exec: no ARGV")
		return 2
	}
	var keep uint64
	for _, name := range strings.Split(*keepList, ",") {
		if name == "" {
			continue
		}
		c, ok := capNames[name]
		if !ok {
			fmt.Fprintf(os.Stderr, "caps-exec: unknown capability %q\n", name)
			return 2
		}
		keep |= 1 << c
	}
	runtime.LockOSThread()
	// Every capability the kernel knows, up to the first it refuses.
	for c := uintptr(0); c < 64; c++ {
		if keep&(1<<c) != 0 {
			continue
		}
		if err := unix.Prctl(unix.PR_CAPBSET_DROP, c, 0, 0, 0); err == unix.EINVAL {
			break
		} else if err != nil {
			fmt.Fprintf(os.Stderr, "caps-exec: drop %d from the bounding set: %v\n", c, err)
			return 2
		}
	}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	for i := range data {
		v := uint32(keep >> (32 * i))
		data[i] = unix.CapUserData{Effective: v, Permitted: v, Inheritable: v}
	}
	if err := unix.Capset(&hdr, &data[0]); err != nil {
		fmt.Fprintln(os.Stderr, "caps-exec: capset:", err)
		return 2
	}
	if err := unix.Prctl(unix.PR_CAP_AMBIENT, unix.PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0); err != nil {
		fmt.Fprintln(os.Stderr, "caps-exec: clear ambient:", err)
		return 2
	}
	err := syscall.Exec(argv[0], argv, os.Environ())
	fmt.Fprintln(os.Stderr, "caps-exec: exec:", err)
	return 2
}

// asUserHelper execs ARGV as UID:GID with no supplementary groups, the
// way `docker run --user UID:GID` starts the entrypoint: nothing of root
// is left, no capability either.
//
//	as-user UID GID -- ARGV...
func asUserHelper(args []string) int {
	if len(args) < 4 || args[2] != "--" {
		fmt.Fprintln(os.Stderr, "as-user: want UID GID -- ARGV...")
		return 2
	}
	uid, err1 := strconv.Atoi(args[0])
	gid, err2 := strconv.Atoi(args[1])
	if err1 != nil || err2 != nil {
		fmt.Fprintln(os.Stderr, "as-user: bad UID or GID")
		return 2
	}
	argv := args[3:]
	// The syscall package applies these to every thread of the process.
	if err := syscall.Setgroups(nil); err != nil {
		fmt.Fprintln(os.Stderr, "as-user: setgroups:", err)
		return 2
	}
	if err := syscall.Setgid(gid); err != nil {
		fmt.Fprintln(os.Stderr, "as-user: setgid:", err)
		return 2
	}
	if err := syscall.Setuid(uid); err != nil {
		fmt.Fprintln(os.Stderr, "as-user: setuid:", err)
		return 2
	}
	err := syscall.Exec(argv[0], argv, os.Environ())
	fmt.Fprintln(os.Stderr, "as-user: exec:", err)
	return 2
}

// ownProcHelper is PID 1 of a new PID namespace: it mounts a /proc of
// that namespace in a private mount namespace, as a container runtime
// does, then execs ARGV (pidone), which stays PID 1 and sees its own
// processes in /proc.
//
//	own-proc ARGV...
func ownProcHelper(args []string) int {
	if os.Getpid() != 1 {
		fmt.Fprintln(os.Stderr, "own-proc: not PID 1 of a new PID namespace")
		return 2
	}
	runtime.LockOSThread()
	if err := unix.Unshare(unix.CLONE_NEWNS); err != nil {
		fmt.Fprintln(os.Stderr, "own-proc: unshare:", err)
		return 2
	}
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		fmt.Fprintln(os.Stderr, "own-proc: make / private:", err)
		return 2
	}
	if err := unix.Mount("proc", "/proc", "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, ""); err != nil {
		fmt.Fprintln(os.Stderr, "own-proc: mount /proc:", err)
		return 2
	}
	err := syscall.Exec(args[0], args, os.Environ())
	fmt.Fprintln(os.Stderr, "own-proc: exec:", err)
	return 2
}

// enterHelper runs ARGV inside the PID namespace of process PID the way
// docker exec (runc) and nsenter do: this process joins the namespace for
// its children only, and forks ARGV into it. ARGV's parent is this
// process, outside the namespace, so inside ARGV shows parent pid 0 and
// is no child of the namespace's PID 1. Once ARGV has ended, its status
// goes to STATUSFILE: "exited N" or "signaled N".
//
//	enter PID STATUSFILE -- ARGV...
func enterHelper(args []string) int {
	if len(args) < 4 || args[2] != "--" {
		fmt.Fprintln(os.Stderr, "enter: want PID STATUSFILE -- ARGV...")
		return 2
	}
	statusFile, argv := args[1], args[3:]
	runtime.LockOSThread()
	fd, err := unix.Open("/proc/"+args[0]+"/ns/pid", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, "enter:", err)
		return 2
	}
	if err := unix.Setns(fd, unix.CLONE_NEWPID); err != nil {
		fmt.Fprintln(os.Stderr, "enter: setns:", err)
		return 2
	}
	unix.Close(fd)
	path, err := exec.LookPath(argv[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "enter:", err)
		return 2
	}
	// The fork must come from this thread, the one that joined.
	pid, err := syscall.ForkExec(path, argv, &syscall.ProcAttr{Env: os.Environ(), Files: []uintptr{0, 1, 2}})
	if err != nil {
		fmt.Fprintln(os.Stderr, "enter: start:", err)
		return 2
	}
	var ws syscall.WaitStatus
	for {
		_, err := syscall.Wait4(pid, &ws, 0, nil)
		if err != syscall.EINTR {
			break
		}
	}
	status := fmt.Sprintf("exited %d\n", ws.ExitStatus())
	if ws.Signaled() {
		status = fmt.Sprintf("signaled %d\n", int(ws.Signal()))
	}
	if err := os.WriteFile(statusFile, []byte(status), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "enter:", err)
		return 2
	}
	return 0
}

// noProcHelper execs ARGV (pidone) where /proc is not mounted: a private
// mount namespace in which /proc, and everything below it, is detached.
// Some minimal sandboxes and misconfigured runtimes look like this.
//
//	no-proc ARGV...
func noProcHelper(args []string) int {
	runtime.LockOSThread()
	if err := unix.Unshare(unix.CLONE_NEWNS); err != nil {
		fmt.Fprintln(os.Stderr, "no-proc: unshare:", err)
		return 2
	}
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		fmt.Fprintln(os.Stderr, "no-proc: make / private:", err)
		return 2
	}
	if err := unix.Unmount("/proc", unix.MNT_DETACH); err != nil {
		fmt.Fprintln(os.Stderr, "no-proc: umount /proc:", err)
		return 2
	}
	if _, err := os.Stat("/proc/self"); err == nil {
		fmt.Fprintln(os.Stderr, "no-proc: /proc is still there")
		return 2
	}
	err := syscall.Exec(args[0], args, os.Environ())
	fmt.Fprintln(os.Stderr, "no-proc: exec:", err)
	return 2
}

// rmcwdExecHelper execs ARGV in DIR after DIR has been removed, as after
// `cd DIR && rmdir "$PWD"` in a shell (so PWD names it, as a shell's cd
// leaves it).
//
//	rmcwd-exec DIR -- ARGV...
func rmcwdExecHelper(args []string) int {
	if len(args) < 3 || args[1] != "--" {
		fmt.Fprintln(os.Stderr, "rmcwd-exec: want DIR -- ARGV...")
		return 2
	}
	dir, argv := args[0], args[2:]
	// chdir applies to the whole process (the threads share it).
	if err := os.Chdir(dir); err != nil {
		fmt.Fprintln(os.Stderr, "rmcwd-exec:", err)
		return 2
	}
	if err := os.Remove(dir); err != nil {
		fmt.Fprintln(os.Stderr, "rmcwd-exec:", err)
		return 2
	}
	os.Setenv("PWD", dir)
	err := syscall.Exec(argv[0], argv, os.Environ())
	fmt.Fprintln(os.Stderr, "rmcwd-exec: exec:", err)
	return 2
}
