package supervisor

import (
	"time"
)

// Process is one Spec and the state of its runs. Only the Machine changes
// it.
type Process struct {
	*Spec
	State State
	// Pid is the current run's pid, 0 when it is not running.
	Pid int
	// Run counts the starts; events about an earlier run (a readiness
	// result that comes late) are told apart by it.
	Run int
	// Since is when the current run started, or the last state change of
	// a process that is not running.
	Since time.Time
	// Restarts counts every restart; inRow those since a run long enough
	// to reset the back-off.
	Restarts int
	inRow    int
	// LastStatus is the last exit status, -1 before the first exit.
	LastStatus int

	backoff time.Duration // the delay before the next restart
	due     time.Time     // BackingOff: the restart; Starting: the next check
	every   time.Duration // Starting: the delay before the check after next
	probing bool          // a readiness check is under way
	warnAt  time.Time     // Waiting, Starting: the next "not ready yet" warning
	warned  time.Duration // how long it had waited at the last warning

	stopSent bool // it got its stop signal in the current stop
	held     bool // stopped on request: its exit ends nothing
	// jobStop is set when pidone forwarded a job-control stop to it and
	// stopped itself: the report of that stop is not news.
	jobStop bool
	again   bool      // restart on request: start once it has exited
	killAt  time.Time // held: SIGKILL then if still running
	// --ctl requests waiting for this process to have exited (stop) or
	// to be running again (restart, start).
	onStopped []Reply
	onStarted []Reply

	deps       []*Process // what it starts after
	dependents []*Process // what starts after it
}

// running reports whether p has a process: a pid that is not yet reaped.
func (p *Process) running() bool { return p.Pid != 0 }

// satisfies reports whether p lets a process that starts after it start:
// a one-shot once it has completed, a service while it is ready.
func (p *Process) satisfies() bool {
	if p.OneShot {
		return p.State == Completed
	}
	return p.State == Ready
}

// hopeless reports whether p can no longer satisfy those that start after
// it: it has ended for good without being what they wait for.
func (p *Process) hopeless() bool {
	return p.State.final() && !p.satisfies()
}
