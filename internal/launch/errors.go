package supervisor

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// Statuses pidone exits with when a command cannot be run, as a shell does.
const (
	StatusNotExecutable = 126
	StatusNotFound      = 127
)

// StartError reports a command that could not be started. Status is the
// exit status pidone owes for it: 127 when it does not exist, 126 when it
// exists but cannot be executed.
type StartError struct {
	Name   string // Procfile name, "" in single-process mode
	Cmd    string
	Err    error
	Status int
}

func (e *StartError) Error() string {
	what := e.Cmd
	if e.Name != "" {
		what = e.Name + ": " + e.Cmd
	}
	if e.Status == StatusNotFound && errors.Is(e.Err, errNotInPath) {
		return what + ": command not found"
	}
	return fmt.Sprintf("%s: %s", what, describe(e.Err))
}

func (e *StartError) Unwrap() error { return e.Err }

var errNotInPath = errors.New("not found in PATH")

// describe gives the plain words for the errno a failed exec returns.
func describe(err error) string {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch errno {
		case syscall.ENOENT:
			return "no such file or directory"
		case syscall.EACCES:
			return "permission denied"
		case syscall.ENOEXEC:
			return "exec format error"
		case syscall.EISDIR:
			return "is a directory"
		}
		return errno.Error()
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return describe(pe.Err)
	}
	return err.Error()
}

// statusFor maps an exec error to 127 (nothing to run) or 126 (something
// there that cannot run), the convention shells and tini follow.
func statusFor(err error) int {
	if errors.Is(err, errNotInPath) || errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ENOTDIR) {
		return StatusNotFound
	}
	return StatusNotExecutable
}
