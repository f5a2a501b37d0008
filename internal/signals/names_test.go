package signals

import (
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in   string
		want unix.Signal
		err  bool
	}{
		{"TERM", unix.SIGTERM, false},
		{"SIGTERM", unix.SIGTERM, false},
		{"term", unix.SIGTERM, false},
		{"sigusr1", unix.SIGUSR1, false},
		{"15", unix.SIGTERM, false},
		{"1", unix.SIGHUP, false},
		{"64", 64, false},
		{"IOT", unix.SIGABRT, false},
		{"CLD", unix.SIGCHLD, false},
		{"RTMIN", 34, false},
		{"SIGRTMIN+1", 35, false},
		{"RTMAX", rtMax, false},
		{"RTMAX-2", rtMax - 2, false},
		{archName, archSig, false},
		{strconv.Itoa(Max), Max, false},
		{"SIG" + strconv.Itoa(Max), Max, false},
		{" HUP ", unix.SIGHUP, false},
		{"", 0, true},
		{"0", 0, true},
		{strconv.Itoa(Max + 1), 0, true},
		{"-1", 0, true},
		{"15x", 0, true},
		{"BOGUS", 0, true},
		{"SIG", 0, true},
		{"RTMIN+" + strconv.Itoa(rtMax-rtMin+1), 0, true},
		{"RTMIN-1", 0, true},
		{"RTMAX+1", 0, true},
		{"RTMIN+", 0, true},
		{"99999999999999999999", 0, true},
	}
	for _, c := range cases {
		got, err := Parse(c.in)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("Parse(%q) = %v, %v; want %v, error %v", c.in, got, err, c.want, c.err)
		}
	}
}

func TestNameRoundTrips(t *testing.T) {
	for n := unix.Signal(1); n <= Max; n++ {
		name := Name(n)
		got, err := Parse(name)
		if err != nil || got != n {
			t.Errorf("Parse(Name(%d)=%q) = %v, %v", n, name, got, err)
		}
	}
	if got := Name(unix.SIGTERM); got != "SIGTERM" {
		t.Errorf("Name(SIGTERM) = %q", got)
	}
	if got := Name(0); got != "signal 0" {
		t.Errorf("Name(0) = %q", got)
	}
}

func TestForwardable(t *testing.T) {
	var got []int
	for n := unix.Signal(0); n <= Max+1; n++ {
		if Forwardable(n) {
			got = append(got, int(n))
		}
	}
	if len(got) != 26+30 {
		t.Errorf("forwarding %d signals: %v", len(got), got)
	}
	for _, n := range []unix.Signal{unix.SIGKILL, unix.SIGSTOP, unix.SIGCHLD, unix.SIGURG, unix.SIGPROF, 32, 33, 34, 0, 65} {
		if Forwardable(n) {
			t.Errorf("%v must not be forwarded", n)
		}
	}
	if len(Forwarded()) != len(got) {
		t.Errorf("Forwarded() has %d signals, Forwardable %d", len(Forwarded()), len(got))
	}
}

func TestRewrite(t *testing.T) {
	var r Rewrite
	for _, rule := range []string{"TERM:QUIT", "usr1:0", "HUP:none", "40:SIGRTMIN+2", "TERM:INT"} {
		if err := r.Add(rule); err != nil {
			t.Fatalf("Add(%q): %v", rule, err)
		}
	}
	cases := map[unix.Signal]unix.Signal{
		unix.SIGTERM: unix.SIGINT, // the later rule wins
		unix.SIGUSR1: 0,
		unix.SIGHUP:  0,
		40:           36,
		unix.SIGUSR2: unix.SIGUSR2,
	}
	for from, want := range cases {
		if got := r.Apply(from); got != want {
			t.Errorf("Apply(%v) = %v, want %v", from, got, want)
		}
	}
	if s := r.String(); !strings.Contains(s, "SIGTERM:SIGINT") || !strings.Contains(s, "SIGUSR1:none") {
		t.Errorf("String() = %q", s)
	}
	var zero Rewrite
	if zero.Apply(unix.SIGTERM) != unix.SIGTERM {
		t.Error("the zero Rewrite must forward unchanged")
	}
}

func TestRewriteErrors(t *testing.T) {
	for _, rule := range []string{"", "TERM", ":", "TERM:", ":TERM", "KILL:TERM", "CHLD:TERM", "33:TERM", "TERM:999", "TERM:BOGUS", "TERM:QUIT:INT"} {
		var r Rewrite
		err := r.Add(rule)
		if err == nil {
			t.Errorf("Add(%q) accepted", rule)
			continue
		}
		if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, rule) {
			t.Errorf("Add(%q): message %q must be one line naming the rule", rule, msg)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"TERM", "SIGRTMIN+3", "RTMAX-0", "15", "", "sig", "RTMIN+-1", "9999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sig, err := Parse(s)
		if err != nil {
			if sig != 0 || strings.Contains(err.Error(), "\n") {
				t.Fatalf("Parse(%q) = %v, %q", s, sig, err)
			}
			return
		}
		if sig < 1 || sig > Max {
			t.Fatalf("Parse(%q) = %d, out of range", s, sig)
		}
		if back, err := Parse(Name(sig)); err != nil || back != sig {
			t.Fatalf("Name(%d) = %q does not parse back", sig, Name(sig))
		}
	})
}

func FuzzRewrite(f *testing.F) {
	for _, s := range []string{"TERM:QUIT", "USR1:0", "HUP:none", "40:RTMIN+2", "::", "TERM:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rule string) {
		var r Rewrite
		if err := r.Add(rule); err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error for %q", rule)
			}
			return
		}
		from, _, _ := strings.Cut(rule, ":")
		sig, err := Parse(from)
		if err != nil || !Forwardable(sig) {
			t.Fatalf("Add(%q) accepted a FROM that is not forwarded", rule)
		}
		if to := r.Apply(sig); to < 0 || to > Max {
			t.Fatalf("Add(%q) maps to %d", rule, to)
		}
	})
}
