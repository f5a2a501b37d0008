// Package catch is where signals reach pidone, and the start-up work that
// lets a Go program be an init without handing odd signal state to its
// children.
//
// # Receiving
//
// pidone installs no signal handler of its own: the Go runtime owns every
// handler, and Receive registers the signals pidone handles with os/signal
// (signals.Handled: every forwardable signal and SIGCHLD). They arrive on
// channels that the supervisor's one loop selects on: SIGCHLD alone and
// coalesced, SIGTERM and SIGINT on a channel of their own so that a flood
// of other signals cannot delay a stop, and the rest together.
//
// What the runtime does not let a program catch is listed in the README:
// 32 and 34 keep the disposition pidone inherited (so, when pidone is not
// PID 1, they may end it), 33 is the runtime's own, SIGURG and SIGPROF are
// the runtime's and are never forwarded.
//
// # The inherited mask
//
// The runtime restores the signal mask a program inherited in every child
// it forks, so a parent that blocked signals would block them in pidone's
// processes too. ClearMask re-executes pidone once with an empty mask when
// the inherited one is not empty, carrying the signals that were pending
// across the exec in a pipe.
package catch
