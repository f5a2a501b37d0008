package cli

import (
	"slices"
	"strings"
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

// An unknown flag before --log-format json was reported as text: the
// parser stops at the first error, before it reads the format.
func TestLogFormatBeforeAnError(t *testing.T) {
	o, err := parse([]string{"--bogus", "--log-format", "json", "true"}, func(string) (string, bool) { return "", false })
	if err == nil || formatOf(o) != "json" {
		t.Errorf("format %q, err %v; want json and an error", formatOf(o), err)
	}
	o, _ = parse([]string{"--bogus", "--log-format=json", "--log-format", "text"}, func(string) (string, bool) { return "", false })
	if formatOf(o) != "text" {
		t.Errorf("format %q, want the last one given", formatOf(o))
	}
	// The scan went no further than the value of an earlier option.
	o, _ = parse([]string{"--grace-period", "5s", "-p", "TERM", "--bogus", "--log-format", "json", "cmd"}, func(string) (string, bool) { return "", false })
	if formatOf(o) != "json" {
		t.Errorf("after options with values: format %q, want json", formatOf(o))
	}
}

// A drain not shorter than the grace period, both set by variables, was
// reported with the flags' names.
func TestDrainGraceConflictNamesTheVariables(t *testing.T) {
	env := map[string]string{"PIDONE_DRAIN_DELAY": "6s", "PIDONE_GRACE_PERIOD": "5s"}
	_, err := parse([]string{"true"}, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err == nil || !strings.Contains(err.Error(), "PIDONE_DRAIN_DELAY 6s") || !strings.Contains(err.Error(), "PIDONE_GRACE_PERIOD 5s") {
		t.Errorf("err %v", err)
	}
	_, err = parse([]string{"--drain-delay", "6s", "true"}, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err == nil || !strings.Contains(err.Error(), "--drain-delay 6s") || !strings.Contains(err.Error(), "PIDONE_GRACE_PERIOD 5s") {
		t.Errorf("err %v", err)
	}
}
