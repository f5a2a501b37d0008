package supervisor

import (
	"fmt"
	"os"
	"time"

	"github.com/pidone/pidone/internal/catch"
	"github.com/pidone/pidone/internal/reaper"
	"github.com/pidone/pidone/internal/signals"
	"golang.org/x/sys/unix"
)

// supervisor is the state of one run. Only the loop goroutine touches it.
type supervisor struct {
	cfg   Config
	log   *Logger
	self  int
	st    *starter
	reap  *reaper.Reaper
	procs []*proc
	byPid map[int]*proc
	out   *outputSink

	inbox *catch.Inbox

	alive bool // pidone has at least one child

	// Stop state, see stop.go.
	stopping    bool
	bySignal    bool // the stop began with a signal to pidone
	draining    bool
	drainTimer  *time.Timer
	stopAt      time.Time // the stop began; the grace period counts from here
	graceTimer  *time.Timer
	graceArmed  bool
	events      []byte // read buffer for the inbox
	leftovers   bool   // step 3 done
	killed      bool   // grace period over, SIGKILL sent
	status      int
	statusFixed bool // status no longer depends on later exits
}

// Run starts cfg's programs, supervises them until the stop is over, and
// returns pidone's exit status. A command that cannot start is returned as
// a *StartError whose Status is the status owed; any other error means
// pidone itself cannot work (status 1).
func Run(cfg Config) (int, error) {
	s := &supervisor{
		cfg:    cfg,
		log:    cfg.Log,
		self:   os.Getpid(),
		byPid:  make(map[int]*proc),
		inbox:  cfg.Inbox,
		events: make([]byte, 512),
	}
	if s.cfg.StopSignal == 0 {
		s.cfg.StopSignal = unix.SIGTERM
	}
	if s.inbox == nil {
		// Signals first: an exit or a signal that comes while the
		// processes start must wait in the inbox, not be lost.
		in, err := catch.Catch()
		if err != nil {
			return 1, err
		}
		s.inbox = in
	}
	r, err := reaper.New()
	if err != nil {
		return 1, err
	}
	s.reap = r
	if err := s.prepare(); err != nil {
		return 0, err
	}
	if err := s.startAll(); err != nil {
		return 0, err
	}
	s.leaveStartDir()
	s.log.Debug("supervising", "processes", len(s.procs), "pid1", s.self == 1)
	for _, sig := range cfg.Pending {
		s.onSignal(sig)
	}
	// Orphans may already be waiting (pidone exec'd into an existing
	// process tree), and pause mode must know whether anything is there.
	s.onChildren()
	s.loop()
	s.out.close(s.log)
	return s.status, nil
}

// prepare resolves every command before any starts, so that a Procfile
// with one bad command starts nothing.
func (s *supervisor) prepare() error {
	dir, err := os.Getwd()
	if err != nil {
		return fmt.Errorf("read the working directory: %w", err)
	}
	if s.st, err = newStarter(&s.cfg, dir); err != nil {
		return err
	}
	width := 0
	for _, p := range s.cfg.Programs {
		width = max(width, len(p.Name))
	}
	if s.cfg.Prefix {
		s.out = newOutputSink(width)
	}
	for _, prog := range s.cfg.Programs {
		path, err := s.st.resolve(prog)
		if err != nil {
			return err
		}
		s.procs = append(s.procs, &proc{Program: prog, path: path})
	}
	return nil
}

func (s *supervisor) startAll() error {
	for _, p := range s.procs {
		if err := s.start(p); err != nil {
			// Those already started are stopped as after any failure.
			s.beginStop(0, false)
			s.loop()
			s.out.close(s.log)
			return err
		}
	}
	return nil
}

func (s *supervisor) start(p *proc) error {
	var stdout, stderr *os.File
	if s.out != nil {
		var err error
		if stdout, stderr, err = s.out.open(p.Name); err != nil {
			return err
		}
	}
	pid, err := s.st.start(p.Program, p.path, stdout, stderr)
	if stdout != nil {
		// The process has its own copies (or failed to start); pidone's
		// would keep the pipes open and the readers from seeing the end.
		stdout.Close()
		stderr.Close()
	}
	if err != nil {
		return err
	}
	p.pid, p.started = pid, time.Now()
	s.byPid[pid] = p
	s.alive = true
	s.log.Info("started", procAttrs(p)...)
	return nil
}

// leaveStartDir moves pidone out of its starting directory, so that it
// does not keep a volume busy; the processes start in it all the same.
func (s *supervisor) leaveStartDir() {
	if err := os.Chdir("/"); err != nil {
		s.log.Debug("cannot leave the starting directory", "err", err)
	}
}

// Events of pidone's own, posted to the inbox by timers. Signal numbers
// stop at signals.Max.
const (
	evDrainOver = signals.Max + 1 + iota
	evGraceOver
	evRestartDue
)

// loop handles events until the stop is over. Everything arrives through
// the inbox, in order: signals, SIGCHLD, and the timers' events.
func (s *supervisor) loop() {
	for !s.finished() {
		s.armGrace()
		n, err := s.inbox.Read(s.events)
		if err != nil {
			// Nothing can arrive any more; without this loop pidone
			// cannot work at all.
			s.log.Error("signals can no longer be received", "err", err)
			s.killRemaining()
			s.status = 1
			return
		}
		for _, ev := range s.events[:n] {
			s.dispatch(ev)
		}
	}
}

// dispatch handles one event. Timer events can be stale (the timer fired
// just as it was stopped), so each checks that it still applies.
func (s *supervisor) dispatch(ev byte) {
	switch {
	case ev == byte(unix.SIGCHLD):
		s.onChildren()
	case ev <= signals.Max:
		s.onSignal(unix.Signal(ev))
	case ev == evDrainOver:
		s.endDrain("delay over", 0)
	case ev == evGraceOver:
		if s.graceTimer != nil {
			s.graceTimer = nil
			s.killAll()
		}
	case ev == evRestartDue:
		s.onRestartDue()
	}
}

// after runs post(ev) once d has passed.
func (s *supervisor) after(d time.Duration, ev byte) *time.Timer {
	return time.AfterFunc(d, func() { _ = s.inbox.Post(ev) })
}

// finished reports that pidone can exit: a stop has begun and nothing is
// left to wait for.
func (s *supervisor) finished() bool {
	return s.stopping && !s.alive && !s.draining
}

func procAttrs(p *proc) []any {
	if p.Name == "" {
		return []any{"pid", p.pid}
	}
	return []any{"name", p.Name, "pid", p.pid}
}
