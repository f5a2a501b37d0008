package ctl

import (
	"fmt"
	"github.com/pidone/pidone/internal/procfile"
	"math"
	"time"

	"github.com/pidone/pidone/internal/signals"
	"golang.org/x/sys/unix"
)

// Limits of the protocol. A peer that exceeds one is answered with an
// error, never trusted with more memory than this.
const (
	// MaxRequest is the longest request, its newline included.
	MaxRequest = 4096
	// MaxResponse is the longest response a client reads.
	MaxResponse = 1 << 20
	// MaxMessage is the longest message a response carries.
	MaxMessage = 1024
)

// protocolTag opens every request and every response. A client and a
// server of different pidone versions can meet (a nested pidone, a shared
// PID namespace), so the version is spelled out rather than guessed from
// what follows.
const protocolTag = "pidone-ctl/1"

// The verbs of a request.
const (
	VerbStatus  = "status"
	VerbRestart = "restart"
	VerbStop    = "stop"
	VerbStart   = "start"
	VerbSignal  = "signal"
)

// The states of a process, exactly those of SPEC.md.
const (
	StateWaiting    = "waiting"
	StateStarting   = "starting"
	StateReady      = "ready"
	StateRunning    = "running"
	StateCompleted  = "completed"
	StateStopped    = "stopped"
	StateBackingOff = "backing-off"
	StateFailed     = "failed"
)

// The phases of a pidone run.
const (
	PhaseStarting = "starting"
	PhaseRunning  = "running"
	PhaseDraining = "draining"
	PhaseStopping = "stopping"
)

// Statuses a response carries besides the loop's own 0 and 1: a request
// the server cannot take (malformed, unknown NAME) is a usage error, as
// SPEC.md has it.
const (
	StatusOK     = 0
	StatusFailed = 1
	StatusUsage  = 2
)

// Request is what a client asks: a verb and the arguments it takes.
type Request struct {
	// Verb is one of the Verb constants.
	Verb string
	// Name is the process the verb acts on; empty for status.
	Name string
	// Signal is what signal sends, 1 to 64; 0 for every other verb.
	Signal unix.Signal
}

// Response is a server's answer.
type Response struct {
	// Status is the client's exit status, 0 to 255.
	Status int
	// Message is one line for the user, or empty. Reply makes any string
	// fit; the codec itself takes only printable ASCII, at most
	// MaxMessage bytes.
	Message string
	// Snapshot is the state of the run, set in the answer to status.
	Snapshot *Snapshot
}

// Snapshot is the state of a pidone run at one moment.
type Snapshot struct {
	// Phase is one of the Phase constants.
	Phase string
	// Processes are in the order pidone declares them, names unique.
	Processes []ProcessStatus
}

// ProcessStatus is one process in a Snapshot.
type ProcessStatus struct {
	// Name is the process's Procfile name, "main" in single-process
	// mode.
	Name string
	// Pid is the process's pid in pidone's PID namespace, 0 when it is
	// not running.
	Pid int
	// State is one of the State constants.
	State string
	// Restarts counts the restarts of this process so far.
	Restarts int
	// Uptime is how long the current run has lasted, 0 when not running.
	Uptime time.Duration
	// LastStatus is the exit status of the last run (128+N for signal N),
	// or -1 when no run has ended yet.
	LastStatus int
}

// Healthy reports whether s is what status answers 0 for: no stop in
// progress, everything started, and every process ready, or a one-shot
// that is running or has completed. A loop that knows more (which
// processes are services) may apply SPEC.md's rule itself instead.
func (s *Snapshot) Healthy() bool {
	if s.Phase != PhaseRunning {
		return false
	}
	for _, p := range s.Processes {
		switch p.State {
		case StateReady, StateRunning, StateCompleted:
		default:
			return false
		}
	}
	return true
}

var states = [...]string{
	StateWaiting, StateStarting, StateReady, StateRunning,
	StateCompleted, StateStopped, StateBackingOff, StateFailed,
}

var phases = [...]string{PhaseStarting, PhaseRunning, PhaseDraining, PhaseStopping}

func oneOf(s string, set []string) bool {
	for _, v := range set {
		if s == v {
			return true
		}
	}
	return false
}

// arity reports how many words follow a known verb, and false for an
// unknown one.
func arity(verb string) (int, bool) {
	switch verb {
	case VerbStatus:
		return 0, true
	case VerbRestart, VerbStop, VerbStart:
		return 1, true
	case VerbSignal:
		return 2, true
	}
	return 0, false
}

// ValidName reports whether s can name a process: what a Procfile accepts.
func ValidName(s string) bool { return procfile.ValidName(s) }

// Validate reports the first way r is not a request the protocol can
// carry.
func (r Request) Validate() error {
	n, ok := arity(r.Verb)
	if !ok {
		return fmt.Errorf("unknown verb %s", quote(r.Verb))
	}
	if n == 0 && r.Name != "" {
		return fmt.Errorf("%s takes no process name", r.Verb)
	}
	if n > 0 && !ValidName(r.Name) {
		return fmt.Errorf("%s: invalid process name %s", r.Verb, quote(r.Name))
	}
	if n == 2 && (r.Signal < 1 || r.Signal > signals.Max) {
		return fmt.Errorf("%s: invalid signal number %d", r.Verb, int(r.Signal))
	}
	if n < 2 && r.Signal != 0 {
		return fmt.Errorf("%s takes no signal", r.Verb)
	}
	return nil
}

// Validate reports the first way r is not a response the protocol can
// carry.
func (r Response) Validate() error {
	if r.Status < 0 || r.Status > 255 {
		return fmt.Errorf("status %d outside 0-255", r.Status)
	}
	if err := validMessage(r.Message); err != nil {
		return err
	}
	if r.Snapshot == nil {
		return nil
	}
	if !oneOf(r.Snapshot.Phase, phases[:]) {
		return fmt.Errorf("unknown phase %s", quote(r.Snapshot.Phase))
	}
	seen := make(map[string]bool, len(r.Snapshot.Processes))
	for _, p := range r.Snapshot.Processes {
		if err := p.validate(); err != nil {
			return err
		}
		if seen[p.Name] {
			return fmt.Errorf("process %s listed twice", p.Name)
		}
		seen[p.Name] = true
	}
	return nil
}

func (p ProcessStatus) validate() error {
	switch {
	case !ValidName(p.Name):
		return fmt.Errorf("invalid process name %s", quote(p.Name))
	// Bounds fit a 32-bit int, so a snapshot decodes the same on every
	// architecture.
	case p.Pid < 0 || p.Pid > math.MaxInt32:
		return fmt.Errorf("process %s: pid %d out of range", p.Name, p.Pid)
	case !oneOf(p.State, states[:]):
		return fmt.Errorf("process %s: unknown state %s", p.Name, quote(p.State))
	case p.Restarts < 0 || p.Restarts > math.MaxInt32:
		return fmt.Errorf("process %s: restart count %d out of range", p.Name, p.Restarts)
	case p.Uptime < 0:
		return fmt.Errorf("process %s: negative uptime", p.Name)
	case p.LastStatus < -1 || p.LastStatus > 255:
		return fmt.Errorf("process %s: last status %d outside -1-255", p.Name, p.LastStatus)
	}
	return nil
}

func validMessage(m string) error {
	if len(m) > MaxMessage {
		return fmt.Errorf("message of %d bytes, more than %d", len(m), MaxMessage)
	}
	for i := 0; i < len(m); i++ {
		if m[i] < 0x20 || m[i] > 0x7e {
			return fmt.Errorf("message holds byte %#02x at %d, not printable ASCII", m[i], i)
		}
	}
	return nil
}
