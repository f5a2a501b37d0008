package main

import (
	"errors"
	"fmt"
	"github.com/pidone/pidone/internal/procfs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// proc is a process the bench started. One goroutine waits for it, so
// its exit time is recorded the moment wait4 returns.
type proc struct {
	pid    int
	start  time.Time
	end    time.Time
	status syscall.WaitStatus
	exited chan struct{}
}

// group owns every process a measurement starts: kill() ends each one
// that is still running, by pid, and waits for it. Every measurement
// defers it, so nothing outlives a measurement, even on error.
type group struct {
	mu    sync.Mutex
	procs []*proc
}

// spawnOpts describe how to start a process.
type spawnOpts struct {
	newPID bool     // PID 1 of a new PID namespace
	stdin  *os.File // nil: /dev/null
	stdout *os.File // nil: /dev/null
	stderr *os.File // nil: /dev/null
	extra  []*os.File
	env    []string // added to the bench's environment
}

var devNull = func() *os.File {
	f, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		panic(err)
	}
	return f
}()

// spawn starts argv (argv[0] an absolute path) and returns at once.
func (g *group) spawn(argv []string, o spawnOpts) (*proc, error) {
	or := func(f *os.File) uintptr {
		if f == nil {
			return devNull.Fd()
		}
		return f.Fd()
	}
	files := []uintptr{or(o.stdin), or(o.stdout), or(o.stderr)}
	for _, f := range o.extra {
		files = append(files, f.Fd())
	}
	sys := &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if o.newPID {
		sys.Cloneflags = syscall.CLONE_NEWPID
	}
	p := &proc{exited: make(chan struct{})}
	p.start = time.Now()
	pid, err := syscall.ForkExec(argv[0], argv, &syscall.ProcAttr{
		Env: append(os.Environ(), o.env...), Files: files, Sys: sys,
	})
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", argv[0], err)
	}
	p.pid = pid
	g.mu.Lock()
	g.procs = append(g.procs, p)
	g.mu.Unlock()
	go func() {
		for {
			_, err := syscall.Wait4(pid, &p.status, 0, nil)
			if err == syscall.EINTR {
				continue
			}
			break
		}
		p.end = time.Now()
		close(p.exited)
	}()
	return p, nil
}

// wait waits for p's exit, at most timeout, and returns the wall time
// from spawn to exit.
func (p *proc) wait(timeout time.Duration) (time.Duration, error) {
	select {
	case <-p.exited:
		return p.end.Sub(p.start), nil
	case <-time.After(timeout):
		return 0, fmt.Errorf("pid %d still running after %v", p.pid, timeout)
	}
}

func (p *proc) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// describe formats an exit status.
func (p *proc) describe() string {
	switch {
	case p.status.Exited():
		return fmt.Sprintf("exit status %d", p.status.ExitStatus())
	case p.status.Signaled():
		return "killed by " + p.status.Signal().String()
	}
	return fmt.Sprintf("status %#x", uint32(p.status))
}

// kill sends SIGKILL to every process of the group still running and waits
// for each. For a PID 1 of a new PID namespace, the kernel then kills every
// process of that namespace.
func (g *group) kill() {
	g.mu.Lock()
	procs := g.procs
	g.procs = nil
	g.mu.Unlock()
	for _, p := range procs {
		if p.running() {
			_ = syscall.Kill(p.pid, syscall.SIGKILL)
		}
	}
	for _, p := range procs {
		select {
		case <-p.exited:
		case <-time.After(10 * time.Second):
			fmt.Fprintf(os.Stderr, "bench: pid %d did not exit after SIGKILL\n", p.pid)
		}
	}
}

// procStat is the part of /proc/PID/stat the bench uses.
type procStat struct {
	pid   int
	comm  string
	state byte
	ppid  int
	utime uint64 // clock ticks
	stime uint64
}

func readStat(pid int) (procStat, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procStat{}, err
	}
	return parseStat(b)
}

// parseStat parses /proc/PID/stat; comm may hold spaces and parentheses,
// so the fields after it are found from the last ')'.
func parseStat(b []byte) (procStat, error) {
	st, err := procfs.ParseStat(b)
	if err != nil {
		return procStat{}, err
	}
	return procStat{pid: st.Pid, comm: st.Comm, state: st.State, ppid: st.Ppid, utime: st.Utime, stime: st.Stime}, nil
}

