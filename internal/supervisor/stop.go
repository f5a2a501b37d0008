package supervisor

import (
	"time"

	"github.com/pidone/pidone/internal/signals"
	"golang.org/x/sys/unix"
)

// The steps of a stop, as SPEC.md numbers them: 1 drain, 2 stop signal,
// 3 leftovers, 4 grace, 5 exit once nothing is left.

// beginDrain is step 1: a SIGTERM is held back while the processes keep
// serving, so that load balancers can stop sending them traffic first.
func (s *supervisor) beginDrain() {
	s.markStopping(true)
	s.draining = true
	s.drainTimer = s.after(s.cfg.DrainDelay, evDrainOver)
	s.log.Info("drain started", "delay", s.cfg.DrainDelay.String())
}

// endDrain forwards the SIGTERM that began the drain and, when another
// signal cut the drain short, that signal after it.
func (s *supervisor) endDrain(why string, cut unix.Signal) {
	if !s.draining {
		return
	}
	s.draining = false
	if s.drainTimer != nil {
		s.drainTimer.Stop()
		s.drainTimer = nil
	}
	s.log.Info("drain ended", "reason", why)
	s.sendStop(s.cfg.Rewrite.Apply(unix.SIGTERM))
	if cut == unix.SIGINT {
		s.forward(s.cfg.Rewrite.Apply(cut))
	}
	s.afterStopSignal()
}

// beginStop is step 2. sig is the signal pidone received, or 0 when pidone
// stops on its own (a process exited) and sends --stop-signal.
func (s *supervisor) beginStop(sig unix.Signal, bySignal bool) {
	if s.stopping {
		return
	}
	s.markStopping(bySignal)
	if bySignal {
		s.log.Info("stopping", "signal", signals.Name(sig))
		s.sendStop(s.cfg.Rewrite.Apply(sig))
	} else {
		s.sendStop(s.cfg.StopSignal)
	}
	s.afterStopSignal()
}

// markStopping records the start of the stop: no restart from now on, and
// the grace period starts counting, since it bounds the whole stop.
func (s *supervisor) markStopping(bySignal bool) {
	s.stopping, s.bySignal = true, bySignal
	for _, p := range s.procs {
		if p.restartTimer != nil {
			p.restartTimer.Stop()
			p.restartTimer = nil
			s.finish(p, p.status)
		}
	}
	s.stopAt = time.Now()
}

// armGrace starts the grace timer when the loop first waits during a stop;
// it counts from the start of the stop all the same. A stop that is over
// at once (the last process exited, nothing else is left) then creates no
// timer: the runtime's first timer sets up its netpoller and wakes a
// thread, which made pidone's exit after its last process twice as slow.
func (s *supervisor) armGrace() {
	if !s.stopping || s.graceArmed || s.cfg.GracePeriod <= 0 {
		return
	}
	s.graceArmed = true
	s.graceTimer = s.after(s.cfg.GracePeriod-time.Since(s.stopAt), evGraceOver)
}

func (s *supervisor) sendStop(sig unix.Signal) {
	if sig != 0 {
		s.forward(sig)
	}
}

// afterStopSignal moves on to step 3 when no started process is left.
func (s *supervisor) afterStopSignal() {
	if !s.anyRunning() {
		s.signalLeftovers()
	}
}

// signalLeftovers is step 3: once the started processes are gone, what
// remains (orphans, daemons, processes that left their group) gets the
// stop signal. They go last because the started processes often rely on
// them while they shut down.
func (s *supervisor) signalLeftovers() {
	if s.leftovers || !s.alive || s.killed {
		s.leftovers = true
		return
	}
	s.leftovers = true
	s.log.Info("signalling leftover processes", "signal", signals.Name(s.cfg.StopSignal))
	signalTree(s.self, s.cfg.StopSignal)
}

// killAll is step 4's end: the grace period is over.
func (s *supervisor) killAll() {
	if !s.alive {
		return
	}
	s.killed = true
	if pids := descendants(s.self); len(pids) > 0 {
		s.log.Warn("grace period over, killing", "pids", pids)
	}
	s.killRemaining()
}

// killRemaining SIGKILLs every started process's group and every
// descendant. After the grace period it runs again whenever a child exits
// while others remain, so that a process forking as fast as it can is
// caught up with: its children are re-parented to pidone and die next.
func (s *supervisor) killRemaining() {
	for _, p := range s.procs {
		if p.running() {
			_ = unix.Kill(-p.pid, unix.SIGKILL)
			_ = unix.Kill(p.pid, unix.SIGKILL)
		}
	}
	signalTree(s.self, unix.SIGKILL)
}
