package supervisor

import (
	"fmt"

	"github.com/pidone/pidone/internal/signals"
	"golang.org/x/sys/unix"
)

// onChildren reaps after a SIGCHLD and reacts to each exit.
func (s *supervisor) onChildren() {
	exits, alive := s.reap.Reap()
	// alive first: the exits below may begin a stop, whose next step
	// depends on whether anything is left.
	s.alive = alive
	for _, e := range exits {
		if p := s.byPid[e.Pid]; p != nil {
			s.onExit(p, e.Status)
		} else if s.log.Enabled(LevelDebug) {
			// Checked first: the arguments would cost three allocations
			// per orphan in a storm even with the line not written.
			s.log.Debug("reaped", "pid", e.Pid, "status", signals.ExitCode(e.Status))
		}
	}
	switch {
	case !s.stopping:
	case s.draining && !s.anyRunning():
		s.endDrain("every process exited", 0)
	case !s.draining && !s.anyRunning():
		s.signalLeftovers()
	}
	if s.killed && s.alive {
		s.killRemaining()
	}
}

// onExit handles the exit of a process pidone started.
func (s *supervisor) onExit(p *proc, ws unix.WaitStatus) {
	code := signals.ExitCode(ws)
	attrs := append(procAttrs(p), "status", code)
	if ws.Signaled() {
		attrs = append(attrs, "signal", signals.Name(ws.Signal()))
	}
	s.log.Info("exited", attrs...)
	delete(s.byPid, p.pid)
	p.pid = 0
	if !s.stopping && s.wantsRestart(code) {
		s.scheduleRestart(p, code, reason(ws))
		return
	}
	s.finish(p, code)
	if s.stopping {
		return
	}
	switch {
	case s.cfg.Restart == OnFailure && code == 0:
		// Its job is done; the others run on until all are done.
		if s.allDone() {
			s.fixStatus(0)
			s.beginStop(0, false)
		}
	default:
		s.fixStatus(s.mapped(code))
		s.beginStop(0, false)
	}
}

// finish records p's final exit. The status of a stop begun by a signal is
// the first non-zero final status in the order the processes exited.
func (s *supervisor) finish(p *proc, code int) {
	p.done, p.status = true, code
	if !s.statusFixed && s.status == 0 {
		s.status = s.mapped(code)
	}
}

// fixStatus settles pidone's status when a process's exit began the stop.
func (s *supervisor) fixStatus(code int) {
	s.status, s.statusFixed = code, true
}

func (s *supervisor) mapped(code int) int {
	if s.cfg.SuccessCodes[code] {
		return 0
	}
	return code
}

func (s *supervisor) allDone() bool {
	for _, p := range s.procs {
		if !p.done {
			return false
		}
	}
	return true
}

// reason says in words why a process ended, for the restart log.
func reason(ws unix.WaitStatus) string {
	if ws.Signaled() {
		return "killed by " + signals.Name(ws.Signal())
	}
	return fmt.Sprintf("exited with status %d", ws.ExitStatus())
}
