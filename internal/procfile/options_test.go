package procfile

import (
	"reflect"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func intp(n int) *int { return &n }

func sigs(s ...unix.Signal) *[]unix.Signal {
	list := append([]unix.Signal{}, s...) // none is an empty list, not nil
	return &list
}

// optionTests are the PIDONE_ assignments of a line "web: IN a", in a
// file that also declares db and migrate.
var optionTests = []struct {
	in   string
	want Options
}{
	{"", Options{}},
	{"PIDONE_ONESHOT=1", Options{OneShot: true}},
	{"PIDONE_ONESHOT=true", Options{OneShot: true}},
	{"PIDONE_ONESHOT=0", Options{}},
	{"PIDONE_ONESHOT=false", Options{}},
	{"PIDONE_AFTER=db", Options{After: []string{"db"}}},
	{"PIDONE_AFTER=migrate,db", Options{After: []string{"migrate", "db"}}},
	{"PIDONE_RESTART=never", Options{Restart: "never"}},
	{"PIDONE_RESTART=on-failure", Options{Restart: "on-failure"}},
	{"PIDONE_RESTART=always", Options{Restart: "always"}},
	{"PIDONE_ONESHOT=1 PIDONE_RESTART=on-failure", Options{OneShot: true, Restart: "on-failure"}},
	{"PIDONE_ONESHOT=0 PIDONE_RESTART=always", Options{Restart: "always"}},
	{"PIDONE_MAX_RESTARTS=0", Options{MaxRestarts: intp(0)}},
	{"PIDONE_MAX_RESTARTS=5", Options{MaxRestarts: intp(5)}},
	{"PIDONE_MAX_RESTARTS=007", Options{MaxRestarts: intp(7)}},
	{"PIDONE_STOP_SIGNAL=QUIT", Options{StopSignal: unix.SIGQUIT}},
	{"PIDONE_STOP_SIGNAL=SIGINT", Options{StopSignal: unix.SIGINT}},
	{"PIDONE_STOP_SIGNAL=term", Options{StopSignal: unix.SIGTERM}},
	{"PIDONE_STOP_SIGNAL=15", Options{StopSignal: unix.SIGTERM}},
	{"PIDONE_STOP_SIGNAL=RTMIN+1", Options{StopSignal: 35}},
	{"PIDONE_SIGNALS=all", Options{}},
	{"PIDONE_SIGNALS=ALL", Options{}},
	{"PIDONE_SIGNALS=none", Options{Signals: sigs()}},
	{"PIDONE_SIGNALS=HUP", Options{Signals: sigs(unix.SIGHUP)}},
	{"PIDONE_SIGNALS=HUP,SIGUSR1,12,WINCH", Options{Signals: sigs(unix.SIGHUP, unix.SIGUSR1, unix.SIGUSR2, unix.SIGWINCH)}},
	{"PIDONE_USER=app", Options{User: "app"}},
	{"PIDONE_USER=1000:1000", Options{User: "1000:1000"}},
	{"PIDONE_USER=www-data:adm", Options{User: "www-data:adm"}},
	{"PIDONE_DIR=/srv/jobs", Options{Dir: "/srv/jobs"}},
	{"PIDONE_DIR='/srv/my jobs'", Options{Dir: "/srv/my jobs"}},
	{"PIDONE_DIR=relative", Options{Dir: "relative"}},
	{"PIDONE_DIR=$HOME/x", Options{Dir: "/home/u/x"}},
	{"PIDONE_DIR=${X:-/app}", Options{Dir: "/app"}},
	{"D=/d PIDONE_DIR=$D", Options{Dir: "/d"}},

	{"PIDONE_READY=notify", Options{Ready: &Check{Kind: CheckNotify, Raw: "notify"}}},
	{"PIDONE_READY=tcp:8000", Options{Ready: &Check{Kind: CheckTCP, Raw: "tcp:8000", Port: 8000}}},
	{"PIDONE_READY=tcp:$PORT", Options{Ready: &Check{Kind: CheckTCP, Raw: "tcp:8000", Port: 8000}}},
	{"P=81 PIDONE_READY=tcp:$P", Options{Ready: &Check{Kind: CheckTCP, Raw: "tcp:81", Port: 81}}},
	{"PIDONE_READY=tcp:db:5432", Options{Ready: &Check{Kind: CheckTCP, Raw: "tcp:db:5432", Host: "db", Port: 5432}}},
	{"PIDONE_READY=tcp:127.0.0.1:1", Options{Ready: &Check{Kind: CheckTCP, Raw: "tcp:127.0.0.1:1", Host: "127.0.0.1", Port: 1}}},
	{"PIDONE_READY=tcp:[::1]:65535", Options{Ready: &Check{Kind: CheckTCP, Raw: "tcp:[::1]:65535", Host: "::1", Port: 65535}}},
	{"PIDONE_READY=tcp:[fe80::1%eth0]:80", Options{Ready: &Check{Kind: CheckTCP, Raw: "tcp:[fe80::1%eth0]:80", Host: "fe80::1%eth0", Port: 80}}},
	{"PIDONE_READY=tcp:my_host.example-1.com:80", Options{Ready: &Check{Kind: CheckTCP, Raw: "tcp:my_host.example-1.com:80", Host: "my_host.example-1.com", Port: 80}}},
	{"PIDONE_READY=file:/tmp/ready", Options{Ready: &Check{Kind: CheckFile, Raw: "file:/tmp/ready", Path: "/tmp/ready"}}},
	{"PIDONE_READY=file:a:b", Options{Ready: &Check{Kind: CheckFile, Raw: "file:a:b", Path: "a:b"}}},
	{"PIDONE_READY='log:Listening on'", Options{Ready: &Check{Kind: CheckLog, Raw: "log:Listening on", Text: "Listening on"}}},
	{"PIDONE_READY=log:*", Options{Ready: &Check{Kind: CheckLog, Raw: "log:*", Text: "*"}}},
	{
		"PIDONE_READY='exec:pg_isready -h \"$HOME\"'",
		Options{Ready: &Check{Kind: CheckExec, Raw: `exec:pg_isready -h "$HOME"`, Exec: &Command{
			Argv: []string{"pg_isready", "-h", "/home/u"}, Text: `pg_isready -h "$HOME"`,
		}}},
	},
	{
		// The check sees the line's assignments, wherever they are.
		"PIDONE_READY='exec:curl -f localhost:$P/health' P=81",
		Options{Ready: &Check{Kind: CheckExec, Raw: "exec:curl -f localhost:$P/health", Exec: &Command{
			Argv: []string{"curl", "-f", "localhost:81/health"}, Text: "curl -f localhost:$P/health",
		}}},
	},
	{
		"PIDONE_READY='exec:T=1 test -e /x'",
		Options{Ready: &Check{Kind: CheckExec, Raw: "exec:T=1 test -e /x", Exec: &Command{
			Argv: []string{"test", "-e", "/x"}, Text: "test -e /x", Env: []string{"T=1"}, Assigned: []string{"T=1"},
		}}},
	},
	{
		"PIDONE_READY=\"exec:curl -fs localhost | grep -q ok\"",
		Options{Ready: &Check{Kind: CheckExec, Raw: "exec:curl -fs localhost | grep -q ok", Exec: &Command{
			Argv: []string{"/bin/sh", "-c", "curl -fs localhost | grep -q ok"}, Shell: true, Why: `a pipe ("|")`,
			Text: "curl -fs localhost | grep -q ok",
		}}},
	},
	{
		"PIDONE_ONESHOT=1 PIDONE_AFTER=db PIDONE_READY=file:/x PIDONE_RESTART=on-failure PIDONE_MAX_RESTARTS=3 " +
			"PIDONE_STOP_SIGNAL=INT PIDONE_SIGNALS=none PIDONE_USER=app PIDONE_DIR=/",
		Options{
			OneShot: true, After: []string{"db"}, Ready: &Check{Kind: CheckFile, Raw: "file:/x", Path: "/x"},
			Restart: "on-failure", MaxRestarts: intp(3), StopSignal: unix.SIGINT, Signals: sigs(), User: "app", Dir: "/",
		},
	},
}

func TestOptions(t *testing.T) {
	for _, tt := range optionTests {
		in := "web: " + tt.in + " a\ndb: b\nmigrate: c\n"
		got, err := Parse("p", strings.NewReader(in), testConfig)
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got[0].Options, tt.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.in, got[0].Options, tt.want)
			if got[0].Options.Ready != nil && got[0].Options.Ready.Exec != nil {
				t.Logf("Exec %+v", *got[0].Options.Ready.Exec)
			}
		}
		// Options are not passed on to the process.
		for _, kv := range got[0].Env {
			if isOption(kv) {
				t.Errorf("%s: Env %q", tt.in, got[0].Env)
			}
		}
	}
}

