package supervisor

import (
	"errors"
	"os"
	"time"

	"github.com/pidone/pidone/internal/launch"
	"github.com/pidone/pidone/internal/logs"
	"github.com/pidone/pidone/internal/output"
	"github.com/pidone/pidone/internal/procfs"
	"golang.org/x/sys/unix"
)

// osWorld is the World of a real run: processes, signals and the clock of
// the kernel. Only the loop goroutine calls it; what it starts in the
// background (readiness checks, watchers) reports back on events.
type osWorld struct {
	self    int
	pid1    bool
	group   bool         // --forward-to group
	out     *output.Out  // nil in single-process mode: processes share pidone's stdout and stderr
	devNull *os.File     // stdin of the processes when out is set; stdin, stdout and stderr of exec checks
	tty     bool         // single process on pidone's terminal: give it the foreground
	log     *logs.Logger // for what happens in the background
	events  chan<- event

	probes    map[int]probeRun         // exec checks running, by pid
	notifiers map[*Process]*notifier   // notify checks waiting, by process
	watched   map[int]*os.File         // pidfds of outsiders, by pid
	cancel    map[*Process]func() bool // timers of exec checks
}

// event is what the background tells the loop.
type event struct {
	kind eventKind
	p    *Process
	run  int
	ok   bool
	pid  int
}

type eventKind int

const (
	evProbed       eventKind = iota // a readiness check of p's run came back
	evProbeTimeout                  // an exec check ran too long: kill pid
	evOutsiderGone                  // a watched process entered from outside has exited
)

// probeRun is one exec check.
type probeRun struct {
	p   *Process
	run int
}

func (w *osWorld) Now() time.Time { return time.Now() }

// Start starts one run of p, with its output through pidone in
// multi-process mode.
func (w *osWorld) Start(p *Process) (int, error) {
	c := &launch.Cmd{Name: p.Name, Argv: p.Argv, Path: p.Path, Env: p.Env, Dir: p.Dir, Cred: p.Cred, Foreground: w.tty}
	if w.out == nil {
		// One process: its errors name the command alone, as those of
		// the lookup before the start do.
		c.Name = ""
	}
	if w.out != nil {
		var onLine func([]byte) bool
		if p.Ready != nil && p.Ready.Kind == CheckLog {
			onLine = w.logMatcher(p, p.Run+1)
		}
		stdout, stderr, err := w.out.Pipes(p.Name, onLine)
		if err != nil {
			return 0, &launch.StartError{Name: p.Name, Cmd: p.Argv[0], Err: err, Status: launch.StatusCannotWork, Transient: true}
		}
		// The process has its own copies once started (or failed to
		// start); pidone's would keep the pipes open and the copiers from
		// seeing the end.
		defer stdout.Close()
		defer stderr.Close()
		c.Stdin, c.Stdout, c.Stderr = w.devNull, stdout, stderr
	}
	if p.Ready != nil && p.Ready.Kind == CheckNotify {
		n, err := w.listenNotify(p, p.Run+1)
		if err != nil {
			return 0, &launch.StartError{Name: p.Name, Cmd: p.Argv[0], Err: err, Status: launch.StatusCannotWork}
		}
		c.Env = append(append([]string(nil), c.Env...), "NOTIFY_SOCKET="+n.name)
		pid, err := launch.Start(c)
		if err != nil {
			n.close()
			return 0, err
		}
		w.notifiers[p] = n
		return pid, nil
	}
	return launch.Start(c)
}

func (w *osWorld) Signal(p *Process, sig unix.Signal) error {
	return launch.Signal(p.Pid, sig, w.group)
}

// SignalOthers signals what pidone did not start. As PID 1 that is every
// other process of the namespace, with one kill(-1), which the kernel
// applies atomically with respect to fork; those entered from outside
// (docker exec: their parent is outside the namespace) are not pidone's
// children, so pidone watches them with pidfds to wait for them. As a
// subreaper it is pidone's descendants only, found in /proc.
func (w *osWorld) SignalOthers(sig unix.Signal) (bool, error) {
	if w.pid1 {
		if err := unix.Kill(-1, sig); errors.Is(err, unix.ESRCH) {
			return false, nil
		}
		// Something got it: children, which the reaper tells about as they
		// exit, or processes from outside, which pidone now watches.
		_, err := w.watchOutsiders()
		return true, err
	}
	pids, err := procfs.Descendants(w.self)
	if err != nil {
		return false, err
	}
	for _, pid := range pids {
		_ = unix.Kill(pid, sig)
	}
	return len(pids) > 0, nil
}

// watchOutsiders starts watching every process of the namespace whose
// parent is outside it. Their descendants need no watching: when such a
// process exits, its orphans come to pidone and are reaped.
func (w *osWorld) watchOutsiders() (bool, error) {
	all, err := procfs.All()
	if err != nil {
		return true, err
	}
	for _, st := range all {
		if st.Ppid != 0 || st.Pid == w.self || w.watched[st.Pid] != nil {
			continue
		}
		f, err := pidfd(st.Pid)
		if err != nil {
			continue // gone already
		}
		w.watched[st.Pid] = f
		go waitPidfd(f, st.Pid, w.events)
	}
	return len(w.watched) > 0, nil
}

// outsiderGone forgets a watched process that has exited.
func (w *osWorld) outsiderGone(pid int) {
	if f := w.watched[pid]; f != nil {
		f.Close()
		delete(w.watched, pid)
	}
}

func (w *osWorld) StopSelf() { _ = unix.Kill(w.self, unix.SIGSTOP) }

func (w *osWorld) Foreground(p *Process) {
	if !w.tty || p.Pid == 0 {
		return
	}
	// Only when pidone's group holds the terminal: after bg it is the
	// shell's, and taking it would steal it from the shell.
	if fg, err := unix.IoctlGetInt(0, unix.TIOCGPGRP); err != nil || fg != unix.Getpgrp() {
		return
	}
	if err := unix.IoctlSetPointerInt(0, unix.TIOCSPGRP, p.Pid); err != nil {
		w.log.Debug("cannot give the terminal back", "name", p.Name, "pid", p.Pid, "err", err)
	}
}

// pidfd opens a pollable descriptor that becomes readable when pid exits.
func pidfd(pid int) (*os.File, error) {
	fd, err := unix.PidfdOpen(pid, unix.PIDFD_NONBLOCK)
	if errors.Is(err, unix.EINVAL) {
		// Before Linux 5.10: no flag, set it afterwards.
		if fd, err = unix.PidfdOpen(pid, 0); err == nil {
			err = unix.SetNonblock(fd, true)
		}
	}
	if err != nil {
		return nil, err
	}
	unix.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), "pidfd"), nil
}

// waitPidfd waits in Go's poller, holding no thread, for the process of
// f to exit.
// An error (the descriptor closed under it) counts as an exit too: pidone
// then stops waiting for it, which is all it can do.
func waitPidfd(f *os.File, pid int, events chan<- event) {
	if rc, err := f.SyscallConn(); err == nil {
		_ = rc.Read(func(fd uintptr) bool {
			fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
			n, _ := unix.Poll(fds, 0)
			return n > 0
		})
	}
	events <- event{kind: evOutsiderGone, pid: pid}
}
