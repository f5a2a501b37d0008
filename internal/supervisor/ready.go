package supervisor

import (
	"strings"
	"time"
)

// Probed takes the result of a readiness check of p's run number run, or
// an event that says it is ready (a line of output, a notification): ok
// makes it ready; a failed poll is tried again later, less and less often.
// A result about an earlier run, or a process no longer starting, is
// ignored.
func (m *Machine) Probed(p *Process, run int, ok bool) {
	if run != p.Run || p.State != Starting {
		return
	}
	p.probing = false
	if ok {
		m.log.Info("ready", "name", p.Name, "check", p.Ready.Raw)
		m.becomeReady(p)
	} else {
		p.due = m.w.Now().Add(p.every)
		p.every = min(2*p.every, probeMax)
	}
	m.settle()
}

// warnNotReady reports a process that has waited warnFirst to be ready or
// to start, and again after twice as long each time. It is not killed for
// it: a slow start is not a failure.
func (m *Machine) warnNotReady(p *Process, now time.Time) {
	waited := now.Sub(p.Since)
	if p.State == Starting {
		m.log.Warn("not ready yet", "name", p.Name, "waited", waited.Round(time.Second).String(), "check", p.Ready.Raw)
	} else {
		var missing []string
		for _, d := range p.deps {
			if !d.satisfies() {
				missing = append(missing, d.Name)
			}
		}
		m.log.Warn("still waiting to start", "name", p.Name, "waited", waited.Round(time.Second).String(), "for", strings.Join(missing, ","))
	}
	p.warned = max(2*p.warned, warnFirst)
	p.warnAt = now.Add(p.warned)
}
