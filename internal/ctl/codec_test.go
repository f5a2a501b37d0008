package ctl

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

var requestTests = []struct {
	line string
	want Request
}{
	{"pidone-ctl/1 status\n", Request{Verb: VerbStatus}},
	{"pidone-ctl/1 restart web\n", Request{Verb: VerbRestart, Name: "web"}},
	{"pidone-ctl/1 stop worker-2\n", Request{Verb: VerbStop, Name: "worker-2"}},
	{"pidone-ctl/1 start a_b\n", Request{Verb: VerbStart, Name: "a_b"}},
	{"pidone-ctl/1 signal web SIGHUP\n", Request{Verb: VerbSignal, Name: "web", Signal: unix.SIGHUP}},
	{"pidone-ctl/1 signal main SIGRTMIN+3\n", Request{Verb: VerbSignal, Name: "main", Signal: 37}},
	{"pidone-ctl/1 signal main SIG32\n", Request{Verb: VerbSignal, Name: "main", Signal: 32}},
	{"pidone-ctl/1 signal -x SIGRTMAX\n", Request{Verb: VerbSignal, Name: "-x", Signal: 64}},
}

var requestErrorTests = []string{
	"",
	"\n",
	"pidone-ctl/1 status",              // no newline
	"pidone-ctl/1 status\r\n",          // CR
	"pidone-ctl/1 status\n\n",          // two lines
	"pidone-ctl/1  status\n",           // double space
	" pidone-ctl/1 status\n",           // leading space
	"pidone-ctl/1 status \n",           // trailing space
	"pidone-ctl/1\tstatus\n",           // tab
	"pidone-ctl/2 status\n",            // other version
	"status\n",                         // no tag
	"pidone-ctl/1\n",                   // no verb
	"pidone-ctl/1 STATUS\n",            // verbs are lower case
	"pidone-ctl/1 reload web\n",        // unknown verb
	"pidone-ctl/1 status web\n",        // extra argument
	"pidone-ctl/1 status --json\n",     // rendering is the client's
	"pidone-ctl/1 restart\n",           // missing name
	"pidone-ctl/1 restart web db\n",    // two names
	"pidone-ctl/1 restart w.b\n",       // not a Procfile name
	"pidone-ctl/1 restart w\xc3\xa9\n", // not ASCII
	"pidone-ctl/1 restart w\x00\n",     // NUL
	"pidone-ctl/1 signal web\n",        // missing signal
	"pidone-ctl/1 signal web TERM\n",   // not canonical
	"pidone-ctl/1 signal web 15\n",     // not canonical
	"pidone-ctl/1 signal web sigterm\n",
	"pidone-ctl/1 signal web SIGRTMIN+0\n",
	"pidone-ctl/1 signal web SIG0\n",
	"pidone-ctl/1 signal web SIG65\n",
	"pidone-ctl/1 signal web SIGTERM x\n",
	"pidone-ctl/1 restart " + strings.Repeat("a", MaxRequest) + "\n", // too long
}

