package procfile

import (
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/pidone/pidone/internal/account"
	"github.com/pidone/pidone/internal/signals"
	"golang.org/x/sys/unix"
)

// Options are the per-process options a line sets with PIDONE_
// assignments. A zero field means the option is not set on the line, and
// the caller applies its default.
type Options struct {
	// OneShot is PIDONE_ONESHOT: the process is a task that runs to
	// completion.
	OneShot bool
	// After is PIDONE_AFTER: the names this process waits for, in the
	// order given. Parse has checked that each is declared in the file,
	// none is the process itself or listed twice, and no chain of them
	// leads back to the process.
	After []string
	// Ready is PIDONE_READY: when the process counts as ready. nil means
	// ready once started.
	Ready *Check
	// Restart is PIDONE_RESTART: "never", "on-failure" or "always"; ""
	// when not set. It is never "always" for a one-shot.
	Restart string
	// MaxRestarts is PIDONE_MAX_RESTARTS, 0 or more; nil when not set.
	MaxRestarts *int
	// StopSignal is PIDONE_STOP_SIGNAL, a signal pidone forwards and
	// never SIGKILL; 0 when not set.
	StopSignal unix.Signal
	// Signals is PIDONE_SIGNALS: the forwarded signals this process
	// receives. nil means all of them (not set, or "all"); an empty list
	// means none.
	Signals *[]unix.Signal
	// User is PIDONE_USER as written, USER[:GROUP] with its syntax
	// checked; the names are looked up when the process starts. "" when
	// not set.
	User string
	// Dir is PIDONE_DIR, the working directory, as written; "" when not
	// set.
	Dir string
}

// CheckKind is the kind of a readiness check.
type CheckKind int

// The kinds of readiness check, named as PIDONE_READY spells them.
const (
	CheckTCP    CheckKind = iota + 1 // tcp:PORT or tcp:HOST:PORT: a connection succeeds
	CheckFile                        // file:PATH: the path exists
	CheckLog                         // log:TEXT: a line of output contains TEXT
	CheckExec                        // exec:COMMAND: the command exits 0
	CheckNotify                      // notify: READY=1 arrives on NOTIFY_SOCKET
)

// String returns the kind as PIDONE_READY spells it.
func (k CheckKind) String() string {
	switch k {
	case CheckTCP:
		return "tcp"
	case CheckFile:
		return "file"
	case CheckLog:
		return "log"
	case CheckExec:
		return "exec"
	case CheckNotify:
		return "notify"
	}
	return "CheckKind(" + strconv.Itoa(int(k)) + ")"
}

// Check is a readiness check. Only the fields of its Kind are set.
type Check struct {
	Kind CheckKind
	// Raw is the value of PIDONE_READY after expansion, for messages.
	Raw string
	// Host is the host of a tcp check, a name or an address, without the
	// brackets of an IPv6 one. It is "" for tcp:PORT, meaning this host,
	// as it does for net.Dial.
	Host string
	// Port is the port of a tcp check, 1 to 65535.
	Port int
	// Path is the path of a file check, as written.
	Path string
	// Text is what a log check looks for in a line of output.
	Text string
	// Exec is the command of an exec check, split as a Procfile command
	// is, and expanded in the environment of its process: pidone's, with
	// the Env of the line. It is meant to run in that environment too,
	// with its own Env on top.
	Exec *Command
}

// parseOptions reads a line's PIDONE_ settings. env is the line's
// assignments, which an exec check's command sees.
func parseOptions(settings []setting, c *conf, env []string) (Options, *Error) {
	var o Options
	seen := map[string]bool{}
	for _, s := range settings {
		if seen[s.name] {
			return o, errorf("%s is set twice on this line", s.name)
		}
		seen[s.name] = true
		bad := func(format string, args ...any) *Error {
			return errorf("%s=%q: %s", s.name, s.value, fmt.Sprintf(format, args...))
		}
		v := s.value
		var err *Error
		switch strings.TrimPrefix(s.name, optionPrefix) {
		case "ONESHOT":
			switch v {
			case "1", "true":
				o.OneShot = true
			case "0", "false":
				o.OneShot = false
			default:
				err = bad("want 1, 0, true or false")
			}
		case "AFTER":
			o.After, err = parseAfter(v, bad)
		case "READY":
			o.Ready, err = parseCheck(v, c, env, bad)
		case "RESTART":
			switch v {
			case "never", "on-failure", "always":
				o.Restart = v
			default:
				err = bad("want never, on-failure or always")
			}
		case "MAX_RESTARTS":
			n, ok := parseCount(v)
			if !ok {
				err = bad("want a whole number, 0 or more")
			}
			o.MaxRestarts = &n
		case "STOP_SIGNAL":
			o.StopSignal, err = parseSignal(v, bad)
			if err == nil && o.StopSignal == unix.SIGKILL {
				err = bad("SIGKILL cannot be a stop signal: a stop ends with it anyway once the grace period is over")
			}
		case "SIGNALS":
			o.Signals, err = parseSignals(v, bad)
		case "USER":
			if e := account.CheckSpec(v); e != nil {
				err = bad("%s", e.Error())
			}
			o.User = v
		case "DIR":
			if v == "" {
				err = errorf("%s is empty; give a directory", s.name)
			}
			o.Dir = v
		default:
			err = errorf("%s is not a per-process option; those are %s", s.name, optionList)
		}
		if err != nil {
			return o, err
		}
	}
	if o.OneShot && o.Restart == "always" {
		return o, errorf("PIDONE_ONESHOT=1 with PIDONE_RESTART=always: a one-shot that always restarts never completes")
	}
	return o, nil
}

