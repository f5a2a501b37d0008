package main

// Helper programs for the integration tests. pidone starts this test
// binary again with PIDONE_TEST_HELPER=1; the first argument picks the
// helper. Each one does one thing a real workload does to an init.

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"github.com/pidone/pidone/internal/signals"
	"golang.org/x/sys/unix"
)

// helpers maps a helper's name to the function that is it. Each file of
// helpers adds its own in an init function; runHelper refuses any name
// that is not there.
var helpers = map[string]func(args []string) int{}

// register adds a helper; a name used twice is a mistake of the tests.
func register(name string, fn func(args []string) int) {
	if _, dup := helpers[name]; dup {
		panic("helper registered twice: " + name)
	}
	helpers[name] = fn
}

func runHelper(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "helper: no name")
		return 2
	}
	fn, ok := helpers[args[0]]
	if !ok {
		fmt.Fprintf(os.Stderr, "helper: unknown %q\n", args[0])
		return 2
	}
	return fn(args[1:])
}

func init() {
	register("record", recordHelper)
	register("dirty-exec", dirtyExecHelper)
	register("ignore-hup-exec", func(args []string) int {
		// Start pidone with SIGHUP ignored, as nohup does.
		signal.Ignore(syscall.SIGHUP)
		err := syscall.Exec(args[0], args, os.Environ())
		fmt.Fprintln(os.Stderr, "exec:", err)
		return 2
	})
	register("fds", fdsHelper)
	register("parent-dies", parentDiesHelper)
	register("fill-fds", fillFdsHelper)
	register("lines", linesHelper)
	register("argv", func(args []string) int {
		for _, a := range args {
			fmt.Println(a)
		}
		return 0
	})
	register("count", countHelper)
	register("orphans", orphansHelper)
	register("with-etc", withEtcHelper)
	register("exit", func(args []string) int {
		n, _ := strconv.Atoi(args[0])
		return n
	})
}

// fillFdsHelper starts pidone with every descriptor from 3 to 1023 open,
// as a careless parent (or a big server re-executing) might. Raw system
// calls only, and over the runtime's own descriptors too: the exec follows
// at once.
//
//	fill-fds ARGV...
func fillFdsHelper(args []string) int {
	null, err := unix.Open(os.DevNull, unix.O_RDONLY, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	for fd := 3; fd < 1024; fd++ {
		if fd != null {
			if err := unix.Dup2(null, fd); err != nil { // no close-on-exec
				fmt.Fprintln(os.Stderr, err)
				return 2
			}
		}
	}
	unix.FcntlInt(uintptr(null), unix.F_SETFD, 0)
	err = syscall.Exec(args[0], args, os.Environ())
	fmt.Fprintln(os.Stderr, "exec:", err)
	return 2
}

// recordHelper records every signal it receives in a file, one line per
// signal: the number and the time in nanoseconds. Its first line is
// "start PID TIME" at once, then "ready PID PGID TIME" once it is ready
// (after -delay and what the readiness flags ask) and listens for signals.
//
//	record FILE [-die-on TERM,INT] [-exit N] [-linger D] [-child FILE2] [-setsid]
func recordHelper(args []string) int {
	fs := flag.NewFlagSet("record", flag.ContinueOnError)
	dieOn := fs.String("die-on", "TERM", "signals that end the recorder (\"\" for none)")
	exitCode := fs.Int("exit", -1, "exit with this status instead of dying of the signal")
	linger := fs.Duration("linger", 0, "wait this long after a deadly signal before ending")
	child := fs.String("child", "", "also start a recorder child writing to this file")
	setsid := fs.Bool("setsid", false, "leave the process group (and session) first")
	// What a service does to become ready, after -delay: the readiness
	// checks of PIDONE_READY look for these.
	delay := fs.Duration("delay", 0, "wait this long before becoming ready")
	listen := fs.String("listen", "", "listen on this TCP address once ready")
	touch := fs.String("touch", "", "create this file once ready")
	say := fs.String("say", "", "print this line on stdout once ready")
	notify := fs.Bool("notify", false, "send READY=1 to $NOTIFY_SOCKET once ready")
	file := args[0]
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if *setsid {
		if _, err := unix.Setsid(); err != nil {
			fmt.Fprintln(os.Stderr, "setsid:", err)
			return 2
		}
	}
	deadly := map[syscall.Signal]bool{}
	for _, name := range strings.Split(*dieOn, ",") {
		if name == "" {
			continue
		}
		sig, err := signals.Parse(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		deadly[sig] = true
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ch := make(chan os.Signal, 4096)
	signal.Notify(ch, signals.Forwarded()...)
	if *child != "" {
		argv := []string{selfBinOrArg0(), "record", *child, "-die-on", *dieOn}
		if _, err := syscall.ForkExec(argv[0], argv, &syscall.ProcAttr{
			Env: os.Environ(), Files: []uintptr{0, 1, 2},
		}); err != nil {
			fmt.Fprintln(os.Stderr, "start child:", err)
			return 2
		}
	}
	fmt.Fprintf(f, "start %d %d\n", os.Getpid(), time.Now().UnixNano())
	time.Sleep(*delay) // a slow start, not synchronisation
	if *listen != "" {
		l, err := net.Listen("tcp", *listen)
		if err != nil {
			fmt.Fprintln(os.Stderr, "listen:", err)
			return 2
		}
		go func() {
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				c.Close()
			}
		}()
	}
	if *touch != "" {
		os.WriteFile(*touch, nil, 0o644)
	}
	if *say != "" {
		fmt.Println(*say)
	}
	if *notify {
		addr := os.Getenv("NOTIFY_SOCKET")
		c, err := net.Dial("unixgram", addr)
		if err != nil {
			fmt.Fprintln(os.Stderr, "notify:", err)
			return 2
		}
		c.Write([]byte("STATUS=almost\nREADY=1\n"))
		c.Close()
	}
	fmt.Fprintf(f, "ready %d %d %d\n", os.Getpid(), unix.Getpgrp(), time.Now().UnixNano())
	for s := range ch {
		sig := s.(syscall.Signal)
		fmt.Fprintf(f, "%d %d\n", int(sig), time.Now().UnixNano())
		if !deadly[sig] {
			continue
		}
		if *linger > 0 {
			time.Sleep(*linger) // the helper's own shutdown work
		}
		if *exitCode >= 0 {
			return *exitCode
		}
		dieOf(sig)
		return 1
	}
	return 0
}

// dieOf ends the process by sig's default action, so its parent sees
// "killed by sig". signal.Reset is not enough: for SIGQUIT and the like
// the Go runtime's own default is a goroutine dump and exit(2).
func dieOf(sig syscall.Signal) {
	_ = unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{})
	dfl := struct {
		handler, flags, restorer uintptr
		mask                     uint64
	}{} // SIG_DFL
	signal.Reset(sig)
	unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(sig), uintptr(unsafe.Pointer(&dfl)), 0, 8, 0, 0)
	_ = unix.Kill(os.Getpid(), sig)
	time.Sleep(time.Second) // the signal is on its way
}

