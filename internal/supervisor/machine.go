package supervisor

import (
	"time"

	"github.com/pidone/pidone/internal/logs"
	"golang.org/x/sys/unix"
)

// Machine holds every decision of a pidone run: who gets which signal
// when, what starts, restarts and stops, when the grace period ends, and
// what pidone's exit status is. It knows the time only from its World and
// acts only through it, so a test can drive it with events and a fake
// clock and check what it did.
//
// Its methods are the events; the loop calls them from one goroutine:
//
//	Begin      once, to start the processes
//	Signal     a signal reached pidone
//	Remaining  whether anything besides the started processes is left,
//	           told after each reap, before the exits
//	Exited     a process pidone started has exited
//	Probed     a readiness check of a process came back
//	Tick       the time Deadline asked for has come
//	Control    a --ctl request
//
// and then reads Done, Deadline and Status.
type Machine struct {
	cfg   Config
	w     World
	log   *logs.Logger
	procs []*Process
	byPid map[int]*Process
	phase Phase

	// The stop, once it has begun.
	bySignal bool        // a signal to pidone began it
	stopSig  unix.Signal // what processes without a stop signal of their own get
	stopAt   time.Time   // the grace period counts from here
	drainEnd time.Time

	// What is left besides the started processes: re-parented orphans,
	// descendants, and as PID 1 processes entered from outside.
	others    bool
	blind     bool // pidone cannot see them (no /proc)
	leftovers bool // step 3 of the stop is done
	killed    bool // the grace period is over and SIGKILL was sent
	killEnd   time.Time

	status      int
	statusFixed bool // the exit that began the stop set the status
}

// Timing of the machine's own.
const (
	// Restart back-off: a process that keeps failing at once is started
	// again after 250 ms, then 500 ms, 1 s and so on up to 30 s; a run
	// that lasted stableRun starts the sequence over.
	backoffFirst = 250 * time.Millisecond
	backoffMax   = 30 * time.Second
	stableRun    = 10 * time.Second
	// Readiness polls: soon after the start, then less and less often.
	probeFirst = 25 * time.Millisecond
	probeMax   = time.Second
	// A process still not ready (or still waiting) is reported after
	// warnFirst, then after twice as long each time.
	warnFirst = 30 * time.Second
	// killWait is how long, after the grace period's SIGKILL, pidone waits
	// for the killed to be reaped before it gives up on them.
	killWait = 2 * time.Second
)

// NewMachine prepares a run of specs. The names in every Spec's After must
// be among specs (the Procfile parser checks it).
func NewMachine(cfg Config, specs []*Spec, w World, log *logs.Logger) *Machine {
	if cfg.StopSignal == 0 {
		cfg.StopSignal = unix.SIGTERM
	}
	m := &Machine{cfg: cfg, w: w, log: log, byPid: make(map[int]*Process)}
	byName := make(map[string]*Process, len(specs))
	for _, s := range specs {
		p := &Process{Spec: s, LastStatus: -1}
		m.procs = append(m.procs, p)
		byName[s.Name] = p
	}
	for _, p := range m.procs {
		for _, name := range p.After {
			if d := byName[name]; d != nil {
				p.deps = append(p.deps, d)
				d.dependents = append(d.dependents, p)
			}
		}
	}
	return m
}

// Phase is where the container stands.
func (m *Machine) Phase() Phase { return m.phase }

// Begin starts every process that waits for nothing, in order, and then
// delivers the signals that came before the processes existed.
func (m *Machine) Begin(pending []unix.Signal) {
	m.log.Debug("supervising", "processes", len(m.procs), "pid1", m.cfg.PID1)
	now := m.w.Now()
	for _, p := range m.procs {
		p.Since = now
		if len(p.deps) > 0 {
			p.warnAt = now.Add(warnFirst)
		}
	}
	m.startReady()
	for _, sig := range pending {
		m.Signal(sig)
	}
	m.settle()
}

// Done reports that pidone can exit.
func (m *Machine) Done() bool { return m.phase == PhaseDone }

// Status is pidone's exit status, once Done.
func (m *Machine) Status() int { return m.status }

// Remaining tells the machine whether anything besides the processes it
// started is left: children of pidone that it did not start, or, as PID 1,
// processes it watches that were entered from outside. The loop calls it
// after every reap, before it hands over the exits: any is true while a
// started process is still a child, so told afterwards it would count the
// processes that just exited among what is left.
func (m *Machine) Remaining(any bool) {
	m.others = any
	if m.killed && any {
		// A process forking as fast as it can is caught up with: its
		// children were re-parented to pidone and die next.
		m.signalOthers(unix.SIGKILL)
	}
	m.settle()
}

