// Package supervisor runs the processes of a pidone container: it starts
// them in order, forwards the signals pidone receives, restarts them by
// policy, stops everything in order, and computes pidone's exit status.
//
// # One owner
//
// A Machine holds all of it, and one goroutine, the loop (Run.Start),
// owns the Machine: every event reaches it there — a signal from
// os/signal, a SIGCHLD (then the one reaper collects every exit), the
// Machine's next deadline, a readiness result, a --ctl request — and the
// loop hands it to the Machine, which changes state and acts. So the
// orderings are simple to state: a signal that arrives while a process
// starts waits in its channel and is delivered once the process exists;
// an exit is reaped only after the pid of the process that made it has
// been recorded; nothing about a process changes anywhere else.
//
// # States
//
// Each process has one State (waiting, starting, running, ready,
// backing-off, completed, stopped, failed) and the container one Phase
// (starting, running, draining, stopping, done). Every change of either
// goes through one function, which logs it at debug level.
//
// # Decisions without processes
//
// The Machine knows the time only from its World and acts only through
// it: starting a process, signalling one, signalling what pidone did not
// start, probing readiness, stopping pidone itself. The loop gives it the
// real World; the tests a fake one with a clock that moves when told, and
// check what the Machine did for a sequence of events.
//
// # No polling
//
// The loop sleeps until an event comes or the Machine's next deadline (a
// drain or grace period that ends, a restart or readiness check that is
// due, a warning) passes; with everything running and ready there is no
// deadline, and pidone does not wake up.
//
// # The stop
//
// The stop follows the Shutdown section of SPEC.md: drain, stop signal in
// reverse start order (a process gets it once every process that starts
// after it has exited), leftovers, grace period, SIGKILL, exit as soon as
// nothing is left.
package supervisor