func selfBinOrArg0() string {
	if p, err := os.Executable(); err == nil {
		return p
	}
	return os.Args[0]
}

// dirtyExecHelper starts pidone the way a careless parent would: with
// SIGINT and signal 33 ignored and SIGUSR1 and SIGHUP blocked.
//
//	dirty-exec PIDONE ARGS...
func dirtyExecHelper(args []string) int {
	runtime.LockOSThread()
	signal.Ignore(syscall.SIGINT)
	ign := struct {
		handler, flags, restorer uintptr
		mask                     uint64
	}{handler: 1} // SIG_IGN
	unix.RawSyscall6(unix.SYS_RT_SIGACTION, 33, uintptr(unsafe.Pointer(&ign)), 0, 8, 0, 0)
	var set unix.Sigset_t
	set.Val[0] = 1<<(unix.SIGUSR1-1) | 1<<(unix.SIGHUP-1)
	if err := unix.PthreadSigmask(unix.SIG_BLOCK, &set, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	err := syscall.Exec(args[0], args, os.Environ())
	fmt.Fprintln(os.Stderr, "exec:", err)
	return 2
}

// orphansHelper starts N short-lived children and exits without waiting
// for them, so that they become orphans of pidone.
//
//	orphans N [CMD...]   (CMD defaults to /bin/true)
func orphansHelper(args []string) int {
	n, _ := strconv.Atoi(args[0])
	argv := args[1:]
	if len(argv) == 0 {
		argv = []string{"/bin/true"}
	}
	for i := 0; i < n; i++ {
		if _, err := syscall.ForkExec(argv[0], argv, &syscall.ProcAttr{Env: os.Environ(), Files: []uintptr{0, 1, 2}}); err != nil {
			fmt.Fprintln(os.Stderr, "fork:", err)
			return 1
		}
	}
	return 0
}

// fdsHelper prints its open descriptors (found with fcntl, which opens
// nothing itself), its working directory from getcwd(2), then its
// environment, one variable per line; then it writes "ready" in FILE and
// waits for SIGTERM.
//
//	fds FILE
func fdsHelper(args []string) int {
	var fds []string
	for fd := 0; fd < 1024; fd++ {
		if _, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err != nil {
			continue
		}
		// The Go runtime (1.25 on) opens its cgroup's CPU limit files
		// itself at start, to size GOMAXPROCS: those are the helper's.
		if target, _ := os.Readlink(fmt.Sprintf("/proc/self/fd/%d", fd)); strings.HasPrefix(target, "/sys/fs/cgroup/") {
			continue
		}
		fds = append(fds, strconv.Itoa(fd))
	}
	wd, err := syscall.Getwd()
	if err != nil {
		wd = "error: " + err.Error()
	}
	fmt.Printf("%s\n%s\n%s\n", strings.Join(fds, " "), wd, strings.Join(os.Environ(), "\n"))
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	if err := os.WriteFile(args[0], []byte(fmt.Sprintf("ready %d %d\n", os.Getpid(), unix.Getpgrp())), 0o644); err != nil {
		return 2
	}
	<-ch
	return 0
}

// parentDiesHelper starts ARGV (pidone) as its child, writes the child's
// pid to PIDFILE, waits until GOFILE exists, then exits, so that the child
// sees its parent die.
//
//	parent-dies PIDFILE GOFILE ARGV...
func parentDiesHelper(args []string) int {
	pid, err := syscall.ForkExec(args[2], args[2:], &syscall.ProcAttr{Env: os.Environ(), Files: []uintptr{0, 1, 2}})
	if err != nil {
		fmt.Fprintln(os.Stderr, "start:", err)
		return 2
	}
	if err := os.WriteFile(args[0], []byte(strconv.Itoa(pid)), 0o644); err != nil {
		return 2
	}
	for {
		if _, err := os.Stat(args[1]); err == nil {
			return 0
		}
		time.Sleep(5 * time.Millisecond) // a test helper polling for its cue
	}
}

// withEtcHelper execs ARGV (pidone) in a private mount namespace where
// PASSWD and GROUP are bind-mounted over /etc/passwd and /etc/group, so
// the --user tests see fixture accounts and the machine's files are never
// touched. -groups first sets the supplementary groups ARGV starts with
// (as docker gives root 0,1,2,3,4,6,10,11,20,26,27), so that a test can
// tell whether they leak to the processes.
//
//	with-etc [-groups GID,...] PASSWD GROUP -- ARGV...
func withEtcHelper(args []string) int {
	fs := flag.NewFlagSet("with-etc", flag.ContinueOnError)
	groups := fs.String("groups", "", "comma-separated supplementary groups to exec ARGV with")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	rest := fs.Args()
	if len(rest) < 4 || rest[2] != "--" {
		fmt.Fprintln(os.Stderr, "with-etc: want [-groups GID,...] PASSWD GROUP -- ARGV...")
		return 2
	}
	passwd, group, argv := rest[0], rest[1], rest[3:]
	// unshare(2) and the mounts apply to this thread; the exec below must
	// come from it too, so that pidone starts in the new namespace.
	runtime.LockOSThread()
	if err := unix.Unshare(unix.CLONE_NEWNS); err != nil {
		fmt.Fprintln(os.Stderr, "with-etc: unshare:", err)
		return 2
	}
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		fmt.Fprintln(os.Stderr, "with-etc: make / private:", err)
		return 2
	}
	for _, m := range [][2]string{{passwd, "/etc/passwd"}, {group, "/etc/group"}} {
		if err := unix.Mount(m[0], m[1], "", unix.MS_BIND, ""); err != nil {
			fmt.Fprintf(os.Stderr, "with-etc: bind %s over %s: %v\n", m[0], m[1], err)
			return 2
		}
	}
	if *groups != "" {
		var gids []int
		for _, s := range strings.Split(*groups, ",") {
			g, err := strconv.Atoi(s)
			if err != nil {
				fmt.Fprintln(os.Stderr, "with-etc: -groups:", err)
				return 2
			}
			gids = append(gids, g)
		}
		if err := syscall.Setgroups(gids); err != nil {
			fmt.Fprintln(os.Stderr, "with-etc: setgroups:", err)
			return 2
		}
	}
	err := syscall.Exec(argv[0], argv, os.Environ())
	fmt.Fprintln(os.Stderr, "with-etc: exec:", err)
	return 2
}

// linesHelper writes N numbered lines of the given width to stdout as
// fast as it can, then TAIL without a newline, then exits with CODE.
//
//	lines N WIDTH TAIL [CODE]
func linesHelper(args []string) int {
	n, _ := strconv.Atoi(args[0])
	width, _ := strconv.Atoi(args[1])
	w := bufio.NewWriterSize(os.Stdout, 64<<10)
	pad := strings.Repeat("x", max(width-9, 0))
	for i := 0; i < n; i++ {
		fmt.Fprintf(w, "%08d %s\n", i, pad)
	}
	w.WriteString(args[2])
	w.Flush()
	if len(args) > 3 {
		code, _ := strconv.Atoi(args[3])
		return code
	}
	return 0
}

// countHelper adds one to the counter in FILE and exits with the status
// listed for this run (the last one for every later run).
//
//	count FILE STATUS...
func countHelper(args []string) int {
	b, _ := os.ReadFile(args[0])
	n, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	n++
	os.WriteFile(args[0], []byte(strconv.Itoa(n)), 0o644)
	codes := args[1:]
	code, _ := strconv.Atoi(codes[min(n, len(codes))-1])
	return code
}
