package cli

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/pidone/pidone/internal/account"
	"github.com/pidone/pidone/internal/launch"
	"github.com/pidone/pidone/internal/procfile"
	"github.com/pidone/pidone/internal/supervisor"
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
	entries, err := procfile.ParseFile(b.o.procfile, os.LookupEnv)
	if err != nil {
		return nil, usageError(err)
	}
	var out []*supervisor.Spec
	for _, e := range entries {
		s := &supervisor.Spec{Name: e.Name, Argv: e.Argv, Env: b.env, Dir: b.dir,
			Restart: restarts[b.o.restart], MaxRestarts: b.o.maxRestarts}
		if err := b.finish(s, ""); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
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
		c := &launch.Cmd{Name: s.Name, Argv: s.Argv, Env: s.Env, Dir: s.Dir}
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
