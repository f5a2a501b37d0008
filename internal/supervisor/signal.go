package supervisor

import (
	"errors"

	"github.com/pidone/pidone/internal/signals"
	"golang.org/x/sys/unix"
)

// Signal handles a signal that reached pidone: one switch on what it
// means.
func (m *Machine) Signal(sig unix.Signal) {
	to := m.cfg.Rewrite.Apply(sig)
	m.log.Debug("received signal", "signal", signals.Name(sig), "as", signals.Name(to))
	switch {
	case to == 0:
		// A signal rewritten to none is dropped entirely, as dumb-init's
		// --rewrite 15:0 does: it neither reaches the processes nor
		// begins a stop.
	case signals.Stops(sig) && m.phase == PhaseDraining:
		m.endDrain("received "+signals.Name(sig), sig)
	case signals.Stops(sig) && m.phase == PhaseStopping:
		// Said again: those already stopping hear it again; the order of
		// the others stands.
		for _, p := range m.procs {
			if p.running() && p.stopSent {
				m.signal(p, to)
			}
		}
	case signals.Stops(sig) && m.phase < PhaseDraining:
		if sig == unix.SIGTERM && m.cfg.DrainDelay > 0 && m.anyRunning() {
			m.beginDrain()
		} else {
			m.beginStop(to, true)
		}
	case signals.JobControl(sig) && !m.cfg.PID1:
		// Forwarded first, then pidone stops itself, so that the shell
		// that started it sees the job stop; SIGCONT continues it.
		m.forward(to)
		for _, p := range m.procs {
			p.jobStop = p.running() && p.receives(to)
		}
		m.w.StopSelf()
	case sig == unix.SIGCONT && !m.cfg.PID1:
		// The shell's fg gave the terminal to the job, pidone's group:
		// hand it back to the process before it runs, or its first read
		// would stop it again.
		for _, p := range m.procs {
			p.jobStop = false
			if p.running() {
				m.w.Foreground(p)
			}
		}
		m.forward(to)
	default:
		m.forward(to)
	}
	m.settle()
}

// forward sends sig to every running process that receives it
// (PIDONE_SIGNALS).
func (m *Machine) forward(sig unix.Signal) {
	for _, p := range m.procs {
		if p.running() && p.receives(sig) {
			m.signal(p, sig)
		}
	}
}

// signal sends sig to p. A signal pidone may not deliver is a warning at
// the default level: a lost HUP or TERM must not go unnoticed.
func (m *Machine) signal(p *Process, sig unix.Signal) {
	err := m.w.Signal(p, sig)
	switch {
	case err == nil:
		m.log.Debug("sent signal", "name", p.Name, "pid", p.Pid, "signal", signals.Name(sig))
	case errors.Is(err, unix.ESRCH):
		// It exited and waits to be reaped; its exit comes next.
		m.log.Debug("signal not delivered", "name", p.Name, "pid", p.Pid, "signal", signals.Name(sig), "err", err)
	default:
		m.log.Warn("cannot signal process", "name", p.Name, "pid", p.Pid, "signal", signals.Name(sig), "err", err)
	}
}

// Suspended is told that a process pidone started has stopped. It is told
// only when pidone is not PID 1 and its process owns the terminal: a stop
// at the terminal (Ctrl-Z, a read or a write from the background) reaches
// the process's group, not pidone's, and the shell that waits for pidone
// must see its job stop. So pidone stops too; the shell's fg continues it
// (SIGCONT, above). Only the terminal's stops count (vim and less, which
// tidy the terminal first, then stop themselves with SIGTSTP too): a kill
// -STOP of the process by an operator must not leave pidone stopped under
// an init that would never continue it. A stop that pidone forwarded
// itself is not news.
func (m *Machine) Suspended(pid int, sig unix.Signal) {
	p := m.byPid[pid]
	switch {
	case p == nil || m.cfg.PID1 || !signals.JobControl(sig):
	case p.jobStop:
		p.jobStop = false
	default:
		m.log.Debug("stopped at the terminal; stopping pidone too", "name", p.Name, "pid", pid, "signal", signals.Name(sig))
		m.w.StopSelf()
	}
}
