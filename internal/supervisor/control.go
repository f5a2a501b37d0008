package supervisor

import (
	"errors"
	"time"

	"github.com/pidone/pidone/internal/signals"
	"golang.org/x/sys/unix"
)

// Statuses of --ctl replies.
const (
	ctlOK     = 0
	ctlFailed = 1
	ctlUsage  = 2
)

// Verbs of --ctl that act on one process.
const (
	VerbRestart = "restart"
	VerbStop    = "stop"
	VerbStart   = "start"
	VerbSignal  = "signal"
)

// ProcessStatus is one line of --ctl status.
type ProcessStatus struct {
	Name       string
	Pid        int
	State      string
	Restarts   int
	Uptime     time.Duration // 0 when not running
	LastStatus int           // -1 before the first exit
}

// Snapshot is what --ctl status shows: the phase, every process, and
// whether the container is healthy (no stop in progress and every service
// ready or done).
func (m *Machine) Snapshot() (phase string, procs []ProcessStatus, healthy bool) {
	now := m.w.Now()
	healthy = !m.phase.stopping()
	for _, p := range m.procs {
		st := ProcessStatus{Name: p.Name, Pid: p.Pid, State: p.State.String(), Restarts: p.Restarts, LastStatus: p.LastStatus}
		if p.running() {
			st.Uptime = now.Sub(p.Since)
		}
		procs = append(procs, st)
		if !p.OneShot && p.State != Ready && p.State != Completed {
			healthy = false
		}
	}
	return m.phase.String(), procs, healthy
}

// Control carries out a --ctl verb on the process called name; reply is
// called once, now or when the process has stopped or started (restart,
// stop). Requests become events of the loop like any other: process state
// has one owner.
func (m *Machine) Control(verb, name string, sig unix.Signal, reply Reply) {
	p := m.find(name)
	switch {
	case p == nil:
		reply(ctlUsage, "no process named "+name)
	case verb == VerbSignal:
		// Forwarded signals still reach the processes during a drain and
		// a stop; so does this one.
		m.ctlSignal(p, sig, reply)
	case m.phase.stopping():
		reply(ctlFailed, "pidone is stopping")
	case verb == VerbStop:
		m.ctlStop(p, false, reply)
	case verb == VerbRestart:
		m.ctlStop(p, true, reply)
	case verb == VerbStart:
		m.ctlStart(p, reply)
	default:
		reply(ctlUsage, "unknown verb "+verb)
	}
	m.settle()
}

func (m *Machine) find(name string) *Process {
	for _, p := range m.procs {
		if p.Name == name {
			return p
		}
	}
	return nil
}

func (m *Machine) ctlSignal(p *Process, sig unix.Signal, reply Reply) {
	if !p.running() {
		reply(ctlFailed, p.Name+" is not running ("+p.State.String()+")")
		return
	}
	if err := m.w.Signal(p, sig); err != nil && !errors.Is(err, unix.ESRCH) {
		reply(ctlFailed, "cannot send "+signals.Name(sig)+" to "+p.Name+": "+err.Error())
		return
	}
	reply(ctlOK, "")
}

// ctlStop stops p with its stop signal and, after the grace period,
// SIGKILL, without its exit counting as one that ends the container. With
// again, p is started once it has exited (restart).
func (m *Machine) ctlStop(p *Process, again bool, reply Reply) {
	switch {
	case p.running():
		p.held, p.again = true, again
		if again {
			p.onStarted = append(p.onStarted, reply)
		} else {
			p.onStopped = append(p.onStopped, reply)
		}
		if m.cfg.GracePeriod > 0 && p.killAt.IsZero() {
			p.killAt = m.w.Now().Add(m.cfg.GracePeriod)
		}
		if !p.stopSent {
			p.stopSent = true
			m.signal(p, m.stopSignalOf(p))
		}
	case again:
		p.held = false
		p.onStarted = append(p.onStarted, reply)
		p.Restarts++
		m.startOrWait(p)
	default:
		if p.State == Waiting || p.State == BackingOff {
			m.set(p, Stopped)
		}
		p.held = true
		reply(ctlOK, p.Name+" is "+p.State.String())
	}
}

// ctlStart starts a process that was stopped on request, or that has
// finished, by the rules of what it starts after.
func (m *Machine) ctlStart(p *Process, reply Reply) {
	switch {
	case p.running() || p.State == BackingOff:
		reply(ctlOK, p.Name+" is already "+p.State.String())
	case p.State == Waiting && !p.held:
		reply(ctlOK, p.Name+" is waiting")
	default:
		p.held = false
		p.onStarted = append(p.onStarted, reply)
		m.startOrWait(p)
	}
}

// answerStopped answers the requests that waited for p to have exited.
func (m *Machine) answerStopped(p *Process) {
	for _, r := range p.onStopped {
		r(ctlOK, "")
	}
	p.onStopped = nil
	p.killAt = time.Time{}
}

// answerStarted answers the requests that waited for p to run again.
func (m *Machine) answerStarted(p *Process, status int, msg string) {
	for _, r := range p.onStarted {
		r(status, msg)
	}
	p.onStarted = nil
}
