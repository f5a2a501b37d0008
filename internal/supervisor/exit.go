package supervisor

import (
	"fmt"

	"github.com/pidone/pidone/internal/signals"
	"golang.org/x/sys/unix"
)

// Exited handles the exit of a process, given its wait status. It
// reports false for a pid that is not one of the processes pidone started
// (an orphan, a readiness check): the caller deals with those.
func (m *Machine) Exited(pid int, ws unix.WaitStatus) bool {
	p := m.byPid[pid]
	if p == nil {
		return false
	}
	delete(m.byPid, pid)
	code := signals.ExitCode(ws)
	attrs := []any{"name", p.Name, "pid", p.Pid, "status", code}
	if ws.Signaled() {
		attrs = append(attrs, "signal", signals.Name(ws.Signal()))
	}
	m.log.Info("exited", attrs...)
	p.Pid, p.LastStatus, p.probing = 0, code, false
	m.w.Unprobe(p)
	m.onExit(p, code)
	m.settle()
	return true
}

// onExit decides what p's exit means.
func (m *Machine) onExit(p *Process, code int) {
	switch {
	case p.held:
		// Stopped on request: its exit ends nothing.
		m.set(p, Stopped)
		m.answerStopped(p)
		if p.again && !m.phase.stopping() {
			p.again, p.held = false, false
			p.Restarts++
			m.startOrWait(p)
		}
	case m.phase.stopping():
		m.final(p, code)
		m.stopInOrder()
	case m.restartDue(p, code):
		m.backOff(p, fmt.Sprintf("exited with status %d", code))
	default:
		m.final(p, code)
		m.onFinal(p, code)
	}
}

// restartDue applies p's restart policy and its limit to an exit.
func (m *Machine) restartDue(p *Process, code int) bool {
	switch {
	case p.Restart == Never:
		return false
	case code == 0 && (p.Restart == OnFailure || p.OneShot):
		return false
	}
	if m.w.Now().Sub(p.Since) >= stableRun {
		// A run that lasted resets the back-off and the count.
		p.inRow, p.backoff = 0, 0
	}
	if p.MaxRestarts > 0 && p.inRow >= p.MaxRestarts {
		m.log.Warn("restart limit reached, this exit is final", "name", p.Name, "restarts", p.inRow)
		return false
	}
	return true
}

// backOff schedules p's restart: 250 ms, then twice as long each time up
// to 30 s.
func (m *Machine) backOff(p *Process, why string) {
	if p.backoff == 0 {
		p.backoff = backoffFirst
	} else {
		p.backoff = min(2*p.backoff, backoffMax)
	}
	p.inRow++
	p.due = m.w.Now().Add(p.backoff)
	m.set(p, BackingOff)
	m.log.Info("restarting", "name", p.Name, "reason", why, "delay", p.backoff.String())
}

// restart starts p again once its back-off is over.
func (m *Machine) restart(p *Process) {
	p.Restarts++
	m.startOrWait(p)
}

// final records p's final exit. While a signal to pidone stops the
// container, pidone's status is the first non-zero final status in the
// order the processes exited.
func (m *Machine) final(p *Process, code int) {
	if code >= 0 && m.reported(code) == 0 {
		m.set(p, Completed)
	} else {
		m.set(p, Failed)
	}
	if code >= 0 && !m.statusFixed && m.status == 0 {
		m.status = m.reported(code)
	}
}

// onFinal decides what a final exit outside a stop means for the
// container: a one-shot or an on-failure service that exits 0 has done its
// job and ends nothing (and when all have, pidone exits 0); any other
// final exit begins the stop with its status.
func (m *Machine) onFinal(p *Process, code int) {
	done := code == 0 && (p.OneShot || p.Restart == OnFailure)
	if !done {
		m.status, m.statusFixed = m.reported(code), true
		m.beginStop(m.cfg.StopSignal, false)
		return
	}
	m.startReady()
	if m.allCompleted() {
		m.status, m.statusFixed = 0, true
		m.beginStop(m.cfg.StopSignal, false)
	}
}

func (m *Machine) allCompleted() bool {
	for _, p := range m.procs {
		if p.State != Completed {
			return false
		}
	}
	return true
}
