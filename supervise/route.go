package supervise

import (
	"github.com/pidone/pidone/signals"
	"golang.org/x/sys/unix"
)

// Forwarding a signal through the loop costs the loop's wake-up and, in
// the Go runtime, the wake-up of its monitor thread before kill(2) can
// run: about a third of the forwarding latency of a C init. So in the
// common case, one main process, the signal handler sends the signals
// that need no decision on by itself (signals.Inbox.Route), and the loop
// does not even wake up for them unless it logs at debug level.

// planRoutes works out, once, which signals the handler may send on and as
// what: in single-process mode, every forwardable signal that does not
// begin a stop (those go through the drain and stop logic) and that
// --rewrite does not drop.
func (s *supervisor) planRoutes() {
	if len(s.cfg.Programs) != 1 {
		return
	}
	for sig := unix.Signal(1); sig <= signals.Max; sig++ {
		if signals.Forwardable(sig) && !signals.Stops(sig) {
			s.routes[sig] = s.cfg.Rewrite.Apply(sig)
		}
	}
}

// armRoutes points the routes at the main process while it runs. It waits
// for an empty inbox, so that no routed signal overtakes one still queued
// for the loop.
func (s *supervisor) armRoutes() {
	if s.routesOn || len(s.procs) != 1 || !s.procs[0].running() || !s.inbox.Empty() {
		return
	}
	target := s.procs[0].pid
	if s.cfg.ForwardTo == ToGroup {
		target = -target
	}
	// Routed signals reach the loop only to be logged.
	s.inbox.RecordRoutes(s.log.Enabled(LevelDebug))
	for sig, as := range s.routes {
		if as != 0 {
			s.inbox.Route(unix.Signal(sig), target, as)
		}
	}
	s.routesOn = true
}

// disarmRoutes sends every signal back through the loop. It runs before
// exits are collected: once the main process is reaped its pid may be
// reused, and no route may point at it then.
func (s *supervisor) disarmRoutes() {
	if s.routesOn {
		s.inbox.Unroute()
		s.routesOn = false
	}
}

// onRouted records a signal the handler has already sent on.
func (s *supervisor) onRouted(sig unix.Signal) {
	if s.log.Enabled(LevelDebug) {
		s.log.Debug("forwarded signal", "signal", signals.Name(sig), "as", signals.Name(s.routes[sig]), "by", "handler")
	}
}
