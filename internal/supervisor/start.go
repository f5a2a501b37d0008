package supervisor

import (
	"fmt"
	"os"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// starter holds what every start of every process shares.
type starter struct {
	dir        string   // pidone's starting directory
	env        []string // the processes' environment
	cred       *syscall.Credential
	foreground bool // hand the terminal on stdin to the process group
	devNull    *os.File
}

func newStarter(cfg *Config, dir string) (*starter, error) {
	st := &starter{dir: dir, env: cfg.Env}
	if st.env == nil {
		st.env = os.Environ()
	}
	if u := cfg.User; u != nil {
		st.cred = &syscall.Credential{Uid: u.Uid, Gid: u.Gid, Groups: u.Groups}
		if u.Groups == nil {
			// An empty, non-nil list still clears root's groups: NoSetGroups
			// stays false and setgroups(0) runs.
			st.cred.Groups = []uint32{}
		}
		st.env = withHome(st.env, u.Home)
	}
	if cfg.Prefix {
		f, err := os.Open(os.DevNull)
		if err != nil {
			return nil, fmt.Errorf("open %s for the processes' stdin: %w", os.DevNull, err)
		}
		st.devNull = f
	} else {
		st.foreground = len(cfg.Programs) == 1 && ownsTerminal(0)
	}
	return st, nil
}

// withHome sets HOME when env has none or an empty one, as login and su
// do; a HOME the user chose is kept.
func withHome(env []string, home string) []string {
	if home == "" {
		home = "/"
	}
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], "HOME="); ok {
			if v != "" {
				return env
			}
			out := append([]string(nil), env...)
			out[i] = "HOME=" + home
			return out
		}
	}
	return append(append([]string(nil), env...), "HOME="+home)
}

// ownsTerminal reports whether fd is a terminal whose foreground process
// group is pidone's own. Only then may pidone give the terminal away: a
// pidone running in the background of a shell must not steal it.
func ownsTerminal(fd int) bool {
	pgrp, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP)
	return err == nil && pgrp == unix.Getpgrp()
}

// resolve finds the executable for argv[0] before anything starts, so a
// missing command is reported with pidone's own message and status.
func (st *starter) resolve(p Program) (string, error) {
	path, err := lookPath(p.Argv[0], st.env)
	if err != nil {
		return "", &StartError{Name: p.Name, Cmd: p.Argv[0], Err: err, Status: statusFor(err)}
	}
	return path, nil
}

// start forks and executes one process as the leader of a new process
// group. stdout and stderr are the files the process writes to; nil
// means pidone's own.
func (st *starter) start(p Program, path string, stdout, stderr *os.File) (int, error) {
	files := []uintptr{0, 1, 2}
	if st.devNull != nil {
		files[0] = st.devNull.Fd()
	}
	if stdout != nil {
		files[1] = stdout.Fd()
	}
	if stderr != nil {
		files[2] = stderr.Fd()
	}
	sys := &syscall.SysProcAttr{Setpgid: true, Credential: st.cred}
	if st.foreground {
		sys.Foreground, sys.Ctty = true, 0
	}
	// syscall.ForkExec rather than os.StartProcess: no pidfd, no
	// os.Process whose Wait could race the reaper, and no PWD added to
	// the environment. The working directory is pidone's starting one,
	// which pidone itself has left.
	attr := &syscall.ProcAttr{Dir: st.dir, Env: st.env, Files: files, Sys: sys}
	pid, err := syscall.ForkExec(path, p.Argv, attr)
	if err != nil && st.foreground && (err == syscall.ENOTTY || err == syscall.EPERM) {
		// The terminal could not be handed over (pidone is not in its
		// session): run the process without it rather than not at all.
		sys.Foreground = false
		pid, err = syscall.ForkExec(path, p.Argv, attr)
	}
	if err != nil {
		return 0, &StartError{Name: p.Name, Cmd: p.Argv[0], Err: err, Status: statusFor(err)}
	}
	return pid, nil
}
