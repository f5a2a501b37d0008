package signals

import "golang.org/x/sys/unix"

// ExitCode turns a wait status into the exit status a shell would report:
// the process's own code, or 128+N when signal N killed it.
func ExitCode(ws unix.WaitStatus) int {
	switch {
	case ws.Exited():
		return ws.ExitStatus()
	case ws.Signaled():
		return 128 + int(ws.Signal())
	}
	// Stopped or continued statuses are never final; callers pass only
	// exits, but a value is still owed.
	return 128 + int(ws.StopSignal())
}