// childrenOf scans /proc for the processes whose parent is pid (the kernel
// here has no /proc/PID/task/TID/children).
func childrenOf(pid int) ([]procStat, error) {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	var out []procStat
	for _, e := range ents {
		n, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		st, err := readStat(n)
		if err != nil || st.ppid != pid {
			continue
		}
		out = append(out, st)
	}
	return out, nil
}

// waitChild polls until the process p has a child whose comm is comm.
func waitChild(p *proc, comm string, timeout time.Duration) (int, error) {
	pid := p.pid
	deadline := time.Now().Add(timeout)
	for {
		if !p.running() {
			return 0, fmt.Errorf("init exited (%s) before running %s", p.describe(), comm)
		}
		kids, err := childrenOf(pid)
		if err != nil {
			return 0, err
		}
		for _, k := range kids {
			if k.comm == comm {
				return k.pid, nil
			}
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("no child %q of pid %d after %v", comm, pid, timeout)
		}
		time.Sleep(time.Millisecond)
	}
}

// statusFields reads the "Key: value" lines of /proc/PID/status (or of a
// task's status file).
func statusFields(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseKV(b), nil
}

func parseKV(b []byte) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok {
			m[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return m
}

// kB parses a "1234 kB" value.
func kB(s string) (float64, error) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return 0, errors.New("empty value")
	}
	return strconv.ParseFloat(f[0], 64)
}

// ctxSwitches sums voluntary and nonvoluntary context switches over every
// thread of pid (the process's own status shows only its main thread's).
func ctxSwitches(pid int) (uint64, error) {
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/status", pid))
	if err != nil || len(tasks) == 0 {
		return 0, fmt.Errorf("no tasks for pid %d", pid)
	}
	var sum uint64
	for _, t := range tasks {
		m, err := statusFields(t)
		if err != nil {
			continue // a thread that just exited
		}
		for _, k := range []string{"voluntary_ctxt_switches", "nonvoluntary_ctxt_switches"} {
			n, err := strconv.ParseUint(m[k], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("%s: %s: %q", t, k, m[k])
			}
			sum += n
		}
	}
	return sum, nil
}

// cpuTime sums the time on CPU of every thread of pid, from the first
// field of each task's schedstat (nanoseconds; threads that have exited
// are not counted).
func cpuTime(pid int) (time.Duration, error) {
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	if err != nil || len(tasks) == 0 {
		return 0, fmt.Errorf("no tasks for pid %d", pid)
	}
	var sum int64
	for _, t := range tasks {
		b, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		f := strings.Fields(string(b))
		if len(f) == 0 {
			return 0, fmt.Errorf("%s: empty", t)
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", t, err)
		}
		sum += n
	}
	return time.Duration(sum), nil
}

// readByte waits at most timeout for one byte on the blocking fd.
func readByte(fd int, timeout time.Duration) (byte, error) {
	deadline := time.Now().Add(timeout)
	for {
		left := time.Until(deadline)
		if left < 0 {
			return 0, fmt.Errorf("no reply within %v", timeout)
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(left/time.Millisecond)+1)
		if err == unix.EINTR || n == 0 {
			continue
		}
		if err != nil {
			return 0, err
		}
		var b [1]byte
		m, err := syscall.Read(fd, b[:])
		switch {
		case err == syscall.EINTR || err == syscall.EAGAIN:
			continue
		case err != nil:
			return 0, err
		case m == 0:
			return 0, errors.New("pipe closed")
		}
		return b[0], nil
	}
}

// pipe returns a pipe as two files, both close-on-exec (ForkExec dups the
// ones it is given).
func pipe() (r, w *os.File, err error) {
	var fds [2]int
	if err := syscall.Pipe2(fds[:], syscall.O_CLOEXEC); err != nil {
		return nil, nil, err
	}
	return os.NewFile(uintptr(fds[0]), "pipe-r"), os.NewFile(uintptr(fds[1]), "pipe-w"), nil
}

// pollIn waits at most timeout for fd to be readable.
func pollIn(fd int, timeout time.Duration) (bool, error) {
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, int(timeout/time.Millisecond))
	switch {
	case err == unix.EINTR:
		return false, nil
	case err != nil:
		return false, fmt.Errorf("poll: %w", err)
	}
	return n > 0, nil
}
