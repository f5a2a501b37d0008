package launch

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"github.com/pidone/pidone/internal/oneline"
)

// Statuses pidone exits with when a command cannot be run, as a shell does,
// and when pidone itself cannot start it (a fork that fails).
const (
	StatusCannotWork    = 1
	StatusNotExecutable = 126
	StatusNotFound      = 127
)

// StartError reports a command that could not be started. Status is the
// exit status pidone owes for it: 127 when it does not exist, 126 when it
// exists but cannot be executed or its directory is missing, 1 when pidone
// could not create the process (Transient then says whether trying again
// later may work: the system was out of processes or memory).
type StartError struct {
	Name      string // the process's name, "" in single-process mode
	Cmd       string // the command, or the directory when Dir is set
	Dir       bool   // the working directory is at fault, not the command
	Err       error
	Status    int
	Transient bool
	// Interp is set when the command exists but what the kernel runs it
	// with does not: the interpreter of its #! line or its dynamic
	// loader, as InterpKind says.
	Interp, InterpKind string
	// Hint says what likely made the command's format wrong, or is "".
	Hint string
}

func (e *StartError) Error() string {
	// The command and the directory are the user's: a newline in them
	// must not break the one-line message.
	what := oneline.Escape(e.Cmd)
	if e.Dir {
		what = "directory " + what
	}
	if e.Name != "" {
		what = e.Name + ": " + what
	}
	switch {
	case e.Status == StatusNotFound && errors.Is(e.Err, errNotInPath):
		return what + ": command not found"
	case e.Status == StatusCannotWork:
		return fmt.Sprintf("%s: cannot create the process: %s", what, describe(e.Err))
	case e.InterpKind == kindScript:
		return fmt.Sprintf("%s: interpreter %s named by its #! line: %s", what, oneline.Escape(e.Interp), describe(e.Err))
	case e.InterpKind == kindLoader:
		return fmt.Sprintf("%s: dynamic loader %s: %s (the program needs a C library the image does not have)", what, oneline.Escape(e.Interp), describe(e.Err))
	case e.Hint != "":
		return fmt.Sprintf("%s: %s (%s)", what, describe(e.Err), e.Hint)
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
// there that cannot run), the convention shells and tini follow, and a
// fork that failed for lack of resources to 1: pidone could not work.
func statusFor(err error) int {
	switch {
	case transient(err):
		return StatusCannotWork
	case errors.Is(err, errNotInPath) || errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ENOTDIR):
		return StatusNotFound
	}
	return StatusNotExecutable
}

// transient reports a failure to create a process that may pass: the
// system, a cgroup (pids.max) or an rlimit was out of processes or memory.
func transient(err error) bool {
	return errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.ENOMEM)
}