var optionErrorTests = []struct {
	in   string
	want string // the message, after "procfile p:1: "
}{
	{"PIDONE_BOGUS=1", "PIDONE_BOGUS is not a per-process option; those are " + optionList},
	{"PIDONE_=1", "PIDONE_ is not a per-process option; those are " + optionList},
	{"PIDONE_GRACE_PERIOD=5s", "PIDONE_GRACE_PERIOD is not a per-process option; those are " + optionList},
	{"PIDONE_oneshot=1", "PIDONE_oneshot is not a per-process option; those are " + optionList},
	{"PIDONE_DIR=/a PIDONE_DIR=/b", "PIDONE_DIR is set twice on this line"},

	{"PIDONE_ONESHOT=yes", `PIDONE_ONESHOT="yes": want 1, 0, true or false`},
	{"PIDONE_ONESHOT=TRUE", `PIDONE_ONESHOT="TRUE": want 1, 0, true or false`},
	{"PIDONE_ONESHOT=", `PIDONE_ONESHOT="": want 1, 0, true or false`},
	{"PIDONE_ONESHOT=1 PIDONE_RESTART=always", "PIDONE_ONESHOT=1 with PIDONE_RESTART=always: a one-shot that always restarts never completes"},
	{"PIDONE_RESTART=always PIDONE_ONESHOT=true", "PIDONE_ONESHOT=1 with PIDONE_RESTART=always: a one-shot that always restarts never completes"},

	{"PIDONE_AFTER=", `PIDONE_AFTER="": want NAME[,NAME...]`},
	{"PIDONE_AFTER=db,", `PIDONE_AFTER="db,": an empty name in the list`},
	{"PIDONE_AFTER=,db", `PIDONE_AFTER=",db": an empty name in the list`},
	{"PIDONE_AFTER='db migrate'", `PIDONE_AFTER="db migrate": "db migrate" is not a process name`},
	{"PIDONE_AFTER=db.1", `PIDONE_AFTER="db.1": "db.1" is not a process name`},
	{"PIDONE_AFTER=db,migrate,db", `PIDONE_AFTER="db,migrate,db": "db" is listed twice`},

	{"PIDONE_RESTART=", `PIDONE_RESTART="": want never, on-failure or always`},
	{"PIDONE_RESTART=Always", `PIDONE_RESTART="Always": want never, on-failure or always`},
	{"PIDONE_RESTART=unless-stopped", `PIDONE_RESTART="unless-stopped": want never, on-failure or always`},

	{"PIDONE_MAX_RESTARTS=", `PIDONE_MAX_RESTARTS="": want a whole number, 0 or more`},
	{"PIDONE_MAX_RESTARTS=-1", `PIDONE_MAX_RESTARTS="-1": want a whole number, 0 or more`},
	{"PIDONE_MAX_RESTARTS=+1", `PIDONE_MAX_RESTARTS="+1": want a whole number, 0 or more`},
	{"PIDONE_MAX_RESTARTS=1.5", `PIDONE_MAX_RESTARTS="1.5": want a whole number, 0 or more`},
	{"PIDONE_MAX_RESTARTS=' 1'", `PIDONE_MAX_RESTARTS=" 1": want a whole number, 0 or more`},
	{"PIDONE_MAX_RESTARTS=99999999999999999999", `PIDONE_MAX_RESTARTS="99999999999999999999": want a whole number, 0 or more`},

	{"PIDONE_STOP_SIGNAL=", `PIDONE_STOP_SIGNAL="": empty`},
	{"PIDONE_STOP_SIGNAL=BOGUS", `PIDONE_STOP_SIGNAL="BOGUS": unknown signal name`},
	{"PIDONE_STOP_SIGNAL=99", `PIDONE_STOP_SIGNAL="99": not a signal number between 1 and 64`},
	{"PIDONE_STOP_SIGNAL=KILL", `PIDONE_STOP_SIGNAL="KILL": SIGKILL cannot be a stop signal: a stop ends with it anyway once the grace period is over`},
	{"PIDONE_STOP_SIGNAL=STOP", `PIDONE_STOP_SIGNAL="STOP": SIGSTOP is not a signal pidone forwards`},
	{"PIDONE_STOP_SIGNAL=CHLD", `PIDONE_STOP_SIGNAL="CHLD": SIGCHLD is not a signal pidone forwards`},
	{"PIDONE_STOP_SIGNAL=URG", `PIDONE_STOP_SIGNAL="URG": SIGURG is not a signal pidone forwards`},
	{"PIDONE_STOP_SIGNAL=PROF", `PIDONE_STOP_SIGNAL="PROF": SIGPROF is not a signal pidone forwards`},
	{"PIDONE_STOP_SIGNAL=32", `PIDONE_STOP_SIGNAL="32": SIG32 is not a signal pidone forwards`},
	{"PIDONE_STOP_SIGNAL=RTMIN", `PIDONE_STOP_SIGNAL="RTMIN": SIGRTMIN is not a signal pidone forwards`},

	{"PIDONE_SIGNALS=", `PIDONE_SIGNALS="": want SIG[,SIG...], all or none`},
	{"PIDONE_SIGNALS=HUP,", `PIDONE_SIGNALS="HUP,": an empty signal in the list`},
	{"PIDONE_SIGNALS=HUP,BOGUS", `PIDONE_SIGNALS="HUP,BOGUS": unknown signal name`},
	{"PIDONE_SIGNALS=HUP,KILL", `PIDONE_SIGNALS="HUP,KILL": SIGKILL is not a signal pidone forwards`},
	{"PIDONE_SIGNALS=CHLD", `PIDONE_SIGNALS="CHLD": SIGCHLD is not a signal pidone forwards`},
	{"PIDONE_SIGNALS=HUP,1", `PIDONE_SIGNALS="HUP,1": SIGHUP is listed twice`},
	{"PIDONE_SIGNALS=all,HUP", `PIDONE_SIGNALS="all,HUP": unknown signal name`},

	{"PIDONE_USER=", `PIDONE_USER="": empty, want USER[:GROUP]`},
	{"PIDONE_USER='a b'", `PIDONE_USER="a b": contains whitespace or a control character`},
	{"PIDONE_USER=a:b:c", `PIDONE_USER="a:b:c": more than one ':', want USER[:GROUP]`},
	{"PIDONE_USER=:g", `PIDONE_USER=":g": no user before ':'`},
	{"PIDONE_USER=-1", `PIDONE_USER="-1": uid -1 is negative, want 0-4294967294`},

	{"PIDONE_DIR=", "PIDONE_DIR is empty; give a directory"},
	{"PIDONE_DIR=$X", "PIDONE_DIR is empty; give a directory"},

	{"PIDONE_READY=", `PIDONE_READY="": want tcp:PORT, tcp:HOST:PORT, file:PATH, log:TEXT, exec:COMMAND or notify`},
	{"PIDONE_READY=http://x", `PIDONE_READY="http://x": want tcp:PORT, tcp:HOST:PORT, file:PATH, log:TEXT, exec:COMMAND or notify`},
	{"PIDONE_READY=tcp", `PIDONE_READY="tcp": want tcp:PORT, tcp:HOST:PORT, file:PATH, log:TEXT, exec:COMMAND or notify`},
	{"PIDONE_READY=TCP:80", `PIDONE_READY="TCP:80": want tcp:PORT, tcp:HOST:PORT, file:PATH, log:TEXT, exec:COMMAND or notify`},
	{"PIDONE_READY=notify:x", `PIDONE_READY="notify:x": want tcp:PORT, tcp:HOST:PORT, file:PATH, log:TEXT, exec:COMMAND or notify`},
	{"PIDONE_READY=tcp:", `PIDONE_READY="tcp:": port "" is not a number from 1 to 65535`},
	{"PIDONE_READY=tcp:0", `PIDONE_READY="tcp:0": port "0" is not a number from 1 to 65535`},
	{"PIDONE_READY=tcp:65536", `PIDONE_READY="tcp:65536": port "65536" is not a number from 1 to 65535`},
	{"PIDONE_READY=tcp:http", `PIDONE_READY="tcp:http": port "http" is not a number from 1 to 65535`},
	{"PIDONE_READY=tcp:db:", `PIDONE_READY="tcp:db:": port "" is not a number from 1 to 65535`},
	{"PIDONE_READY=tcp::80", `PIDONE_READY="tcp::80": empty host before the port`},
	{"PIDONE_READY=tcp:::1:80", `PIDONE_READY="tcp:::1:80": an IPv6 address goes in brackets, as in tcp:[::1]:8000`},
	{"PIDONE_READY=tcp:[::1]", `PIDONE_READY="tcp:[::1]": want tcp:[ADDRESS]:PORT`},
	{"PIDONE_READY=tcp:[::1]80", `PIDONE_READY="tcp:[::1]80": want tcp:[ADDRESS]:PORT`},
	{"PIDONE_READY=tcp:[::1]:", `PIDONE_READY="tcp:[::1]:": port "" is not a number from 1 to 65535`},
	{"PIDONE_READY=tcp:[127.0.0.1]:80", `PIDONE_READY="tcp:[127.0.0.1]:80": "127.0.0.1" is not an IPv6 address; only those go in brackets`},
	{"PIDONE_READY=tcp:[]:80", `PIDONE_READY="tcp:[]:80": "" is not an IPv6 address; only those go in brackets`},
	{"PIDONE_READY=tcp:[db]:80", `PIDONE_READY="tcp:[db]:80": "db" is not an IPv6 address; only those go in brackets`},
	{"PIDONE_READY=tcp:[::1:80", `PIDONE_READY="tcp:[::1:80": want tcp:[ADDRESS]:PORT`},
	{"PIDONE_READY=tcp:a/b:80", `PIDONE_READY="tcp:a/b:80": "a/b" is not a host name or address`},
	{"PIDONE_READY=file:", `PIDONE_READY="file:": file: needs a path`},
	{"PIDONE_READY=log:", `PIDONE_READY="log:": log: needs the text to look for`},
	{"PIDONE_READY=exec:", `PIDONE_READY="exec:": the command is empty once comments and empty variables are removed`},
	{"PIDONE_READY='exec: # x'", `PIDONE_READY="exec: # x": the command is empty once comments and empty variables are removed`},
	{"PIDONE_READY=\"exec:a 'b\"", `PIDONE_READY="exec:a 'b": unterminated single quote (')`},
	{"PIDONE_READY='exec:a ${X:?no X}'", `PIDONE_READY="exec:a ${X:?no X}": X: no X`},
	{"PIDONE_READY='exec:PIDONE_DIR=/ a'", `PIDONE_READY="exec:PIDONE_DIR=/ a": PIDONE_DIR cannot be set here: options go on a Procfile line, before its command`},

	// Options are pidone's to read, so their values must not need a shell.
	{"PIDONE_DIR=$(pwd)", `the value of PIDONE_DIR uses command substitution ("$("), which needs a shell; pidone reads options itself`},
	{"PIDONE_DIR=~/x", `the value of PIDONE_DIR uses tilde expansion ("~"), which needs a shell; pidone reads options itself`},
	{"PIDONE_DIR=${X:=/x}", `the value of PIDONE_DIR uses the expansion "${X:=/x}", which needs a shell; pidone reads options itself`},
	{"A=$(x) PIDONE_ONESHOT=1", `PIDONE_ONESHOT must come before the assignment to A, from which on the shell runs the line (for command substitution ("$(") in the assignment to A)`},
	{"PIDONE_ONESHOT=1;", `PIDONE_ONESHOT must be followed by the command it applies to, not by ";"`},
	{"A=1 PIDONE_ONESHOT=1 &&", `PIDONE_ONESHOT must come before the assignment to A, from which on the shell runs the line (for a command list ("&&"))`},
}

