package supervisor

// State is where one process stands. Every change of state goes through
// Machine.set, which logs it at debug level.
type State int

// The states of a process. A process has a pid in Starting,
// Running and Ready only.
const (
	// Waiting: not started yet, because what it comes after (PIDONE_AFTER)
	// is not ready or completed.
	Waiting State = iota
	// Starting: running, not yet ready (its readiness check has not passed).
	Starting
	// Running: a one-shot task at work.
	Running
	// Ready: a service that is running and ready.
	Ready
	// BackingOff: exited, to be started again once its back-off is over.
	BackingOff
	// Completed: exited 0 with its job done (a one-shot, an on-failure
	// service), or a final exit whose status counts as 0.
	Completed
	// Stopped: stopped on request (--ctl stop), or never started because
	// the container stopped first.
	Stopped
	// Failed: its final exit was not 0, or it could not be started.
	Failed
)

var stateNames = [...]string{
	Waiting: "waiting", Starting: "starting", Running: "running", Ready: "ready",
	BackingOff: "backing-off", Completed: "completed", Stopped: "stopped", Failed: "failed",
}

// String is the name --ctl status shows.
func (s State) String() string { return stateNames[s] }

// hasProcess reports whether a process in this state has a pid.
func (s State) hasProcess() bool { return s == Starting || s == Running || s == Ready }

// final reports whether the process is done for good, short of a --ctl
// start.
func (s State) final() bool { return s == Completed || s == Failed }

// Phase is where the container stands. Every change goes through
// Machine.setPhase, which logs it at debug level.
type Phase int

// The phases of the container, in the order they come.
const (
	// PhaseStarting: some process is still waiting or not yet ready.
	PhaseStarting Phase = iota
	// PhaseRunning: everything that should run runs.
	PhaseRunning
	// PhaseDraining: a SIGTERM is held back (--drain-delay).
	PhaseDraining
	// PhaseStopping: the processes are being stopped.
	PhaseStopping
	// PhaseDone: nothing is left; pidone exits.
	PhaseDone
)

var phaseNames = [...]string{
	PhaseStarting: "starting", PhaseRunning: "running", PhaseDraining: "draining",
	PhaseStopping: "stopping", PhaseDone: "done",
}

// String is the name --ctl status and the debug log show.
func (p Phase) String() string { return phaseNames[p] }

// stopping reports whether a stop has begun (a drain is part of it).
func (p Phase) stopping() bool { return p >= PhaseDraining }