// optionList names the per-process options in the order the
// documentation gives them.
const optionList = "PIDONE_ONESHOT, PIDONE_AFTER, PIDONE_READY, PIDONE_RESTART, PIDONE_MAX_RESTARTS, " +
	"PIDONE_STOP_SIGNAL, PIDONE_SIGNALS, PIDONE_USER and PIDONE_DIR"

type badFunc func(format string, args ...any) *Error

// parseAfter checks the form of PIDONE_AFTER; whether the names exist is
// known only once the whole file is read (checkAfter).
func parseAfter(v string, bad badFunc) ([]string, *Error) {
	if v == "" {
		return nil, bad("want NAME[,NAME...]")
	}
	names := strings.Split(v, ",")
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		switch {
		case n == "":
			return nil, bad("an empty name in the list")
		case !ValidName(n):
			return nil, bad("%q is not a process name", n)
		case seen[n]:
			return nil, bad("%q is listed twice", n)
		}
		seen[n] = true
	}
	return names, nil
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// parseCount reads a decimal count with digits only: no sign, no blanks.
func parseCount(v string) (int, bool) {
	if v == "" || strings.Trim(v, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	return n, err == nil
}

// parseSignal reads one signal that pidone can forward.
func parseSignal(v string, bad badFunc) (unix.Signal, *Error) {
	sig, err := signals.Parse(v)
	if err != nil {
		var pe *signals.ParseError
		if errors.As(err, &pe) {
			return 0, bad("%s", pe.Why)
		}
		return 0, bad("%s", err.Error())
	}
	if sig == unix.SIGKILL || signals.Forwardable(sig) {
		return sig, nil
	}
	return 0, bad("%s is not a signal pidone forwards", signals.Name(sig))
}

func parseSignals(v string, bad badFunc) (*[]unix.Signal, *Error) {
	switch strings.ToLower(v) {
	case "all":
		return nil, nil
	case "none":
		return &[]unix.Signal{}, nil
	case "":
		return nil, bad("want SIG[,SIG...], all or none")
	}
	list := []unix.Signal{}
	for _, s := range strings.Split(v, ",") {
		if s == "" {
			return nil, bad("an empty signal in the list")
		}
		sig, err := parseSignal(s, bad)
		if err != nil {
			return nil, err
		}
		if sig == unix.SIGKILL {
			return nil, bad("%s is not a signal pidone forwards", signals.Name(sig))
		}
		if contains(list, sig) {
			return nil, bad("%s is listed twice", signals.Name(sig))
		}
		list = append(list, sig)
	}
	return &list, nil
}

// parseCheck reads PIDONE_READY.
func parseCheck(v string, c *conf, env []string, bad badFunc) (*Check, *Error) {
	ck := &Check{Raw: v}
	kind, rest, _ := strings.Cut(v, ":")
	switch {
	case v == "notify":
		ck.Kind = CheckNotify
	case kind == "tcp" && len(kind) < len(v):
		ck.Kind = CheckTCP
		host, port, why := splitHostPort(rest)
		if why != "" {
			return nil, bad("%s", why)
		}
		ck.Host, ck.Port = host, port
	case kind == "file" && len(kind) < len(v):
		if rest == "" {
			return nil, bad("file: needs a path")
		}
		ck.Kind, ck.Path = CheckFile, rest
	case kind == "log" && len(kind) < len(v):
		if rest == "" {
			return nil, bad("log: needs the text to look for")
		}
		ck.Kind, ck.Text = CheckLog, rest
	case kind == "exec" && len(kind) < len(v):
		// The check runs in its process's environment, so it sees the
		// line's assignments, unlike the line's own command.
		sub := &conf{get: overlay(c.get, envMap(env)), haveShell: c.hasShell}
		cmd, _, err := splitCommand(rest, sub, "the command", false)
		if err != nil {
			return nil, bad("%s", err.Msg)
		}
		ck.Kind, ck.Exec = CheckExec, &cmd
	default:
		return nil, bad("want tcp:PORT, tcp:HOST:PORT, file:PATH, log:TEXT, exec:COMMAND or notify")
	}
	return ck, nil
}

// splitHostPort reads PORT or HOST:PORT, an IPv6 HOST in brackets. why
// says what is wrong, or is "".
func splitHostPort(s string) (host string, port int, why string) {
	portPart := s
	if rest, ok := strings.CutPrefix(s, "["); ok {
		addr, after, ok := strings.Cut(rest, "]")
		if !ok || !strings.HasPrefix(after, ":") {
			return "", 0, "want tcp:[ADDRESS]:PORT"
		}
		if !isIPv6(addr) {
			return "", 0, fmt.Sprintf("%q is not an IPv6 address; only those go in brackets", addr)
		}
		host, portPart = addr, after[1:]
	} else if i := strings.LastIndexByte(s, ':'); i >= 0 {
		host, portPart = s[:i], s[i+1:]
		switch {
		case host == "":
			return "", 0, "empty host before the port"
		case strings.Contains(host, ":"):
			return "", 0, "an IPv6 address goes in brackets, as in tcp:[::1]:8000"
		case !isHostName(host):
			return "", 0, fmt.Sprintf("%q is not a host name or address", host)
		}
	}
	n, ok := parseCount(portPart)
	if !ok || n < 1 || n > 65535 {
		return "", 0, fmt.Sprintf("port %q is not a number from 1 to 65535", portPart)
	}
	return host, n, ""
}

// isHostName accepts the bytes of host names and IPv4 addresses; whether
// the name resolves is for the check to find out.
func isHostName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isVarByte(c) || c == '-' || c == '.') {
			return false
		}
	}
	return s != ""
}

func isIPv6(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is6()
}
