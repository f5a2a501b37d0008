// Package threads prepares the OS threads of pidone at start-up, so that
// it never needs a new one, and forks processes from a thread whose
// signal mask is empty.
//
// # No new thread after start-up
//
// The Go runtime creates a thread whenever it needs one more: to run a
// goroutine while another thread is in a system call, to start a
// goroutine on an idle processor. In a pids cgroup that pidone's processes
// have filled (pids.max counts threads), the kernel refuses, and the
// runtime aborts ("fatal error: newosproc"): the container dies with no
// stop. So pidone makes its threads while it still can, and then needs no
// new one. Setup runs the program on one processor (GOMAXPROCS 1): then
// starting a goroutine never asks for a thread, and only a thread that
// stays in a system call for long makes the runtime hand its processor to
// another one. An init's work is system calls and bookkeeping: one
// processor is enough (and the runtime then stops adjusting GOMAXPROCS on
// its own). Setup then parks spare threads: it locks goroutines to
// threads at once, which takes every idle thread and makes new ones, and
// lets them go; the runtime keeps idle threads and takes them before it
// creates any. A goroutine that locks itself to a thread for good (the
// os/signal one, the output writers) makes the thread it runs on its own:
// Setup comes after them, or they would take spares.
//
// # An empty mask for the processes
//
// A process inherits the signal mask of the thread that forks it (the Go
// runtime saves that thread's mask before the fork and restores it in the
// child), so Fork runs the fork on a thread whose mask is empty for the
// time of it: the processes start with no signal blocked, whatever
// pidone's threads block (package catch blocks the real-time signals on
// all of them) or pidone inherited.
package threads
