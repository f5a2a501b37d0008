package supervisor

import (
	"errors"
	"strings"
	"time"

	"github.com/pidone/pidone/internal/launch"
)

// startReady starts, in file order, every waiting process whose
// dependencies are all there, and gives up on those whose dependencies
// never will be. Starting one may make others ready (no readiness check),
// so it goes round until nothing changes.
func (m *Machine) startReady() {
	for changed := true; changed && !m.phase.stopping(); {
		changed = false
		for _, p := range m.procs {
			if p.State != Waiting || p.held {
				continue
			}
			if d := hopelessDep(p); d != nil {
				m.log.Error("cannot start: what it starts after has ended without being ready", "name", p.Name, "after", d.Name)
				p.LastStatus = launch.StatusCannotWork
				m.final(p, launch.StatusCannotWork)
				m.onFinal(p, launch.StatusCannotWork)
				return
			}
			if depsSatisfied(p) {
				m.start(p)
				changed = true
				if m.phase.stopping() {
					return
				}
			}
		}
	}
}

func depsSatisfied(p *Process) bool {
	for _, d := range p.deps {
		if !d.satisfies() {
			return false
		}
	}
	return true
}

func hopelessDep(p *Process) *Process {
	for _, d := range p.deps {
		if d.hopeless() {
			return d
		}
	}
	return nil
}

// startOrWait starts p now, or once what it starts after is there.
func (m *Machine) startOrWait(p *Process) {
	if depsSatisfied(p) {
		m.start(p)
		return
	}
	m.set(p, Waiting)
	p.warnAt, p.warned = m.w.Now().Add(warnFirst), 0
	m.answerStarted(p, 0, p.Name+" waits for "+strings.Join(p.After, ","))
}

// start starts one run of p. A start that fails for lack of resources is
// retried with the back-off when p has run before; any other failure is
// final, with the status the failure owes (127, 126, 1).
func (m *Machine) start(p *Process) {
	pid, err := m.w.Start(p)
	if err != nil {
		var se *launch.StartError
		if errors.As(err, &se) && se.Transient && p.Run > 0 {
			m.log.Warn("cannot start, trying again", "name", p.Name, "err", err)
			m.backOff(p, "could not be started: "+err.Error())
			return
		}
		status := launch.StatusCannotWork
		if se != nil {
			status = se.Status
		}
		m.log.Fail(err.Error())
		p.LastStatus = status
		m.final(p, status)
		m.answerStarted(p, 1, err.Error())
		if !m.phase.stopping() {
			m.status, m.statusFixed = m.reported(status), true
			m.beginStop(m.cfg.StopSignal, false)
		}
		return
	}
	now := m.w.Now()
	p.Pid, p.Since, p.stopSent = pid, now, false
	p.Run++
	m.byPid[pid] = p
	m.log.Info("started", "name", p.Name, "pid", pid)
	m.answerStarted(p, 0, "")
	switch {
	case p.Ready != nil:
		m.set(p, Starting)
		p.due, p.every = now.Add(probeFirst), 2*probeFirst
		p.warnAt, p.warned = now.Add(warnFirst), 0
	case p.OneShot:
		m.set(p, Running)
	default:
		m.becomeReady(p)
	}
}

// becomeReady marks p ready and starts what was waiting for it.
func (m *Machine) becomeReady(p *Process) {
	m.set(p, Ready)
	p.warnAt = time.Time{}
	m.startReady()
}
