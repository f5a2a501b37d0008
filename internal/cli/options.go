package cli

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/pidone/pidone/internal/oneline"
	"github.com/pidone/pidone/internal/signals"
	"github.com/spf13/pflag"
	"golang.org/x/sys/unix"
)

// options is the command line once read.
type options struct {
	forwardTo    string
	rewrite      signals.Rewrite
	rewriteRules []string
	successCodes []string
	pdeathsig    unix.Signal
	subreaper    bool
	verbose      int
	logFormat    string
	user         *string // nil: not given
	procfile     string
	restart      string
	maxRestarts  int
	pause        bool
	drainDelay   time.Duration
	gracePeriod  time.Duration
	stopSignal   unix.Signal
	version      bool
	args         []string
	// formatGiven says --log-format was on the command line: it then wins
	// over PIDONE_LOG_FORMAT, even for an error.
	formatGiven bool
	// fromEnv holds the options a PIDONE_ variable set.
	fromEnv map[string]bool
}

// parse reads args and the PIDONE_* variables. A flag wins over its
// variable; both are checked strictly. On error the options read so far
// are returned too: the log format may already be known.
func parse(args []string, getenv func(string) (string, bool)) (*options, error) {
	o := &options{}
	fs := flagSet(o)
	err := fs.Parse(args)
	o.formatGiven = fs.Changed("log-format")
	if err != nil {
		// The error may come before --log-format was read: a JSON log
		// asked for anywhere among the options is still JSON.
		if f, ok := logFormatIn(args); ok && !o.formatGiven {
			o.logFormat, o.formatGiven = f, true
		}
		// pflag quotes nothing: an argument with a newline would break
		// the one-line message.
		return o, oneline.Error{Err: err}
	}
	if help, _ := fs.GetBool("help"); help {
		return o, pflag.ErrHelp
	}
	o.args = fs.Args()
	if o.version {
		// As --help: the image's variables do not stand in the way.
		return o, nil
	}
	if err := fromEnv(fs, getenv, o); err != nil {
		return o, oneline.Error{Err: err}
	}
	return o, o.check()
}