func TestDecodeRequest(t *testing.T) {
	for _, tt := range requestTests {
		got, err := DecodeRequest([]byte(tt.line))
		if err != nil {
			t.Errorf("%q: %v", tt.line, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%q: got %+v, want %+v", tt.line, got, tt.want)
		}
		enc, err := EncodeRequest(got)
		if err != nil || string(enc) != tt.line {
			t.Errorf("%+v: encoded as %q, %v; want %q", got, enc, err, tt.line)
		}
	}
}

func TestDecodeRequestErrors(t *testing.T) {
	for _, line := range requestErrorTests {
		r, err := DecodeRequest([]byte(line))
		if err == nil {
			t.Errorf("%q: decoded as %+v, want an error", line, r)
			continue
		}
		checkOneLine(t, err)
	}
}

func TestEncodeRequestErrors(t *testing.T) {
	for _, r := range []Request{
		{},
		{Verb: "reload"},
		{Verb: VerbStatus, Name: "web"},
		{Verb: VerbStatus, Signal: unix.SIGTERM},
		{Verb: VerbRestart},
		{Verb: VerbRestart, Name: "a b"},
		{Verb: VerbRestart, Name: "web", Signal: unix.SIGTERM},
		{Verb: VerbSignal, Name: "web"},
		{Verb: VerbSignal, Name: "web", Signal: 65},
		{Verb: VerbSignal, Name: "web", Signal: -1},
		{Verb: VerbStop, Name: strings.Repeat("a", MaxRequest)},
	} {
		if b, err := EncodeRequest(r); err == nil {
			t.Errorf("%+v: encoded as %q, want an error", r, b)
		}
	}
}

var responseTests = []struct {
	name string
	resp Response
	wire string
}{
	{"bare", Response{}, "pidone-ctl/1 0\nend\n"},
	{"failure with message", Response{Status: 1, Message: `no process named "db"`},
		"pidone-ctl/1 1\nmessage no process named \"db\"\nend\n"},
	{"message of blanks", Response{Status: 255, Message: "  "}, "pidone-ctl/1 255\nmessage   \nend\n"},
	{"message that looks like a line", Response{Message: "end"}, "pidone-ctl/1 0\nmessage end\nend\n"},
	{"empty snapshot", Response{Snapshot: &Snapshot{Phase: PhaseRunning}},
		"pidone-ctl/1 0\nphase running\nend\n"},
	{"snapshot", Response{Status: 1, Message: "web is starting", Snapshot: &Snapshot{
		Phase: PhaseStarting,
		Processes: []ProcessStatus{
			{Name: "migrate", State: StateCompleted, LastStatus: 0},
			{Name: "web", Pid: 42, State: StateStarting, Restarts: 3, Uptime: 1500 * time.Millisecond, LastStatus: 143},
			{Name: "worker", State: StateWaiting, LastStatus: -1},
		},
	}}, "pidone-ctl/1 1\nmessage web is starting\nphase starting\n" +
		"process migrate 0 completed 0 0 0\n" +
		"process web 42 starting 3 1500000000 143\n" +
		"process worker 0 waiting 0 0 -1\nend\n"},
	{"every state", Response{Snapshot: &Snapshot{Phase: PhaseStopping, Processes: func() []ProcessStatus {
		var ps []ProcessStatus
		for _, s := range states {
			ps = append(ps, ProcessStatus{Name: "p-" + s, State: s, LastStatus: -1})
		}
		return ps
	}()}}, ""},
	{"limits", Response{Status: 255, Message: strings.Repeat("~", MaxMessage), Snapshot: &Snapshot{
		Phase: PhaseDraining,
		Processes: []ProcessStatus{
			{Name: "x", Pid: 1<<31 - 1, State: StateRunning, Restarts: 1<<31 - 1, Uptime: 1<<63 - 1, LastStatus: 255},
		},
	}}, ""},
}

func TestResponseRoundTrip(t *testing.T) {
	for _, tt := range responseTests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := EncodeResponse(tt.resp)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wire != "" && string(b) != tt.wire {
				t.Errorf("encoded as\n%s\nwant\n%s", b, tt.wire)
			}
			got, err := DecodeResponse(b)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.resp) {
				t.Errorf("round trip gave %+v, want %+v", got, tt.resp)
			}
		})
	}
}

var responseErrorTests = []string{
	"",
	"pidone-ctl/1 0\n",                    // no end
	"pidone-ctl/1 0\nend",                 // no final newline
	"pidone-ctl/1 0\nend\n\n",             // after the end
	"pidone-ctl/1 0\nend\nend\n",          // after the end
	"pidone-ctl/2 0\nend\n",               // other version
	"pidone-ctl/1\nend\n",                 // no status
	"pidone-ctl/1 00\nend\n",              // leading zero
	"pidone-ctl/1 +1\nend\n",              // sign
	"pidone-ctl/1 -1\nend\n",              // negative
	"pidone-ctl/1 256\nend\n",             // out of range
	"pidone-ctl/1 0 ok\nend\n",            // extra word
	"pidone-ctl/1 0\r\nend\n",             // CR
	"pidone-ctl/1 0\nmessage \nend\n",     // empty message
	"pidone-ctl/1 0\nmessage\nend\n",      // no message text
	"pidone-ctl/1 0\nmessage a\tb\nend\n", // tab
	"pidone-ctl/1 0\nmessage \xff\nend\n",
	"pidone-ctl/1 0\nmessage " + strings.Repeat("m", MaxMessage+1) + "\nend\n",
	"pidone-ctl/1 0\nmessage a\nmessage b\nend\n",                        // two messages
	"pidone-ctl/1 0\nphase running\nmessage a\nend\n",                    // out of order
	"pidone-ctl/1 0\nphase running\nphase running\nend\n",                // two phases
	"pidone-ctl/1 0\nphase idle\nend\n",                                  // unknown phase
	"pidone-ctl/1 0\nphase\nend\n",                                       // no phase
	"pidone-ctl/1 0\nprocess web 1 ready 0 0 -1\nend\n",                  // process without phase
	"pidone-ctl/1 0\nphase running\nprocess web 1 ready 0 0\nend\n",      // 5 fields
	"pidone-ctl/1 0\nphase running\nprocess web 1 ready 0 0 -1 x\nend\n", // 7 fields
	"pidone-ctl/1 0\nphase running\nprocess web 1 ready 0 0 -2\nend\n",
	"pidone-ctl/1 0\nphase running\nprocess web 1 ready 0 0 256\nend\n",
	"pidone-ctl/1 0\nphase running\nprocess web 1 ready 0 -1 0\nend\n",
	"pidone-ctl/1 0\nphase running\nprocess web 1 ready 0 9223372036854775808 0\nend\n",
	"pidone-ctl/1 0\nphase running\nprocess web -1 ready 0 0 0\nend\n",
	"pidone-ctl/1 0\nphase running\nprocess web 2147483648 ready 0 0 0\nend\n",
	"pidone-ctl/1 0\nphase running\nprocess web 1 ready 2147483648 0 0\nend\n",
	"pidone-ctl/1 0\nphase running\nprocess web 01 ready 0 0 0\nend\n",
	"pidone-ctl/1 0\nphase running\nprocess web 1 Ready 0 0 0\nend\n",
	"pidone-ctl/1 0\nphase running\nprocess web 1 sleeping 0 0 0\nend\n",
	"pidone-ctl/1 0\nphase running\nprocess w.b 1 ready 0 0 0\nend\n",
	"pidone-ctl/1 0\nphase running\nprocess web  1 ready 0 0 0\nend\n",
	"pidone-ctl/1 0\nphase running\nprocess web 1 ready 0 0 0\nprocess web 2 ready 0 0 0\nend\n", // twice
	"pidone-ctl/1 0\nphase running\nprocess web 1 ready 0 0 0\n",                                 // cut
	"pidone-ctl/1 0\nEND\n",
	"pidone-ctl/1 0\nend\n" + strings.Repeat("\x00", MaxResponse), // too long
}

