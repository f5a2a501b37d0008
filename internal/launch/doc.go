// Package launch starts the processes pidone supervises and signals them.
//
// # Starting
//
// Start forks and executes one process with syscall.ForkExec (not
// os.StartProcess: no pidfd, no os.Process whose Wait could race the one
// reaper, no PWD added to the environment), as the leader of a new process
// group, with the user, directory, environment and files its Cmd says, and
// with every signal at its default disposition and an empty mask (the Go
// runtime resets the signals it handles; package catch makes sure the mask
// pidone restores is empty). It inherits no descriptor pidone opened:
// everything pidone opens is close-on-exec.
//
// A command is looked up before anything starts (Resolve), so that a
// missing one is reported with pidone's own message and status: 127 when
// there is nothing to run, 126 when something is there that cannot run.
// The working directory is checked just before the fork, so that a missing
// one is named as such rather than blamed on the command. A fork that
// fails for lack of resources (EAGAIN, ENOMEM) is a StartError with
// status 1 that says it may pass. An exec that fails with ENOENT although
// the command is there names what is missing instead: the interpreter of
// its #! line, or the dynamic loader of a program linked against a C
// library the image does not have (read from its ELF PT_INTERP header);
// one that fails with ENOEXEC says what is likely wrong: a program for
// another architecture, or a script without a #! line.
//
// # Signalling
//
// Signal is the one place that decides who gets a signal meant for a
// process: its whole process group (the default, so that what a shell
// script started gets it too), else the process alone when the group is
// gone (it called setsid or setpgid). It never signals outside the group
// or the pid it is given.
//
// # Users
//
// PlanUser decides how a process runs as another user: ids are changed
// only where they differ from pidone's, supplementary groups only where
// pidone may set them, and a change that pidone is not allowed to make, or
// a user pidone could not signal afterwards (no CAP_KILL), is refused
// before anything starts.
package launch
