package supervisor

import (
	"errors"

	"github.com/pidone/pidone/internal/signals"
	"golang.org/x/sys/unix"
)

// onSignal handles one signal pidone received.
func (s *supervisor) onSignal(sig unix.Signal) {
	s.log.Debug("received signal", "signal", signals.Name(sig))
	to := s.cfg.Rewrite.Apply(sig)
	if to == 0 {
		// A signal rewritten to none is dropped entirely, as dumb-init's
		// --rewrite 15:0 does: it neither reaches the processes nor
		// begins a stop.
		s.log.Debug("dropped signal", "signal", signals.Name(sig))
		return
	}
	switch {
	case s.draining && (sig == unix.SIGTERM || sig == unix.SIGINT):
		s.endDrain("received "+signals.Name(sig), sig)
	case signals.Stops(sig) && !s.stopping:
		if sig == unix.SIGTERM && s.cfg.DrainDelay > 0 && s.anyRunning() {
			s.beginDrain()
			return
		}
		s.beginStop(sig, true)
	default:
		s.forward(to)
	}
}

// forward sends sig to every running process, or its process group.
func (s *supervisor) forward(sig unix.Signal) {
	for _, p := range s.procs {
		if p.running() {
			s.signal(p, sig)
		}
	}
}

// signal sends sig to p (or its group) and logs it.
func (s *supervisor) signal(p *proc, sig unix.Signal) {
	err := errors.New("not sent")
	if s.cfg.ForwardTo == ToGroup {
		err = unix.Kill(-p.pid, sig)
	}
	// A process that left its group (setsid, setpgid) is still reached:
	// the group is gone but the process is not.
	if err != nil {
		err = unix.Kill(p.pid, sig)
	}
	attrs := append(procAttrs(p), "signal", signals.Name(sig))
	if err != nil {
		s.log.Debug("signal not delivered", append(attrs, "err", err)...)
		return
	}
	s.log.Debug("forwarded signal", attrs...)
}

func (s *supervisor) anyRunning() bool {
	for _, p := range s.procs {
		if p.running() {
			return true
		}
	}
	return false
}
