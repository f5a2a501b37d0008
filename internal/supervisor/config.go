package supervisor

import (
	"time"

	"github.com/pidone/pidone/internal/catch"
	"github.com/pidone/pidone/internal/signals"
	"golang.org/x/sys/unix"
)

// ForwardTo says who receives a forwarded signal.
type ForwardTo int

const (
	// ToGroup signals each process's whole process group, so helpers
	// that a shell script started with it get the signal too.
	ToGroup ForwardTo = iota
	// ToChild signals only the process pidone started.
	ToChild
)

// Restart is the policy for processes that exit while pidone runs.
type Restart int

const (
	// Never restarts: the first exit stops everything.
	Never Restart = iota
	// OnFailure restarts a process that exited non-zero or by a signal.
	OnFailure
	// Always restarts a process whatever its status.
	Always
)

// Program is one process to run.
type Program struct {
	// Name labels the process in logs and, in multi-process mode, in front
	// of every line it writes. Single-process mode leaves it empty.
	Name string
	// Argv is the command and its arguments. Argv[0] without a "/" is
	// looked up in PATH.
	Argv []string
}

// Credential is the user the processes run as.
type Credential struct {
	Uid, Gid uint32
	Groups   []uint32
	// Home is the HOME given to processes whose environment has none.
	Home string
}

// Config is everything Run needs. The zero value runs nothing and is
// completed with the defaults of SPEC.md by Run.
type Config struct {
	// Programs to start. None means pause mode: reap, wait for a stop.
	Programs []Program
	// Prefix sends each process's output through pidone, a line at a
	// time with the process name in front (multi-process mode). Without
	// it processes share pidone's stdin, stdout and stderr.
	Prefix bool

	ForwardTo ForwardTo
	Rewrite   signals.Rewrite
	// SuccessCodes are final statuses reported as 0.
	SuccessCodes map[int]bool
	// StopSignal is sent when pidone begins a stop on its own; 0 means
	// SIGTERM.
	StopSignal unix.Signal
	// DrainDelay holds a received SIGTERM back this long.
	DrainDelay time.Duration
	// GracePeriod bounds a stop, from its start, before SIGKILL; 0 waits
	// without limit.
	GracePeriod time.Duration
	Restart     Restart
	// User, when set, is who the processes run as.
	User *Credential
	// Env is the processes' environment; nil means pidone's own.
	Env []string
	// Pending are signals to deliver as soon as the processes exist.
	Pending []unix.Signal
	// Log receives pidone's own messages; nil discards them.
	Log *Logger
	// Inbox is where signals arrive (signals.Catch). A program sets it up
	// first thing, because until then a SIGTERM ends it (Go's default);
	// nil makes Run set it up itself.
	Inbox *catch.Inbox
}
