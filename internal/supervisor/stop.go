package supervisor

import (
	"github.com/pidone/pidone/internal/signals"
	"golang.org/x/sys/unix"
)

// The steps of a stop, as SPEC.md numbers them: 1 drain, 2 stop signal in
// reverse start order, 3 leftovers, 4 grace period then SIGKILL, 5 exit
// once nothing is left (settle, finish).

// beginDrain is step 1: a SIGTERM is held back while the processes keep
// serving, so that load balancers stop sending them traffic first.
func (m *Machine) beginDrain() {
	m.markStopping(true)
	m.drainEnd = m.stopAt.Add(m.cfg.DrainDelay)
	m.setPhase(PhaseDraining)
	m.log.Info("drain started", "delay", m.cfg.DrainDelay.String())
}

// endDrain forwards the SIGTERM that began the drain and, when a SIGINT
// cut the drain short, that SIGINT after it.
func (m *Machine) endDrain(why string, cut unix.Signal) {
	m.log.Info("drain ended", "reason", why)
	m.stopSig = m.cfg.Rewrite.Apply(unix.SIGTERM)
	m.setPhase(PhaseStopping)
	m.stopInOrder()
	if cut == unix.SIGINT {
		if to := m.cfg.Rewrite.Apply(cut); to != 0 {
			for _, p := range m.procs {
				if p.running() && p.stopSent {
					m.signal(p, to)
				}
			}
		}
	}
}

// beginStop is step 2. sig is what the processes get (the received signal
// after --rewrite, or --stop-signal when pidone stops on its own).
func (m *Machine) beginStop(sig unix.Signal, bySignal bool) {
	if m.phase.stopping() {
		return
	}
	m.markStopping(bySignal)
	m.stopSig = sig
	m.setPhase(PhaseStopping)
	if bySignal {
		m.log.Info("stopping", "signal", signals.Name(sig))
	} else {
		m.log.Info("stopping", "signal", signals.Name(sig), "reason", "a process exited")
	}
	m.stopInOrder()
}

// markStopping records the start of the stop: nothing starts or restarts
// from now on, and the grace period counts from here, drain included.
func (m *Machine) markStopping(bySignal bool) {
	m.bySignal = bySignal
	m.stopAt = m.w.Now()
	for _, p := range m.procs {
		switch p.State {
		case Waiting:
			m.set(p, Stopped)
		case BackingOff:
			// Its last exit becomes final.
			m.final(p, p.LastStatus)
		}
		m.answerStarted(p, 1, "pidone is stopping")
	}
}

// stopInOrder sends each running process its stop signal once every
// process that starts after it (PIDONE_AFTER) has exited: the web server
// stops before the database it needs. Without PIDONE_AFTER all get it at
// once. It runs again after each exit during the stop.
func (m *Machine) stopInOrder() {
	if m.phase != PhaseStopping {
		return
	}
	for _, p := range m.procs {
		if !p.running() || p.stopSent || dependentsAlive(p) {
			continue
		}
		p.stopSent = true
		m.signal(p, m.stopSignalOf(p))
	}
}

func dependentsAlive(p *Process) bool {
	for _, d := range p.dependents {
		if d.running() {
			return true
		}
	}
	return false
}

// stopSignalOf is what a stop sends p: its own PIDONE_STOP_SIGNAL, else
// the stop's signal, else (a --ctl stop) --stop-signal.
func (m *Machine) stopSignalOf(p *Process) unix.Signal {
	switch {
	case p.StopSignal != 0:
		return p.StopSignal
	case m.stopSig != 0:
		return m.stopSig
	}
	return m.cfg.StopSignal
}

// signalLeftovers is step 3: once the started processes are gone, what
// remains (orphans, daemons, processes that left their group, and as
// PID 1 those entered from outside) gets --stop-signal. They go last
// because the started processes often rely on them while they shut down.
func (m *Machine) signalLeftovers() {
	m.leftovers = true
	if m.killed || (!m.others && !m.cfg.PID1) {
		// As a subreaper, no child means no descendant: nothing to look
		// for. As PID 1, processes entered from outside are not children.
		return
	}
	m.log.Info("signalling leftover processes", "signal", signals.Name(m.cfg.StopSignal))
	m.signalOthers(m.cfg.StopSignal)
}

// signalOthers sends sig to what pidone did not start.
func (m *Machine) signalOthers(sig unix.Signal) {
	found, err := m.w.SignalOthers(sig)
	if err != nil {
		if !m.blind {
			m.log.Warn("cannot find the remaining processes to signal them; the grace period still ends the stop", "signal", signals.Name(sig), "err", err)
		}
		m.blind = true
		return
	}
	m.others = m.others || found
}

// killAll is the end of step 4: the grace period is over.
func (m *Machine) killAll() {
	m.killed = true
	m.killEnd = m.w.Now().Add(killWait)
	m.setPhase(PhaseStopping)
	var pids []int
	for _, p := range m.procs {
		if p.running() {
			pids = append(pids, p.Pid)
		}
	}
	if len(pids) > 0 {
		m.log.Warn("grace period over, killing what is left", "pids", pids)
	} else {
		m.log.Warn("grace period over, killing the processes left over")
	}
	for _, p := range m.procs {
		if p.running() {
			m.signal(p, unix.SIGKILL)
		}
	}
	m.signalOthers(unix.SIGKILL)
}

// giveUp ends a stop that SIGKILL could not end, or whose remaining
// processes pidone cannot see: the grace period bounds the stop whatever
// pidone can see.
func (m *Machine) giveUp() {
	if m.phase == PhaseDone {
		return
	}
	if m.anyRunning() || m.others || m.blind {
		m.log.Warn("exiting with processes still running: they could not be found or did not die of SIGKILL")
	}
	for _, p := range m.procs {
		if p.running() {
			delete(m.byPid, p.Pid)
			p.Pid = 0
			m.final(p, 128+int(unix.SIGKILL))
		}
	}
	m.finish()
}
