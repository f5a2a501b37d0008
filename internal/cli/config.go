package cli

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/pidone/pidone/internal/account"
	"github.com/pidone/pidone/internal/launch"
	"github.com/pidone/pidone/internal/procfile"
	"github.com/pidone/pidone/internal/supervisor"
	"golang.org/x/sys/unix"
)

// setupError is a failure to prepare the run, with the status pidone
// exits with: 2 for a usage error, 126 or 127 for a command that cannot
// run, 1 when pidone cannot work.
type setupError struct {
	status int
	err    error
}

func (e *setupError) Error() string { return e.err.Error() }
func (e *setupError) Unwrap() error { return e.err }

func usageError(err error) error { return &setupError{statusUsage, err} }

// restarts maps --restart and PIDONE_RESTART to policies.
var restarts = map[string]supervisor.Restart{
	"never": supervisor.Never, "on-failure": supervisor.OnFailure, "always": supervisor.Always,
}

// machineConfig is the Machine's part of the options.
func (o *options) machineConfig() supervisor.Config {
	cfg := supervisor.Config{
		Rewrite:      o.rewrite,
		StopSignal:   o.stopSignal,
		DrainDelay:   o.drainDelay,
		GracePeriod:  o.gracePeriod,
		SuccessCodes: map[int]bool{},
		PID1:         os.Getpid() == 1,
	}
	for _, c := range o.successCodes {
		n, _ := strconv.Atoi(c) // checked when read
		cfg.SuccessCodes[n] = true
	}
	return cfg
}

// builder turns options into the processes' Specs: it reads the Procfile,
// resolves users and commands. Errors are *setupError.
type builder struct {
	o    *options
	dir  string   // pidone's starting directory
	env  []string // pidone's environment
	self launch.Self
	// users caches USER[:GROUP] resolutions, so that a user shared by
	// several processes is looked up and checked once.
	users map[string]userPlan
}

type userPlan struct {
	cred *syscall.Credential
	home string
}

func (b *builder) specs() ([]*supervisor.Spec, error) {
	switch {
	case b.o.pause:
		return nil, nil
	case b.o.procfile != "":
		return b.procfileSpecs()
	}
	s := &supervisor.Spec{Name: "main", Argv: b.o.args, Env: b.env, Dir: b.dir,
		Restart: restarts[b.o.restart], MaxRestarts: b.o.maxRestarts}
	if err := b.finish(s, ""); err != nil {
		return nil, err
	}
	return []*supervisor.Spec{s}, nil
}