func TestDecodeResponseErrors(t *testing.T) {
	for _, in := range responseErrorTests {
		r, err := DecodeResponse([]byte(in))
		if err == nil {
			t.Errorf("%q: decoded as %+v, want an error", in, r)
			continue
		}
		checkOneLine(t, err)
	}
}

func TestEncodeResponseErrors(t *testing.T) {
	for _, r := range []Response{
		{Status: -1},
		{Status: 256},
		{Message: "two\nlines"},
		{Message: "caf\xc3\xa9"},
		{Message: strings.Repeat("m", MaxMessage+1)},
		{Snapshot: &Snapshot{}},
		{Snapshot: &Snapshot{Phase: "idle"}},
		{Snapshot: &Snapshot{Phase: PhaseRunning, Processes: []ProcessStatus{{Name: "web", State: "sleeping"}}}},
		{Snapshot: &Snapshot{Phase: PhaseRunning, Processes: []ProcessStatus{{Name: "", State: StateReady}}}},
		{Snapshot: &Snapshot{Phase: PhaseRunning, Processes: []ProcessStatus{{Name: "web", State: StateReady, Pid: -1}}}},
		{Snapshot: &Snapshot{Phase: PhaseRunning, Processes: []ProcessStatus{{Name: "web", State: StateReady, Uptime: -1}}}},
		{Snapshot: &Snapshot{Phase: PhaseRunning, Processes: []ProcessStatus{{Name: "web", State: StateReady, Restarts: -1}}}},
		{Snapshot: &Snapshot{Phase: PhaseRunning, Processes: []ProcessStatus{{Name: "web", State: StateReady, LastStatus: -2}}}},
		{Snapshot: &Snapshot{Phase: PhaseRunning, Processes: []ProcessStatus{
			{Name: "web", State: StateReady}, {Name: "web", State: StateReady}}}},
	} {
		if b, err := EncodeResponse(r); err == nil {
			t.Errorf("%+v: encoded as %q, want an error", r, b)
		}
	}
}

func TestHealthy(t *testing.T) {
	ps := func(states ...string) []ProcessStatus {
		var out []ProcessStatus
		for i, s := range states {
			out = append(out, ProcessStatus{Name: string(rune('a' + i)), State: s})
		}
		return out
	}
	for _, tt := range []struct {
		snap Snapshot
		want bool
	}{
		{Snapshot{Phase: PhaseRunning}, true},
		{Snapshot{Phase: PhaseRunning, Processes: ps(StateReady, StateCompleted, StateRunning)}, true},
		{Snapshot{Phase: PhaseStarting, Processes: ps(StateReady)}, false},
		{Snapshot{Phase: PhaseDraining, Processes: ps(StateReady)}, false},
		{Snapshot{Phase: PhaseStopping, Processes: ps(StateReady)}, false},
		{Snapshot{Phase: PhaseRunning, Processes: ps(StateReady, StateStarting)}, false},
		{Snapshot{Phase: PhaseRunning, Processes: ps(StateReady, StateBackingOff)}, false},
		{Snapshot{Phase: PhaseRunning, Processes: ps(StateStopped)}, false},
		{Snapshot{Phase: PhaseRunning, Processes: ps(StateFailed)}, false},
		{Snapshot{Phase: PhaseRunning, Processes: ps(StateWaiting)}, false},
	} {
		if got := tt.snap.Healthy(); got != tt.want {
			t.Errorf("%+v: Healthy() = %v, want %v", tt.snap, got, tt.want)
		}
	}
}

// checkOneLine holds an error to what the client prints it as: one line.
func checkOneLine(t *testing.T, err error) {
	t.Helper()
	if msg := err.Error(); msg == "" || strings.ContainsAny(msg, "\r\n") || len(msg) > 300 {
		t.Errorf("error is not one short line: %q", msg)
	}
}
