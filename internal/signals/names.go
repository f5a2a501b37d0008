package signals

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// The start of the real-time range as the C libraries present it to
// users: `kill -l` on glibc shows SIGRTMIN as 34 on every architecture.
// Where it ends (rtMax) and the highest signal number (Max) depend on the
// architecture: see names_generic.go and names_mipsx.go. Numbers are what
// reach the kernel, so rtMin and rtMax only affect how names are read and
// printed.
const rtMin = 34

// names holds the classic signals without their SIG prefix. The unix
// constants carry each architecture's own numbers (MIPS numbers them
// differently); archSig is the one classic signal that only some
// architectures have.
var names = [...]string{
	unix.SIGHUP: "HUP", unix.SIGINT: "INT", unix.SIGQUIT: "QUIT", unix.SIGILL: "ILL",
	unix.SIGTRAP: "TRAP", unix.SIGABRT: "ABRT", unix.SIGBUS: "BUS", unix.SIGFPE: "FPE",
	unix.SIGKILL: "KILL", unix.SIGUSR1: "USR1", unix.SIGSEGV: "SEGV", unix.SIGUSR2: "USR2",
	unix.SIGPIPE: "PIPE", unix.SIGALRM: "ALRM", unix.SIGTERM: "TERM", archSig: archName,
	unix.SIGCHLD: "CHLD", unix.SIGCONT: "CONT", unix.SIGSTOP: "STOP", unix.SIGTSTP: "TSTP",
	unix.SIGTTIN: "TTIN", unix.SIGTTOU: "TTOU", unix.SIGURG: "URG", unix.SIGXCPU: "XCPU",
	unix.SIGXFSZ: "XFSZ", unix.SIGVTALRM: "VTALRM", unix.SIGPROF: "PROF", unix.SIGWINCH: "WINCH",
	unix.SIGIO: "IO", unix.SIGPWR: "PWR", unix.SIGSYS: "SYS",
}

// aliases are other spellings that people and other tools use.
var aliases = map[string]unix.Signal{
	"IOT": unix.SIGABRT, "POLL": unix.SIGIO, "CLD": unix.SIGCHLD,
}

// ParseError reports a signal that could not be read.
type ParseError struct {
	Input string
	Why   string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("invalid signal %q: %s", e.Input, e.Why)
}

// Parse reads a signal given by number ("15"), by name with or without the
// SIG prefix in any case ("TERM", "SIGTERM", "term"), or as a real-time
// offset ("RTMIN+3", "SIGRTMAX-1"). It never returns 0: see ParseTarget.
func Parse(s string) (unix.Signal, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return 0, &ParseError{s, "empty"}
	}
	if in[0] >= '0' && in[0] <= '9' {
		n, err := strconv.Atoi(in)
		if err != nil || n < 1 || n > Max {
			return 0, &ParseError{s, fmt.Sprintf("not a signal number between 1 and %d", Max)}
		}
		return unix.Signal(n), nil
	}
	up := strings.ToUpper(in)
	up = strings.TrimPrefix(up, "SIG")
	if up != "" && up[0] >= '0' && up[0] <= '9' && up != in {
		return Parse(up) // SIG32, as Name prints the unnamed ones
	}
	if sig, ok := aliases[up]; ok {
		return sig, nil
	}
	for n, name := range names {
		if name != "" && name == up {
			return unix.Signal(n), nil
		}
	}
	if sig, ok := parseRealtime(up); ok {
		return sig, nil
	}
	return 0, &ParseError{s, "unknown signal name"}
}

// parseRealtime reads RTMIN, RTMIN+N, RTMAX and RTMAX-N.
func parseRealtime(up string) (unix.Signal, bool) {
	base, rest, sign := 0, "", 1
	switch {
	case strings.HasPrefix(up, "RTMIN"):
		base, rest = rtMin, up[len("RTMIN"):]
	case strings.HasPrefix(up, "RTMAX"):
		base, rest, sign = rtMax, up[len("RTMAX"):], -1
	default:
		return 0, false
	}
	off := 0
	if rest != "" {
		want := byte('+')
		if sign < 0 {
			want = '-'
		}
		if rest[0] != want || len(rest) == 1 || len(rest) > 3 {
			return 0, false
		}
		n, err := strconv.Atoi(rest[1:])
		if err != nil || n < 0 {
			return 0, false
		}
		off = n
	}
	n := base + sign*off
	if n < rtMin || n > rtMax {
		return 0, false
	}
	return unix.Signal(n), true
}

// ParseTarget reads the TO half of a rewrite: a signal as Parse reads it,
// or "0" / "none" for "drop the signal", returned as 0.
func ParseTarget(s string) (unix.Signal, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "0", "none":
		return 0, nil
	}
	return Parse(s)
}

// Name returns the conventional name of sig: "SIGTERM", "SIGRTMIN+1",
// "SIGRTMAX", "SIG32" for the unnamed reserved ones (and for 128 on MIPS,
// beyond SIGRTMAX), or "signal N" for a number outside 1–Max.
func Name(sig unix.Signal) string {
	n := int(sig)
	switch {
	case n > 0 && n < len(names) && names[n] != "":
		return "SIG" + names[n]
	case n == rtMin:
		return "SIGRTMIN"
	case n == rtMax:
		return "SIGRTMAX"
	case n > rtMin && n < rtMax:
		return "SIGRTMIN+" + strconv.Itoa(n-rtMin)
	case n > 0 && n <= Max:
		return "SIG" + strconv.Itoa(n)
	}
	return "signal " + strconv.Itoa(n)
}
