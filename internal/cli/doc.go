// Package cli is pidone's command line: it reads the options and their
// PIDONE_* variables, and sets a run up in the order an init needs.
//
// # Order
//
// Main does, before anything else: keep the real-time signals off every
// thread (package catch may re-execute pidone for that), register the
// signals with the Go runtime (until then SIGTERM would end pidone), make
// the threads pidone will need (package threads), and only then read the
// command line, the Procfile and the account database, leave the starting
// directory, open the control socket and start the processes (package
// supervisor). --ctl is dispatched first, to package ctl: a client sets
// nothing of this up and reads no PIDONE_* variable.
//
// # Options
//
// Every option has a PIDONE_<NAME> variable; a flag wins over it; values
// are checked strictly when they are read, with the same message for a
// flag and its variable. An empty variable counts as unset, an explicitly
// empty flag value is an error.
//
// # Errors
//
// Every error is one line (package oneline), written through the logger
// once the log format is known (so that --log-format json makes it JSON),
// and returned with the status it owes: 2 for a usage error, 126 or 127
// for a command that cannot run, 1 when pidone cannot work.
package cli
