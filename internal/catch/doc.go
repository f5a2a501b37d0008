// Package catch is where signals reach pidone, and the start-up work that
// lets a Go program be an init without handing odd signal state to its
// children.
//
// # Receiving
//
// pidone installs no signal handler of its own: the Go runtime owns every
// handler, and Receive registers the signals pidone handles with os/signal
// (every forwardable signal and SIGCHLD). They arrive on channels that the
// supervisor's one loop selects on: SIGCHLD alone and
// coalesced, SIGTERM and SIGINT on a channel of their own so that a flood
// of other signals cannot delay a stop, and the rest together.
//
// What the runtime does not let a program catch is listed in the README:
// 32 and 34 keep the disposition pidone inherited (so, when pidone is not
// PID 1, they may end it), 33 is the runtime's own, SIGURG and SIGPROF are
// the runtime's and are never forwarded.
//
// # The mask
//
// Queued real-time signals must not keep every thread busy: Prepare makes
// sure each thread the runtime creates has them blocked (re-executing
// pidone once at start when they are not), so that only the runtime's own
// signal thread drains them and a SIGTERM is taken ahead of the queue. The
// processes are forked from a thread whose mask is empty (package threads),
// whatever pidone's threads block or it inherited.
package catch
