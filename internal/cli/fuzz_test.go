package cli

import (
	"errors"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// FuzzCommandLine feeds parse any command line and any PIDONE_* value: it
// must never panic, and an error must be one line, since pidone prints it
// as its whole message before exiting 2.
func FuzzCommandLine(f *testing.F) {
	for _, seed := range []struct{ args, env string }{
		{"-v\x00--\x00sleep\x001", ""},
		{"--drain-delay=5s\x00--grace-period\x0030s\x00app", "10s"},
		{"-r\x00TERM:QUIT\x00-r\x0015:0\x00-e\x00143\x00x", "INT:none"},
		{"--procfile\x00Procfile\x00--restart=on-failure", "always"},
		{"-u\x00app:app\x00--pause", "0:0"},
		{"--stop-signal\x00SIGRTMIN+3\x00-p\x00KILL\x00x", "SIG32"},
		{"--log-format\x00json\x00-vvv\x00x", "2"},
		{"--nope\x00x", "\n"},
		{"-vp\x00TERM\x00--ctl\x00status", ""},
		{"--grace-period\x005s\x00--bogus\x00--log-format\x00json", ""},
	} {
		f.Add(seed.args, seed.env)
	}
	names := []string{"FORWARD_TO", "REWRITE", "DRAIN_DELAY", "GRACE_PERIOD", "STOP_SIGNAL",
		"SUCCESS_CODE", "PDEATHSIG", "SUBREAPER", "VERBOSE", "LOG_FORMAT", "USER", "PROCFILE",
		"RESTART", "PAUSE"}
	f.Fuzz(func(t *testing.T, args, value string) {
		argv := strings.Split(args, "\x00")
		if args == "" {
			argv = nil
		}
		// Client mode is looked for before any parsing: it must take any
		// command line too.
		if rest, ok := ctlArgs(argv); ok && len(rest) > len(argv) {
			t.Fatalf("ctlArgs(%q) = %q", argv, rest)
		}
		for _, name := range names {
			getenv := func(k string) (string, bool) {
				if k == "PIDONE_"+name {
					return value, true
				}
				return "", false
			}
			_, err := parse(argv, getenv)
			if err != nil && !errors.Is(err, pflag.ErrHelp) && strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("parse(%q) with PIDONE_%s=%q: error of more than one line: %q", argv, name, value, err)
			}
		}
	})
}
