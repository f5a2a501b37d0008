package supervisor

import (
	"syscall"
	"time"

	"github.com/pidone/pidone/internal/signals"
	"golang.org/x/sys/unix"
)

// Restart is a restart policy.
type Restart int

// The restart policies of SPEC.md.
const (
	// Never: the first exit is final.
	Never Restart = iota
	// OnFailure restarts a process that exited non-zero or by a signal;
	// one that exits 0 has finished its job.
	OnFailure
	// Always restarts any exit.
	Always
)

// CheckKind is the kind of a readiness check.
type CheckKind int

// The readiness checks of PIDONE_READY.
const (
	CheckTCP    CheckKind = iota // a connection to Addr succeeds
	CheckFile                    // Path exists
	CheckLog                     // a line of the process's output contains Text
	CheckExec                    // Argv exits 0
	CheckNotify                  // the process sends READY=1 to NOTIFY_SOCKET
)

// Check says when a process counts as ready.
type Check struct {
	Kind  CheckKind
	Addrs []string // CheckTCP: host:port, each tried in turn
	Path  string   // CheckFile
	Text  string   // CheckLog
	Argv  []string // CheckExec, run in Env
	Env   []string
	// Raw is the check as written ("tcp:8000"), for messages.
	Raw string
}

// polled reports whether pidone must poll for the check; the others are
// told by an event (a line of output, a notification).
func (c *Check) polled() bool {
	return c.Kind == CheckTCP || c.Kind == CheckFile || c.Kind == CheckExec
}

// Spec is one process as configured: what the World needs to start it,
// and the policies the Machine applies to it.
type Spec struct {
	// Name is the Procfile name, "main" in single-process mode.
	Name string
	// Argv is the command; Path the executable, when already resolved.
	Argv []string
	Path string
	// Env is the process's whole environment.
	Env []string
	// Dir is its working directory, an absolute path.
	Dir string
	// Cred changes its ids; nil runs it as pidone's user.
	Cred *syscall.Credential

	OneShot bool
	// After names the processes it starts after (PIDONE_AFTER).
	After []string
	// Ready is its readiness check; nil: ready once started.
	Ready       *Check
	Restart     Restart
	MaxRestarts int // restarts in a row before an exit is final; 0: no limit
	// StopSignal is the signal any stop sends it; 0: the stop's signal.
	StopSignal unix.Signal
	// Signals is the set of forwarded signals it receives; nil: all.
	Signals map[unix.Signal]bool
}

// receives reports whether sig, forwarded outside a stop, reaches p.
func (s *Spec) receives(sig unix.Signal) bool { return s.Signals == nil || s.Signals[sig] }

// Config is what the Machine needs beyond the processes.
type Config struct {
	Rewrite signals.Rewrite
	// SuccessCodes are final statuses reported as 0.
	SuccessCodes map[int]bool
	// StopSignal is sent when pidone begins a stop on its own; 0: SIGTERM.
	StopSignal unix.Signal
	// DrainDelay holds a received SIGTERM back this long.
	DrainDelay time.Duration
	// GracePeriod bounds a stop, from its start, before SIGKILL; 0: no limit.
	GracePeriod time.Duration
	// PID1 says pidone is PID 1 of its namespace: job-control signals are
	// then only forwarded.
	PID1 bool
}
