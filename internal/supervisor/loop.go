package supervisor

import (
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/pidone/pidone/internal/catch"
	"github.com/pidone/pidone/internal/ctl"
	"github.com/pidone/pidone/internal/logs"
	"github.com/pidone/pidone/internal/output"
	"github.com/pidone/pidone/internal/reaper"
	"github.com/pidone/pidone/internal/signals"
)

// Run is one run of pidone: what the program set up before the loop
// starts.
type Run struct {
	Config Config
	Specs  []*Spec
	// Signals is where signals arrive (catch.Receive, called first thing
	// in main); those that come before the processes exist wait there.
	Signals *catch.Receiver
	Log     *logs.Logger
	// Out is pidone's stdout and stderr; the caller closes it once Start
	// has returned, which waits for the processes' last output.
	Out *output.Out
	// Prefix sends each process's output through pidone, a line at a time
	// with its name in front (multi-process mode); without it the
	// processes share pidone's stdin, stdout and stderr.
	Prefix bool
	// Group forwards signals to each process's group (--forward-to group).
	Group bool
	// Terminal gives the single process pidone's terminal (its group
	// becomes the foreground group).
	Terminal bool
	// Control carries --ctl requests; nil when there is no control socket.
	Control <-chan *ctl.Call
}

// Start runs the loop until the stop is over and returns pidone's exit
// status. An error means pidone itself cannot work (status 1): it could
// not become a subreaper.
func (r *Run) Start() (int, error) {
	rp, err := reaper.New()
	if err != nil {
		return 1, err
	}
	// A stop at the terminal reaches the process, not pidone: pidone
	// learns of it from wait4 and stops too (Machine.Suspended).
	rp.Stops = r.Terminal && !r.Config.PID1
	events := make(chan event, 256)
	w := &osWorld{
		self: os.Getpid(), pid1: r.Config.PID1, group: r.Group, tty: r.Terminal, log: r.Log, events: events,
		probes: map[int]probeRun{}, notifiers: map[*Process]*notifier{}, watched: map[int]*os.File{},
		cancel: map[*Process]func() bool{},
	}
	if r.Prefix {
		w.out = r.Out
		width := 0
		for _, s := range r.Specs {
			width = max(width, len(s.Name))
		}
		r.Out.SetWidth(width)
	}
	if r.Prefix || anyExecCheck(r.Specs) {
		// Read and write: it is the processes' stdin, and a readiness
		// check's stdout and stderr (curl writing a body to a read-only
		// descriptor fails, and so would the check).
		if w.devNull, err = os.OpenFile(os.DevNull, os.O_RDWR, 0); err != nil {
			return 1, fmt.Errorf("open %s for the processes' stdin: %w", os.DevNull, err)
		}
	}
	l := &loop{m: NewMachine(r.Config, r.Specs, w, r.Log), w: w, reaper: rp, sigs: r.Signals, events: events, ctl: r.Control, log: r.Log}
	l.m.Begin(nil)
	// Orphans may already be there (pidone exec'd into an existing tree),
	// and pause mode must know whether anything is.
	l.reap()
	l.run()
	return l.m.Status(), nil
}

func anyExecCheck(specs []*Spec) bool {
	for _, s := range specs {
		if s.Ready != nil && s.Ready.Kind == CheckExec {
			return true
		}
	}
	return false
}

// loop is the one goroutine that owns the Machine: every event reaches it
// here, and it reads as event → transition → actions.
type loop struct {
	m      *Machine
	w      *osWorld
	reaper *reaper.Reaper
	sigs   *catch.Receiver
	events chan event
	ctl    <-chan *ctl.Call
	log    *logs.Logger
	timer  *time.Timer
}

func (l *loop) run() {
	for !l.m.Done() {
		// A stop and an exit go before anything else that is waiting: a
		// flood of other signals must not delay them.
		select {
		case s := <-l.sigs.Stop:
			l.m.Signal(s.(syscall.Signal))
			continue
		case <-l.sigs.Child:
			l.reap()
			continue
		default:
		}
		select {
		case s := <-l.sigs.Stop:
			l.m.Signal(s.(syscall.Signal))
		case <-l.sigs.Child:
			l.reap()
		case s := <-l.sigs.Other:
			l.m.Signal(s.(syscall.Signal))
		case ev := <-l.events:
			l.handle(ev)
		case call := <-l.ctl:
			l.control(call)
		case <-l.deadline():
			l.m.Tick()
		}
	}
}

// deadline arms the one timer for the machine's next deadline; nil, which
// never fires, when nothing is due. The timer is made only when first
// needed: an idle pidone has none.
func (l *loop) deadline() <-chan time.Time {
	at, ok := l.m.Deadline()
	if !ok {
		return nil
	}
	d := time.Until(at)
	if l.timer == nil {
		l.timer = time.NewTimer(d)
	} else {
		l.timer.Reset(d)
	}
	return l.timer.C
}

// reap collects every exit after a SIGCHLD and hands each to whoever it
// belongs to: the machine (a process it started), a readiness check, or
// nobody (an orphan, only logged).
//
// What remains is told first: by the time an exit is handled, the machine
// must not count the exited process among what is left.
func (l *loop) reap() {
	exits, children := l.reaper.Reap()
	l.m.Remaining(children || len(l.w.watched) > 0)
	for _, e := range exits {
		if e.Status.Stopped() {
			l.m.Suspended(e.Pid, e.Status.StopSignal())
			continue
		}
		if l.m.Exited(e.Pid, e.Status) {
			continue
		}
		if pr, ok, isProbe := l.w.execDone(e.Pid, e.Status); isProbe {
			l.m.Probed(pr.p, pr.run, ok)
			continue
		}
		if l.log.Enabled(logs.LevelDebug) {
			// Checked first: the arguments would cost allocations per
			// orphan in a storm even with the line not written.
			l.log.Debug("reaped", "pid", e.Pid, "status", signals.ExitCode(e.Status))
		}
	}
}

// handle takes what the background reports.
func (l *loop) handle(ev event) {
	switch ev.kind {
	case evProbed:
		l.m.Probed(ev.p, ev.run, ev.ok)
	case evProbeTimeout:
		l.w.killProbe(ev.pid)
	case evOutsiderGone:
		l.w.outsiderGone(ev.pid)
		l.reap()
	}
}

// control hands a --ctl request to the machine, and its answer back.
// Every call is answered: an unanswered one would hold a connection.
func (l *loop) control(call *ctl.Call) {
	req := call.Request
	l.log.Debug("control request", "verb", req.Verb, "name", req.Name, "uid", call.Peer.UID, "pid", call.Peer.PID)
	if req.Verb == ctl.VerbStatus {
		phase, procs, healthy := l.m.Snapshot()
		snap := &ctl.Snapshot{Phase: phase}
		for _, p := range procs {
			snap.Processes = append(snap.Processes, ctl.ProcessStatus{Name: p.Name, Pid: p.Pid, State: p.State,
				Restarts: p.Restarts, Uptime: p.Uptime, LastStatus: p.LastStatus})
		}
		status := ctl.StatusFailed
		if healthy {
			status = ctl.StatusOK
		}
		call.Reply(ctl.Response{Status: status, Snapshot: snap})
		return
	}
	l.m.Control(req.Verb, req.Name, req.Signal, func(status int, msg string) {
		call.Reply(ctl.Response{Status: status, Message: msg})
	})
}
