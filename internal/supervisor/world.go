package supervisor

import (
	"time"

	"golang.org/x/sys/unix"
)

// World is everything the Machine does outside itself: the clock, the
// kernel, the processes. The loop gives it the real one (osWorld); the
// tests give it a fake that records what was done.
type World interface {
	// Now is the current time.
	Now() time.Time
	// Start starts one run of p and returns its pid. An error is a
	// *launch.StartError.
	Start(p *Process) (int, error)
	// Signal sends sig to p's process (its group, per --forward-to).
	Signal(p *Process, sig unix.Signal) error
	// SignalOthers sends sig to every process pidone did not start and
	// can reach (as PID 1: every other process of the namespace; else its
	// descendants), and reports whether any is left to wait for. An error
	// means pidone cannot see them (no /proc).
	SignalOthers(sig unix.Signal) (found bool, err error)
	// Probe starts one readiness check of p's current run; its result
	// comes back through Machine.Probed.
	Probe(p *Process)
	// Unprobe ends whatever check of p is under way, or waits for an event
	// (a notification socket).
	Unprobe(p *Process)
	// StopSelf stops pidone itself with SIGSTOP (job control, not PID 1).
	StopSelf()
	// Foreground gives the terminal back to p's process group when p runs
	// on pidone's terminal and pidone's own group holds it (a shell's fg
	// gave it to the job, which is pidone's group).
	Foreground(p *Process)
}

// Reply answers a --ctl request: its exit status and a one-line message.
type Reply func(status int, msg string)
