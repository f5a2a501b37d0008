package cli

import (
	"slices"
	"testing"
)

// --ctl after an option that takes its value as the next word was taken
// for the command: "pidone --grace-period 5s --ctl status" ran "status".
func TestCtlArgs(t *testing.T) {
	cases := []struct {
		args []string
		rest []string // nil: not client mode
	}{
		{[]string{"--ctl", "status"}, []string{"status"}},
		{[]string{"-v", "--ctl", "status"}, []string{"status"}},
		{[]string{"--grace-period", "5s", "--ctl", "status"}, []string{"status"}},
		{[]string{"--log-format", "json", "--ctl", "status", "--json"}, []string{"status", "--json"}},
		{[]string{"--grace-period=5s", "--ctl", "status"}, []string{"status"}},
		{[]string{"-p", "TERM", "--ctl", "status"}, []string{"status"}},
		{[]string{"-vp", "TERM", "--ctl", "status"}, []string{"status"}},
		{[]string{"-pTERM", "--ctl", "status"}, []string{"status"}},
		{[]string{"--ctl=status"}, []string{"status"}},
		{[]string{"sh", "--ctl", "status"}, nil},
		{[]string{"--", "--ctl", "status"}, nil},
		{[]string{"--procfile", "--ctl"}, nil}, // --ctl is the file's name
		{[]string{"-u", "--ctl", "status"}, nil},
		{[]string{"--unknown", "--ctl", "status"}, []string{"status"}},
	}
	for _, c := range cases {
		rest, ok := ctlArgs(c.args)
		if ok != (c.rest != nil) || ok && !slices.Equal(rest, c.rest) {
			t.Errorf("ctlArgs(%q) = %q, %v; want %q", c.args, rest, ok, c.rest)
		}
	}
}

// --version failed (2) when a PIDONE_ variable did not parse, while
// --help printed: both print and exit 0, whatever the image sets.
func TestVersionIgnoresBadVariables(t *testing.T) {
	getenv := func(name string) (string, bool) {
		if name == "PIDONE_GRACE_PERIOD" {
			return "bad", true
		}
		return "", false
	}
	o, err := parse([]string{"--version"}, getenv)
	if err != nil || !o.version {
		t.Errorf("parse(--version) = %+v, %v", o, err)
	}
	if _, err := parse([]string{"true"}, getenv); err == nil {
		t.Errorf("a bad PIDONE_GRACE_PERIOD was accepted for a run")
	}
}
