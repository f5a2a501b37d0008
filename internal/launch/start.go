package launch

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"

	"github.com/pidone/pidone/internal/threads"
	"golang.org/x/sys/unix"
)

// Cmd is one process to start.
type Cmd struct {
	// Name labels the process in errors; "" in single-process mode.
	Name string
	// Argv is the command and its arguments; Path the file to execute,
	// from Resolve.
	Argv []string
	Path string
	// Env is the complete environment.
	Env []string
	// Dir is the working directory, an absolute path.
	Dir string
	// Cred changes the ids; nil runs the process as pidone's user.
	Cred *syscall.Credential
	// Stdin, Stdout, Stderr are the process's descriptors 0–2; nil means
	// pidone's own.
	Stdin, Stdout, Stderr *os.File
	// Foreground makes the process's group the foreground group of the
	// terminal on pidone's stdin.
	Foreground bool
}

// Resolve finds the executable for c.Argv[0] in the PATH of c.Env, or
// checks the path it names (relative to c.Dir), and fills in c.Path.
func (c *Cmd) Resolve() error {
	path, err := lookPath(c.Argv[0], c.Env, c.Dir, c.Cred)
	if err != nil {
		return &StartError{Name: c.Name, Cmd: c.Argv[0], Err: err, Status: statusFor(err)}
	}
	c.Path = path
	return nil
}

// Start starts c and returns its pid. Errors are *StartError.
func Start(c *Cmd) (int, error) {
	if err := checkDir(c.Dir); err != nil {
		return 0, &StartError{Name: c.Name, Cmd: c.Dir, Dir: true, Err: err, Status: StatusNotExecutable}
	}
	if c.Path == "" {
		if err := c.Resolve(); err != nil {
			return 0, err
		}
	}
	attr := &syscall.ProcAttr{Dir: c.Dir, Env: c.Env, Files: files(c), Sys: sysProcAttr(c)}
	var pid int
	var err error
	threads.Fork(func() {
		pid, err = syscall.ForkExec(c.Path, c.Argv, attr)
		if err != nil && c.Foreground && (err == syscall.ENOTTY || err == syscall.EPERM) {
			// The terminal could not be handed over (pidone is not in its
			// session): run the process without it rather than not at all.
			attr.Sys.Foreground = false
			pid, err = syscall.ForkExec(c.Path, c.Argv, attr)
		}
	})
	if err != nil {
		se := &StartError{Name: c.Name, Cmd: c.Argv[0], Err: err, Status: statusFor(err), Transient: transient(err)}
		switch {
		case errors.Is(err, syscall.ENOENT):
			se.Interp, se.InterpKind = missingInterpreter(c.Path, c.Dir)
		case errors.Is(err, syscall.ENOEXEC):
			se.Hint = formatHint(c.Path, c.Dir, runtime.GOARCH)
		}
		return 0, se
	}
	return pid, nil
}

// sysProcAttr is how the process is set apart: its own process group,
// the user it runs as, the terminal.
func sysProcAttr(c *Cmd) *syscall.SysProcAttr {
	sys := &syscall.SysProcAttr{Setpgid: true, Credential: c.Cred}
	if c.Foreground {
		sys.Foreground, sys.Ctty = true, 0
	}
	return sys
}

func files(c *Cmd) []uintptr {
	fds := []uintptr{0, 1, 2}
	for i, f := range []*os.File{c.Stdin, c.Stdout, c.Stderr} {
		if f != nil {
			fds[i] = f.Fd()
		}
	}
	return fds
}

// checkDir is what chdir would say about dir, short of changing to it.
func checkDir(dir string) error {
	var st unix.Stat_t
	if err := unix.Stat(dir, &st); err != nil {
		return err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFDIR {
		return syscall.ENOTDIR
	}
	return nil
}

// OwnsTerminal reports whether fd is a terminal whose foreground process
// group is pidone's own. Only then may pidone give the terminal away: a
// pidone running in the background of a shell must not steal it.
func OwnsTerminal(fd int) bool {
	pgrp, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP)
	return err == nil && pgrp == unix.Getpgrp()
}

// StartDir returns the directory pidone started in, as the kernel knows it:
// the physical path, resolved once, not $PWD (a symlink that is followed
// anew at each start could lead elsewhere later).
func StartDir() (string, error) {
	dir, err := syscall.Getwd()
	if err != nil {
		return "", fmt.Errorf("the starting directory %s: %w", lostDir(), err)
	}
	return dir, nil
}

// lostDir names a starting directory getcwd cannot: the kernel still
// knows the path it had, and a shell leaves it in PWD.
func lostDir() string {
	if d, err := os.Readlink("/proc/self/cwd"); err == nil {
		return strings.TrimSuffix(d, " (deleted)")
	}
	if d := os.Getenv("PWD"); d != "" {
		return d
	}
	return "(unknown)"
}
