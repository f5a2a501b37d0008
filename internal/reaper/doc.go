// Package reaper is the one owner of wait4(2) in pidone.
//
// An init must collect the exit of every process that ends up its child:
// the ones it started, the orphans the kernel re-parents to it, and the
// readiness checks it runs. If two parts of a program wait for children,
// one of them eventually steals the other's exit and gets ECHILD; so
// nothing in pidone but a Reaper waits, and nothing uses exec.Cmd.Wait or
// os.Process.Wait.
//
// A Reaper is driven by SIGCHLD. Signals coalesce, so one SIGCHLD only
// means "at least one child changed state": Reap then collects with
// WNOHANG until nothing is left, hands back every exit with its pid, and
// says whether any child remains. The caller tells its processes from
// orphans by pid. With Stops set it also hands back children that
// stopped (WUNTRACED), for job control at a terminal.
//
// Exits are never lost between fork and registration: the caller starts
// processes and calls Reap from the same goroutine, so a child that exits
// at once is reaped only after the caller has recorded its pid.
//
// When the process is not PID 1, New makes it a child subreaper
// (PR_SET_CHILD_SUBREAPER), so that orphans of its descendants come to it
// instead of to the real init, as they would inside a container.
package reaper