func TestOptionErrors(t *testing.T) {
	for _, tt := range optionErrorTests {
		in := "web: " + tt.in + " a\ndb: b\nmigrate: c\n"
		_, err := Parse("p", strings.NewReader(in), testConfig)
		if want := "procfile p:1: " + tt.want; err == nil || err.Error() != want {
			t.Errorf("%s:\n got %v\nwant %s", tt.in, err, want)
		}
	}
}

func TestOptionsBeforeShellAssignment(t *testing.T) {
	// Options before an assignment that goes to the shell still count,
	// and are not the shell's to see.
	in := "web: PIDONE_ONESHOT=1 A=1 PIDONE_DIR=/x B=$(date) a\n"
	got, err := Parse("p", strings.NewReader(in), testConfig)
	if err != nil {
		t.Fatal(err)
	}
	e := got[0]
	if !e.Options.OneShot || e.Options.Dir != "/x" || e.Text != "A=1 B=$(date) a" || e.Env != nil || !e.Shell {
		t.Errorf("got %+v", e)
	}
	in = "web: PIDONE_ONESHOT=1 A=1; a\n"
	got, err = Parse("p", strings.NewReader(in), testConfig)
	if err != nil {
		t.Fatal(err)
	}
	if e := got[0]; !e.Options.OneShot || e.Text != "A=1; a" || e.Env != nil || !e.Shell {
		t.Errorf("got %+v", e)
	}
}

func TestExecCheckWithoutShell(t *testing.T) {
	in := "web: PIDONE_READY='exec:curl -fs x || exit 1' a\n"
	_, err := Parse("p", strings.NewReader(in), noShell)
	want := `procfile p:1: PIDONE_READY="exec:curl -fs x || exit 1": the command needs a shell for a command list ("||"), and /bin/sh does not exist; run a program directly or use an image with a shell`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestCheckKindString(t *testing.T) {
	for k, want := range map[CheckKind]string{
		CheckTCP: "tcp", CheckFile: "file", CheckLog: "log", CheckExec: "exec", CheckNotify: "notify", 0: "CheckKind(0)",
	} {
		if got := k.String(); got != want {
			t.Errorf("CheckKind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}