func (b *builder) procfileSpecs() ([]*supervisor.Spec, error) {
	entries, err := procfile.ParseFile(b.o.procfile, procfile.Config{Getenv: os.LookupEnv})
	if err != nil {
		return nil, usageError(err)
	}
	if err := checkFilesFor(len(entries)); err != nil {
		return nil, &setupError{statusInternal, err}
	}
	var out []*supervisor.Spec
	for _, e := range entries {
		s, err := b.procfileSpec(e)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// procfileSpec applies a Procfile line's options over the global ones.
func (b *builder) procfileSpec(e procfile.Entry) (*supervisor.Spec, error) {
	o := e.Options
	s := &supervisor.Spec{Name: e.Name, Argv: e.Argv, Env: withVars(b.env, e.Env), Dir: b.dir,
		OneShot: o.OneShot, After: o.After, StopSignal: o.StopSignal,
		Restart: restarts[b.o.restart], MaxRestarts: b.o.maxRestarts}
	if o.Restart != "" {
		s.Restart = restarts[o.Restart]
	} else if s.OneShot && s.Restart == supervisor.Always {
		// A one-shot that succeeded is done; --restart always means
		// "keep the services up", not "run the migration forever".
		s.Restart = supervisor.OnFailure
	}
	if o.MaxRestarts != nil {
		s.MaxRestarts = *o.MaxRestarts
	}
	if o.Signals != nil {
		s.Signals = map[unix.Signal]bool{}
		for _, sig := range *o.Signals {
			s.Signals[sig] = true
		}
	}
	if o.Dir != "" {
		s.Dir = o.Dir
		if !filepath.IsAbs(s.Dir) {
			s.Dir = filepath.Join(b.dir, s.Dir)
		}
	}
	if err := b.finish(s, o.User); err != nil {
		// A PIDONE_USER that names nobody is a bad value of that line.
		var se *setupError
		if o.User != "" && errors.As(err, &se) && se.status == statusUsage {
			return nil, usageError(&procfile.Error{File: b.o.procfile, Line: e.Line, Msg: se.err.Error()})
		}
		return nil, err
	}
	if o.Ready != nil {
		s.Ready = check(o.Ready, s, e.Assigned)
	}
	return s, nil
}

// check turns a PIDONE_READY value into the supervisor's check, in the
// process's directory and environment, with the line's assignments (which
// sh, not pidone, does for a line that needs a shell).
func check(c *procfile.Check, s *supervisor.Spec, assigned []string) *supervisor.Check {
	out := &supervisor.Check{Raw: c.Raw}
	switch c.Kind {
	case procfile.CheckTCP:
		out.Kind = supervisor.CheckTCP
		port := strconv.Itoa(c.Port)
		if c.Host == "" {
			// "On localhost": a server may listen on either loopback
			// address only, and a scratch image has no /etc/hosts to
			// say which localhost is.
			out.Addrs = []string{net.JoinHostPort("127.0.0.1", port), net.JoinHostPort("::1", port)}
		} else {
			out.Addrs = []string{net.JoinHostPort(c.Host, port)}
		}
	case procfile.CheckFile:
		out.Kind, out.Path = supervisor.CheckFile, c.Path
		if !filepath.IsAbs(out.Path) {
			out.Path = filepath.Join(s.Dir, out.Path)
		}
	case procfile.CheckLog:
		out.Kind, out.Text = supervisor.CheckLog, c.Text
	case procfile.CheckExec:
		out.Kind, out.Argv, out.Env = supervisor.CheckExec, c.Exec.Argv, withVars(withVars(s.Env, assigned), c.Exec.Env)
	case procfile.CheckNotify:
		out.Kind = supervisor.CheckNotify
	}
	return out
}

// withVars returns env with the NAME=value assignments vars added or
// replacing the variables of the same name.
func withVars(env, vars []string) []string {
	if len(vars) == 0 {
		return env
	}
	set := make(map[string]bool, len(vars))
	for _, v := range vars {
		name, _, _ := strings.Cut(v, "=")
		set[name] = true
	}
	out := make([]string, 0, len(env)+len(vars))
	for _, v := range env {
		if name, _, _ := strings.Cut(v, "="); !set[name] {
			out = append(out, v)
		}
	}
	return append(out, vars...)
}

// checkFilesFor refuses a file limit too low for n processes: each holds
// two pipes open in pidone while it runs.
func checkFilesFor(n int) error {
	var lim unix.Rlimit
	need := uint64(minFiles + 3*n)
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil || lim.Cur >= need {
		return nil
	}
	return fmt.Errorf("the limit on open files (ulimit -n) is %d; pidone needs at least %d for %d processes", lim.Cur, need, n)
}

// finish applies the user (the process's own, else --user) and resolves
// the command, so that a missing one is reported before anything starts.
// A command with a "/" that is relative is left to the start: it is found
// in the process's directory, which may not exist yet.
func (b *builder) finish(s *supervisor.Spec, user string) error {
	if user == "" && b.o.user != nil {
		user = *b.o.user
	}
	if user != "" {
		plan, err := b.plan(user)
		if err != nil {
			return err
		}
		s.Cred = plan.cred
		s.Env = withHome(s.Env, plan.home)
	}
	if name := s.Argv[0]; !strings.Contains(name, "/") || strings.HasPrefix(name, "/") {
		c := &launch.Cmd{Name: s.Name, Argv: s.Argv, Env: s.Env, Dir: s.Dir, Cred: s.Cred}
		if err := c.Resolve(); err != nil {
			var se *launch.StartError
			errors.As(err, &se)
			if b.o.procfile == "" {
				se.Name = ""
			}
			return &setupError{se.Status, se}
		}
		s.Path = c.Path
	}
	return nil
}

// plan resolves a user and decides how to run processes as it.
func (b *builder) plan(user string) (userPlan, error) {
	if p, ok := b.users[user]; ok {
		return p, nil
	}
	c, err := account.Lookup(user)
	if err != nil {
		return userPlan{}, usageError(err)
	}
	cred, err := b.self.PlanUser(user, c)
	if err != nil {
		return userPlan{}, &setupError{statusInternal, err}
	}
	p := userPlan{cred: cred, home: c.Home}
	if b.users == nil {
		b.users = map[string]userPlan{}
	}
	b.users[user] = p
	return p, nil
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
