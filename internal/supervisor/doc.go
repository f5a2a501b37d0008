// Package supervisor runs the processes of a pidone container: it starts
// them, forwards the signals pidone receives, restarts them by policy,
// shuts everything down in order, and computes pidone's exit status.
//
// One goroutine owns all of it: a loop that selects on the signal
// channels, on timers (drain, grace, restart back-off) and on nothing else,
// so pidone does not wake up when nothing happens. Starting a process,
// reaping exits (through package reaper) and sending signals all happen in
// that loop, which is what makes the orderings simple to state: a signal
// that arrives while a process starts waits in its channel and is
// delivered once the process exists, and an exit is reaped only after the
// pid of the process that made it has been recorded.
//
// The shutdown follows the Shutdown section of pidone's SPEC.md: drain,
// stop signal, leftovers, grace period, SIGKILL, exit as soon as nothing is
// left.
package supervisor
