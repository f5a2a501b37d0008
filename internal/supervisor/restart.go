package supervisor

import (
	"time"
)

// Restart back-off: a process that keeps failing at once is started again
// after 250 ms, then 500 ms, 1 s and so on up to 30 s, so a crash loop
// costs a handful of starts in the first seconds and almost nothing after.
// A run that lasted stableRun starts the sequence over.
const (
	backoffFirst = 250 * time.Millisecond
	backoffMax   = 30 * time.Second
	stableRun    = 10 * time.Second
)

func (s *supervisor) wantsRestart(code int) bool {
	switch s.cfg.Restart {
	case Always:
		return true
	case OnFailure:
		return code != 0
	}
	return false
}

// scheduleRestart arms p's back-off timer. The timer only posts to the
// loop, which starts the process: nothing else touches the state.
func (s *supervisor) scheduleRestart(p *proc, code int, why string) {
	p.status = code
	if time.Since(p.started) >= stableRun || p.backoff == 0 {
		p.backoff = backoffFirst
	} else {
		p.backoff = min(2*p.backoff, backoffMax)
	}
	delay := p.backoff
	s.log.Info("restarting", "name", p.Name, "reason", why, "delay", delay.String())
	p.restartTimer = time.AfterFunc(delay, func() {
		p.due.Store(true)
		_ = s.inbox.Post(evRestartDue)
	})
}

// onRestartDue starts the processes whose back-off is over. No restart
// once a stop has begun: markStopping stopped the timers, and one that
// fired meanwhile finds restartTimer cleared.
func (s *supervisor) onRestartDue() {
	for _, p := range s.procs {
		if !p.due.Swap(false) || p.restartTimer == nil || s.stopping {
			continue
		}
		p.restartTimer = nil
		if err := s.start(p); err != nil {
			s.log.Error("restart failed", "name", p.Name, "err", err)
			status := 1
			if se, ok := err.(*StartError); ok {
				status = se.Status
			}
			s.finish(p, status)
			s.fixStatus(s.mapped(p.status))
			s.beginStop(0, false)
		}
	}
}
