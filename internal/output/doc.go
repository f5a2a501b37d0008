// Package output is everything pidone writes to its own stdout and
// stderr: its log lines and, in multi-process mode, the prefixed lines of
// its processes. Its duty is that nothing written there can stop pidone.
//
// # Never blocked
//
// Each destination is a Sink: a bounded buffer and one writer goroutine.
// Log lines are added without waiting: when the buffer is full (a reader
// that stopped reading), the line is dropped and counted. The copiers of
// the processes' pipes wait for room instead, so a slow reader slows the
// processes, as it would without pidone, and loses nothing; the loop that
// forwards signals, reaps and stops never waits for either.
//
// The writer writes through Go's poller, never in a blocking system call
// that would hold an OS thread: it reopens a pipe, terminal or character
// device through /proc/self/fd with O_NONBLOCK, which gives pidone a file
// description of its own (setting O_NONBLOCK on the inherited one would
// change it for the processes that share it). A regular file never blocks
// for long, and a socket cannot be reopened: those, and any destination
// when /proc is missing, are written with plain writes on the writer's own
// thread, which still never holds up the loop.
//
// # Whole lines
//
// Everything enters a Sink as whole lines, and one writer empties it in
// order, so lines of different processes and pidone's own never mix
// inside a line. When stdout and stderr are the same file or pipe
// (2>&1), they share one Sink: two writers on one pipe would interleave
// large writes.
//
// # A destination that is gone
//
// A write that fails with EPIPE ends that destination: everything for it
// is discarded from then on, and the processes keep running. pidone must
// not die of the SIGPIPE its own write causes, nor forward it: the writer
// goroutine is locked to its OS thread with SIGPIPE blocked there, so the
// kernel's thread-directed SIGPIPE stays pending on that thread and never
// reaches os/signal, while a SIGPIPE sent to pidone with kill is delivered
// to another thread and forwarded as usual.
package output