// Deadline is the next time the machine has something to do without an
// event: a drain or grace period that ends, a restart or readiness check
// that is due, a warning. ok is false when nothing is due: pidone then
// sleeps until an event comes.
func (m *Machine) Deadline() (at time.Time, ok bool) {
	add := func(t time.Time) {
		if !t.IsZero() && (!ok || t.Before(at)) {
			at, ok = t, true
		}
	}
	if m.phase == PhaseDraining {
		add(m.drainEnd)
	}
	if m.phase.stopping() {
		if m.killed {
			add(m.killEnd)
		} else if m.cfg.GracePeriod > 0 {
			add(m.stopAt.Add(m.cfg.GracePeriod))
		}
	}
	for _, p := range m.procs {
		switch {
		case p.State == BackingOff:
			add(p.due)
		case p.State == Starting && p.Ready.polled() && !p.probing:
			add(p.due)
		}
		if p.State == Waiting || p.State == Starting {
			add(p.warnAt)
		}
		if p.held && p.running() {
			add(p.killAt)
		}
	}
	return at, ok
}

// Tick does what has come due by now.
func (m *Machine) Tick() {
	now := m.w.Now()
	if m.phase == PhaseDraining && !now.Before(m.drainEnd) {
		m.endDrain("delay over", 0)
	}
	if m.phase.stopping() && !m.killed && m.cfg.GracePeriod > 0 && !now.Before(m.stopAt.Add(m.cfg.GracePeriod)) {
		m.killAll()
	}
	if m.killed && !now.Before(m.killEnd) {
		m.giveUp()
	}
	for _, p := range m.procs {
		switch {
		case p.State == BackingOff && !now.Before(p.due):
			m.restart(p)
		case p.State == Starting && p.Ready.polled() && !p.probing && !now.Before(p.due):
			p.probing = true
			m.w.Probe(p)
		}
		if p.held && p.running() && !p.killAt.IsZero() && !now.Before(p.killAt) {
			m.log.Warn("stop took longer than the grace period, killing", "name", p.Name, "pid", p.Pid)
			p.killAt = time.Time{}
			m.signal(p, unix.SIGKILL)
		}
		if (p.State == Waiting || p.State == Starting) && !p.warnAt.IsZero() && !now.Before(p.warnAt) {
			m.warnNotReady(p, now)
		}
	}
	m.settle()
}

// set moves p to state st: the one place where a process changes state.
func (m *Machine) set(p *Process, st State) {
	if p.State == st {
		return
	}
	m.log.Debug("state", "name", p.Name, "from", p.State.String(), "to", st.String())
	p.State = st
	if !st.hasProcess() {
		p.Since = m.w.Now()
	}
}

// setPhase moves the container to phase ph: the one place where it does.
func (m *Machine) setPhase(ph Phase) {
	if m.phase == ph {
		return
	}
	m.log.Debug("phase", "from", m.phase.String(), "to", ph.String())
	m.phase = ph
}

// settle brings the phase up to date after an event: starting or
// running, and whether a stop is over.
func (m *Machine) settle() {
	switch m.phase {
	case PhaseStarting, PhaseRunning:
		ph := PhaseRunning
		for _, p := range m.procs {
			if p.State == Waiting || p.State == Starting {
				ph = PhaseStarting
			}
		}
		m.setPhase(ph)
	case PhaseDraining:
		if !m.anyRunning() {
			m.endDrain("every process exited", 0)
		}
	}
	if m.phase != PhaseStopping {
		return
	}
	if !m.anyRunning() && !m.leftovers {
		m.signalLeftovers()
	}
	switch {
	case m.anyRunning() || !m.leftovers:
	case !m.others:
		m.finish()
	case m.killed && m.blind:
		// What is left cannot be found, so it cannot be killed either.
		m.giveUp()
	}
}

// finish ends the run.
func (m *Machine) finish() {
	for _, p := range m.procs {
		m.answerStopped(p)
		m.answerStarted(p, 1, "pidone has stopped")
	}
	m.setPhase(PhaseDone)
}

func (m *Machine) anyRunning() bool {
	for _, p := range m.procs {
		if p.running() {
			return true
		}
	}
	return false
}

// reported is the status reported for a final exit: --success-code applied.
func (m *Machine) reported(code int) int {
	if m.cfg.SuccessCodes[code] {
		return 0
	}
	return code
}
