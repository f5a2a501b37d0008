package cli

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/pidone/pidone/internal/catch"
	"github.com/pidone/pidone/internal/ctl"
	"github.com/pidone/pidone/internal/launch"
	"github.com/pidone/pidone/internal/logs"
	"github.com/pidone/pidone/internal/output"
	"github.com/pidone/pidone/internal/supervisor"
	"github.com/pidone/pidone/internal/threads"
	"github.com/spf13/pflag"
	"golang.org/x/sys/unix"
)

// Exit statuses of pidone itself.
const (
	statusUsage    = 2
	statusInternal = 1
)

// How long pidone waits at exit for the last output (its own lines, the
// processes' last lines) to be written: at most flushWait in all, and no
// longer than flushStall while a destination takes nothing (a reader that
// stopped reading).
const (
	flushWait  = 5 * time.Second
	flushStall = 250 * time.Millisecond
)

// Main is pidone: it reads the command line and the PIDONE_* variables,
// sets everything up in the order an init needs, runs the processes and
// returns pidone's exit status. version is what --version prints.
func Main(args []string, version string) int {
	// The parent as early as pidone can see it, for -p: a parent that dies
	// before pidone asks the kernel for the signal is seen as a change.
	parent := os.Getppid()
	if rest, ok := ctlArgs(args); ok {
		return control(rest)
	}
	// Before anything else: every thread of the runtime must be born with
	// the real-time signals blocked (Prepare may re-execute pidone); then
	// the signals, since until one is registered with the Go runtime its
	// default applies (SIGTERM would end pidone).
	maskErr := catch.Prepare(parent)
	recv := catch.Receive()
	parent = catch.Parent(parent)
	if err := checkFileLimit(); err != nil {
		// Nothing is set up to log with yet, and the runtime itself would
		// fail at its first descriptor beyond the limit.
		unix.Write(2, []byte("pidone: "+err.Error()+"\n"))
		return statusInternal
	}

	var log *logs.Logger
	out := output.Open(func(dest string, err error) {
		if output.IsGone(err) {
			log.Warn("cannot write to "+dest+"; what pidone and the processes write there is discarded", "err", err)
		} else {
			log.Warn("cannot write to "+dest+"; what could not be written is lost", "err", err)
		}
	})
	defer closeOutput(out, &log)
	// Only now the spare threads: os/signal and the output writers each
	// hold a thread of their own for good, and a spare made before them
	// would have become theirs, leaving the runtime short in a full pids
	// cgroup. Nothing after this point keeps a thread.
	threads.Setup()

	o, err := parse(args, os.LookupEnv)
	log = logs.New(out.Stderr, formatOf(o), logs.LevelFor(o.verbose))
	switch {
	case errors.Is(err, pflag.ErrHelp):
		out.Stdout.Write([]byte(usage()))
		return 0
	case err != nil:
		log.Fail(err.Error())
		return statusUsage
	case o.version:
		out.Stdout.Write([]byte("pidone " + version + "\n"))
		return 0
	}
	if maskErr != nil {
		log.Debug("real-time signals are not kept off the threads", "err", maskErr)
	}
	status, err := run(o, parent, recv, out, log)
	if err != nil {
		log.Fail(err.Error())
	}
	return status
}

// closeOutput writes what is left, once, at the very end: the processes'
// last lines and pidone's own, preceded by how many log lines a stuck
// stderr made pidone drop (best effort: stderr may be what is stuck).
func closeOutput(out *output.Out, log **logs.Logger) {
	lost := out.Stderr.Lost()
	if out.Stdout != out.Stderr {
		lost.Lines += out.Stdout.Lost().Lines
	}
	if lost.Lines > 0 {
		(*log).Warn("log lines lost", "lines", lost.Lines)
	}
	out.Close(time.Now().Add(flushWait), flushStall)
}

// formatOf is the log format, as far as the command line was read: an
// error after --log-format json is still JSON.
func formatOf(o *options) string {
	if !o.formatGiven && os.Getenv(envName("log-format")) == "json" {
		return "json"
	}
	return o.logFormat
}

// run prepares the processes and supervises them. Errors come with the
// status they owe.
func run(o *options, parent int, recv *catch.Receiver, out *output.Out, log *logs.Logger) (int, error) {
	dir, err := launch.StartDir()
	if err != nil {
		return launch.StatusNotExecutable, err
	}
	b := &builder{o: o, dir: dir, env: os.Environ(), self: launch.CurrentSelf()}
	specs, err := b.specs()
	if err != nil {
		var se *setupError
		if errors.As(err, &se) {
			return se.status, se.err
		}
		return statusUsage, err
	}
	// pidone keeps no directory busy (a volume could not be unmounted):
	// it leaves its starting one before any process exists, and the
	// processes are started in it by path.
	if err := os.Chdir("/"); err != nil {
		log.Debug("cannot leave the starting directory", "err", err)
	}
	if o.pdeathsig != 0 {
		if err := setPdeathsig(o.pdeathsig, parent); err != nil {
			return statusInternal, err
		}
	}
	prefix := o.procfile != ""
	var calls <-chan *ctl.Call
	if srv, err := ctl.Listen(ctl.Config{}); err != nil {
		log.Warn("no control socket: pidone --ctl cannot reach this pidone", "err", err)
	} else {
		defer srv.Close()
		calls = srv.Calls()
	}
	r := &supervisor.Run{
		Config:   o.machineConfig(),
		Specs:    specs,
		Signals:  recv,
		Log:      log,
		Out:      out,
		Prefix:   prefix,
		Group:    o.forwardTo != "child",
		Terminal: !prefix && len(specs) == 1 && launch.OwnsTerminal(0),
		Control:  calls,
	}
	return r.Start()
}

// minFiles is the least RLIMIT_NOFILE pidone runs with: its three
// standard descriptors, its own stdout and stderr, the Go runtime's poller
// and its wake-up descriptor, a process's pipes while it starts, and room.
// Below it the runtime aborts at its first descriptor too many.
const minFiles = 16

// checkFileLimit refuses a limit on open files pidone cannot work with.
// The Go runtime has already raised the soft limit to the hard one (and
// restores the original in every process pidone starts).
func checkFileLimit() error {
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &lim); err != nil || lim.Cur >= minFiles {
		return nil
	}
	return fmt.Errorf("the limit on open files (ulimit -n) is %d; pidone needs at least %d", lim.Cur, minFiles)
}

// setPdeathsig asks the kernel for sig when pidone's parent dies. If the
// parent died before the request, nothing will come, so pidone sends it to
// itself: either way it arrives through the ordinary signal path. The
// parent is compared before and after: a parent that is PID 1 (docker run
// --init, systemd) is as alive as any other.
func setPdeathsig(sig unix.Signal, parent int) error {
	if err := unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(sig), 0, 0, 0); err != nil {
		return fmt.Errorf("set the parent-death signal: %w", err)
	}
	if os.Getppid() != parent {
		return unix.Kill(os.Getpid(), sig)
	}
	return nil
}

// control is client mode (--ctl): it talks to the pidone of this
// container and reads no PIDONE_* variable.
func control(args []string) int {
	return ctl.Main(args, os.Stdout, os.Stderr)
}