// flagSet declares every option of SPEC.md, bound to o.
func flagSet(o *options) *pflag.FlagSet {
	fs := pflag.NewFlagSet("pidone", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SetInterspersed(false) // options end at the command
	fs.SortFlags = false

	fs.Var(choice(&o.forwardTo, "group", "group", "child"), "forward-to", "send forwarded signals to each process's `group` or only the child")
	fs.VarP(rewriteFlag{&o.rewrite, &o.rewriteRules}, "rewrite", "r", "`FROM:TO`: forward signal FROM as TO; TO 0 or none drops it (repeatable)")
	fs.Var(durationFlag{&o.drainDelay}, "drain-delay", "on SIGTERM, wait this `duration` before forwarding it")
	o.gracePeriod = 10 * time.Second
	fs.Var(durationFlag{&o.gracePeriod}, "grace-period", "`duration` a stop may take before SIGKILL; 0 waits forever")
	o.stopSignal = unix.SIGTERM
	fs.Var(signalFlag{v: &o.stopSignal, check: signals.CheckStopSignal}, "stop-signal", "`signal` pidone sends when it begins a stop itself")
	fs.VarP(codesFlag{&o.successCodes}, "success-code", "e", "report final exit `code` as 0 (repeatable)")
	fs.VarP(signalFlag{v: &o.pdeathsig, check: signals.CheckReceivable}, "pdeathsig", "p", "treat parent death as receiving `signal`")
	fs.BoolVarP(&o.subreaper, "subreaper", "s", false, "accepted for tini compatibility; automatic when not PID 1")
	fs.CountVarP(&o.verbose, "verbose", "v", "log more: info, then debug (repeatable)")
	fs.Var(choice(&o.logFormat, "text", "text", "json"), "log-format", "`format` of pidone's own log lines: text or json")
	fs.VarP(userFlag{&o.user}, "user", "u", "run the processes as `USER[:GROUP]`, not as pidone's user")
	fs.StringVar(&o.procfile, "procfile", "", "run every process declared in `FILE`")
	fs.Var(choice(&o.restart, "never", "never", "on-failure", "always"), "restart", "restart `policy`: never, on-failure or always")
	fs.Var(countFlag{&o.maxRestarts}, "max-restarts", "restarts in a row after which an exit is final; 0 for no limit")
	fs.BoolVar(&o.pause, "pause", false, "start no process; reap and wait for SIGTERM or SIGINT")
	fs.Bool("ctl", false, "talk to the running pidone: --ctl status|restart|stop|start|signal ... (see --help)")
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	fs.BoolP("help", "h", false, "print this help and exit")
	return fs
}

func usage() string {
	return `Usage:
  pidone [OPTIONS] [--] COMMAND [ARG...]   run one main process
  pidone [OPTIONS] --procfile FILE         run every process declared in FILE
  pidone [OPTIONS] --pause                 run nothing: reap, wait for a stop
  pidone --ctl VERB [ARG...]               talk to the running pidone:
         status [--json] | restart NAME | stop NAME | start NAME | signal NAME SIG

pidone is a container init: it forwards signals to the processes, reaps
every zombie, and stops everything gracefully (drain, grace period, SIGKILL).

Options (each also read from PIDONE_<NAME>, e.g. PIDONE_DRAIN_DELAY=5s):
` + flagSet(&options{}).FlagUsages() + `
Exit status: the main process's status, 128+N if signal N killed it, 0 for a
--success-code; 127 command not found, 126 not executable, 2 usage error,
1 pidone cannot work.
`
}

// check makes sure exactly one of COMMAND, --procfile and --pause is
// given, and that the options agree.
func (o *options) check() error {
	modes := 0
	for _, on := range []bool{len(o.args) > 0, o.procfile != "", o.pause} {
		if on {
			modes++
		}
	}
	switch {
	case modes == 0:
		return errors.New("no command given (try 'pidone --help')")
	case modes > 1:
		return errors.New("give only one of COMMAND, --procfile and --pause")
	case len(o.args) > 0 && o.args[0] == "":
		return errors.New("empty command name")
	case o.gracePeriod > 0 && o.drainDelay >= o.gracePeriod:
		return fmt.Errorf("%s %v is not shorter than %s %v: the grace period counts from the SIGTERM, drain included, so SIGKILL would come before the drain ends",
			o.source("drain-delay"), o.drainDelay, o.source("grace-period"), o.gracePeriod)
	}
	return nil
}

// fromEnv applies PIDONE_<NAME> for every flag not given on the command
// line. An empty variable counts as unset, since a Dockerfile's ENV cannot
// unset a variable an image above it set.
func fromEnv(fs *pflag.FlagSet, getenv func(string) (string, bool), o *options) error {
	var err error
	fs.VisitAll(func(f *pflag.Flag) {
		switch {
		case err != nil, f.Changed, f.Name == "help", f.Name == "version", f.Name == "ctl":
			return
		}
		name := envName(f.Name)
		v, ok := getenv(name)
		if !ok || v == "" {
			return
		}
		if e := setFromEnv(f, v); e != nil {
			err = fmt.Errorf("invalid value %q in %s: %w", v, name, e)
		}
		if o.fromEnv == nil {
			o.fromEnv = map[string]bool{}
		}
		o.fromEnv[f.Name] = true
	})
	return err
}

// envName is the variable of the option called name.
func envName(name string) string {
	return "PIDONE_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

func setFromEnv(f *pflag.Flag, v string) error {
	switch f.Value.Type() {
	case "bool":
		switch v {
		case "1", "true":
			return f.Value.Set("true")
		case "0", "false":
			return f.Value.Set("false")
		}
		return errors.New("want 1, 0, true or false")
	case "count":
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return errors.New("want a count such as 0, 1 or 2")
		}
		return f.Value.Set(strconv.Itoa(n))
	}
	return f.Value.Set(v)
}

// ctlArgs returns the arguments after --ctl when args ask for client mode:
// --ctl before any command, after any options. Client mode reads no
// PIDONE_* variable: those configure a run, and docker exec hands the
// client the image's whole environment.
func ctlArgs(args []string) ([]string, bool) {
	var rest []string
	found := false
	eachOption(args, func(name, value string, given bool, next int) bool {
		if name == "ctl" {
			rest, found = args[next:], true
			if given {
				rest = append([]string{value}, rest...)
			}
			return false
		}
		return true
	})
	return rest, found
}

// eachOption walks the options at the start of args, as the parser would
// take them, without checking them: visit gets each option's long name
// (or its shorthand when it has none), its value (given tells whether it
// has one), and the index of the word after it; it returns false to stop.
// The walk ends at "--" or at the first word that is not an option.
func eachOption(args []string, visit func(name, value string, given bool, next int) bool) {
	fs := flagSet(&options{})
	takesValue := func(f *pflag.Flag) bool { return f != nil && f.NoOptDefVal == "" }
	long := func(f *pflag.Flag, short string) string {
		if f == nil {
			return short
		}
		return f.Name
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || a == "-" || !strings.HasPrefix(a, "-") {
			return
		}
		if name, ok := strings.CutPrefix(a, "--"); ok {
			name, value, given := strings.Cut(name, "=")
			if !given && takesValue(fs.Lookup(name)) && i+1 < len(args) {
				i++
				value, given = args[i], true
			}
			if !visit(name, value, given, i+1) {
				return
			}
			continue
		}
		// -vp TERM, -pTERM: the first shorthand that takes a value takes
		// the rest of the word, or else the next word.
		for j := 1; j < len(a); j++ {
			f := fs.ShorthandLookup(a[j : j+1])
			if !takesValue(f) {
				if !visit(long(f, a[j:j+1]), "", false, i+1) {
					return
				}
				continue
			}
			value := a[j+1:]
			if value == "" && i+1 < len(args) {
				i++
				value = args[i]
			}
			if !visit(long(f, a[j:j+1]), value, true, i+1) {
				return
			}
			break
		}
	}
}

// source names where option name was set, for messages: its variable when
// the command line did not set it, else the flag.
func (o *options) source(name string) string {
	if o.fromEnv[name] {
		return envName(name)
	}
	return "--" + name
}

// logFormatIn finds a valid --log-format among the options of args, the
// last one given, without parsing the rest.
func logFormatIn(args []string) (string, bool) {
	var format string
	eachOption(args, func(name, value string, given bool, _ int) bool {
		if name == "log-format" && given && (value == "text" || value == "json") {
			format = value
		}
		return true
	})
	return format, format != ""
}
