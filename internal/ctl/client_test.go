package ctl

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestParseArgs(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want command
	}{
		{[]string{"status"}, command{req: Request{Verb: VerbStatus}}},
		{[]string{"status", "--json"}, command{req: Request{Verb: VerbStatus}, json: true}},
		{[]string{"restart", "web"}, command{req: Request{Verb: VerbRestart, Name: "web"}}},
		{[]string{"stop", "worker_2"}, command{req: Request{Verb: VerbStop, Name: "worker_2"}}},
		{[]string{"start", "main"}, command{req: Request{Verb: VerbStart, Name: "main"}}},
		{[]string{"signal", "web", "HUP"}, command{req: Request{Verb: VerbSignal, Name: "web", Signal: unix.SIGHUP}}},
		{[]string{"signal", "web", "sigusr1"}, command{req: Request{Verb: VerbSignal, Name: "web", Signal: unix.SIGUSR1}}},
		{[]string{"signal", "web", "9"}, command{req: Request{Verb: VerbSignal, Name: "web", Signal: unix.SIGKILL}}},
		{[]string{"signal", "web", "RTMIN+2"}, command{req: Request{Verb: VerbSignal, Name: "web", Signal: 36}}},
	} {
		got, err := parseArgs(tt.args)
		if err != nil || got != tt.want {
			t.Errorf("%q: %+v, %v; want %+v", tt.args, got, err, tt.want)
		}
	}
}

// TestMainUsage checks usage errors: status 2 and one line, before any
// pidone is looked for.
func TestMainUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "pidone: --ctl needs a verb: status [--json], restart NAME, stop NAME, start NAME or signal NAME SIG\n"},
		{[]string{"reload"}, `pidone: --ctl "reload": unknown verb; the verbs are status [--json], restart NAME, stop NAME, start NAME or signal NAME SIG` + "\n"},
		{[]string{"STATUS"}, ""},
		{[]string{""}, ""},
		{[]string{"--json"}, ""},
		{[]string{"status", "web"}, `pidone: --ctl status: unexpected argument "web"` + "\n"},
		{[]string{"status", "--json", "--json"}, `pidone: --ctl status: unexpected argument "--json"` + "\n"},
		{[]string{"status", "--yaml"}, ""},
		{[]string{"restart"}, "pidone: --ctl restart: missing NAME\n"},
		{[]string{"stop"}, "pidone: --ctl stop: missing NAME\n"},
		{[]string{"start", "a", "b"}, `pidone: --ctl start: unexpected argument "b"` + "\n"},
		{[]string{"restart", "web.1"}, `pidone: --ctl restart: invalid process name "web.1"` + "\n"},
		{[]string{"restart", ""}, `pidone: --ctl restart: invalid process name ""` + "\n"},
		{[]string{"stop", "a\nb"}, `pidone: --ctl stop: invalid process name "a\nb"` + "\n"},
		{[]string{"signal"}, "pidone: --ctl signal: missing NAME\n"},
		{[]string{"signal", "web"}, "pidone: --ctl signal: missing SIG\n"},
		{[]string{"signal", "web", "FOO"}, `pidone: --ctl signal: invalid signal "FOO": unknown signal name` + "\n"},
		{[]string{"signal", "web", "0"}, ""},
		{[]string{"signal", "web", "65"}, ""},
		{[]string{"signal", "web", "TERM", "x"}, `pidone: --ctl signal: unexpected argument "x"` + "\n"},
	} {
		var out, errOut strings.Builder
		f := testFinder(testPrefix())
		f.proc = "/nonexistent" // a usage error must come before any look
		code := f.main(tt.args, &out, &errOut)
		msg := errOut.String()
		if code != 2 || out.Len() != 0 || !strings.HasPrefix(msg, "pidone: --ctl ") || strings.Count(msg, "\n") != 1 {
			t.Errorf("%q: status %d, stdout %q, stderr %q", tt.args, code, out.String(), msg)
		}
		if tt.want != "" && msg != tt.want {
			t.Errorf("%q: stderr %q, want %q", tt.args, msg, tt.want)
		}
	}
}

// loopAnswers stands for the supervisor loop: it answers every call of s
// with answer(call).
func loopAnswers(t *testing.T, prefix string, answer func(*Call) Response) {
	t.Helper()
	s := serveNamed(t, prefix)
	go func() {
		for c := range s.Calls() {
			c.Reply(answer(c))
		}
	}()
}

// serveNamed serves under prefix in this process, named as pidone would
// name itself; nothing answers its calls.
func serveNamed(t *testing.T, prefix string) *Server {
	t.Helper()
	ino, err := nsInode("/proc/self/ns/pid")
	if err != nil {
		t.Fatal(err)
	}
	return listen(t, Config{Name: socketName(prefix, ino, os.Getpid())})
}

func TestMainVerbs(t *testing.T) {
	prefix := testPrefix()
	loopAnswers(t, prefix, func(c *Call) Response {
		r := c.Request
		switch {
		case r.Verb == VerbStatus:
			return Response{Status: 1, Message: "web is backing off", Snapshot: sampleSnapshot}
		case r.Name != "web" && r.Name != "migrate":
			return Response{Status: StatusUsage, Message: "no process named " + r.Name}
		case r.Verb == VerbStart && r.Name == "migrate":
			return Response{Status: StatusFailed, Message: "migrate: exec: \"manage.py\":\nnot found"}
		case r.Verb == VerbSignal:
			return Response{Message: "sent " + r.Signal.String() + " to " + r.Name}
		case r.Verb == VerbStop:
			return Response{} // done, nothing to say
		}
		return Response{Message: r.Verb + "ed " + r.Name}
	})
	var table strings.Builder
	RenderTable(&table, sampleSnapshot)
	for _, tt := range []struct {
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{[]string{"status"}, 1, table.String(), "pidone: web is backing off\n"},
		{[]string{"restart", "web"}, 0, "restarted web\n", ""},
		{[]string{"stop", "web"}, 0, "", ""},
		{[]string{"start", "migrate"}, 1, "", `pidone: migrate: exec: "manage.py":\nnot found` + "\n"},
		{[]string{"signal", "web", "usr2"}, 0, "sent user defined signal 2 to web\n", ""},
		{[]string{"restart", "db"}, 2, "", "pidone: no process named db\n"},
	} {
		var out, errOut strings.Builder
		code := testFinder(prefix).main(tt.args, &out, &errOut)
		if code != tt.code || out.String() != tt.stdout || errOut.String() != tt.stderr {
			t.Errorf("%q: status %d, stdout %q, stderr %q\nwant %d, %q, %q",
				tt.args, code, out.String(), errOut.String(), tt.code, tt.stdout, tt.stderr)
		}
	}
}

func TestMainStatusJSON(t *testing.T) {
	prefix := testPrefix()
	loopAnswers(t, prefix, func(c *Call) Response {
		return Response{Message: "all ready", Snapshot: sampleSnapshot}
	})
	var out, errOut strings.Builder
	code := testFinder(prefix).main([]string{"status", "--json"}, &out, &errOut)
	if code != 0 || errOut.Len() != 0 {
		t.Fatalf("status %d, stderr %q", code, errOut.String())
	}
	doc, _ := decodeJSON(t, []byte(out.String()))
	if *doc.Status != 0 || *doc.Message != "all ready" || *doc.Phase != "running" || len(doc.Processes) != 3 {
		t.Errorf("document %s", out.String())
	}
}

func TestMainStatusDeadline(t *testing.T) {
	prefix := testPrefix()
	s := serveNamed(t, prefix) // a loop that never answers
	f := testFinder(prefix)
	f.statusWait = 200 * time.Millisecond
	var out, errOut strings.Builder
	begin := time.Now()
	code := f.main([]string{"status"}, &out, &errOut)
	if want := "pidone: no answer from pidone (pid " + strconv.Itoa(os.Getpid()) + ") within 200ms\n"; code != 1 || errOut.String() != want {
		t.Errorf("status %d, stderr %q, want %q", code, errOut.String(), want)
	}
	if d := time.Since(begin); d < 200*time.Millisecond {
		t.Errorf("gave up after %v", d)
	}
	nextCall(t, s).Reply(Response{}) // harmless: the client is gone
}

func TestMainServerHangsUp(t *testing.T) {
	prefix := testPrefix()
	s := serveNamed(t, prefix)
	go func() {
		<-s.Calls()
		s.Close()
	}()
	var out, errOut strings.Builder
	code := testFinder(prefix).main([]string{"restart", "web"}, &out, &errOut)
	if want := "pidone: pidone (pid " + strconv.Itoa(os.Getpid()) + ") hung up without answering\n"; code != 1 || errOut.String() != want {
		t.Errorf("status %d, stderr %q, want %q", code, errOut.String(), want)
	}
}

func TestMainNoPidone(t *testing.T) {
	var out, errOut strings.Builder
	code := testFinder(testPrefix()).main([]string{"status"}, &out, &errOut)
	if code != 1 || out.Len() != 0 || errOut.String() != "pidone: no pidone is running in this PID namespace\n" {
		t.Errorf("status %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}

func TestMainWithoutProc(t *testing.T) {
	var out, errOut strings.Builder
	f := testFinder(testPrefix())
	f.proc = t.TempDir()
	code := f.main([]string{"status"}, &out, &errOut)
	msg := errOut.String()
	if code != 1 || !strings.HasPrefix(msg, "pidone: find pidone: ") || !strings.HasSuffix(msg, " (is /proc mounted?)\n") || strings.Count(msg, "\n") != 1 {
		t.Errorf("status %d, stderr %q", code, msg)
	}
}

// TestClientReadsNoEnvironment holds the client to not reading PIDONE_*
// (or anything else from the environment): they configure a run.
func TestClientReadsNoEnvironment(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	env := regexp.MustCompile(`\bos\.(Getenv|LookupEnv|Environ|ExpandEnv)\b|\bsyscall\.Getenv\b`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if loc := env.FindIndex(b); loc != nil {
			t.Errorf("%s reads the environment: %s", f, b[loc[0]:loc[1]])
		}
	}
}

// TestNoEncodingJSON keeps encoding/json out of the binary: its
// reflection costs size, and RenderJSON does without it.
func TestNoEncodingJSON(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == "encoding/json" {
			t.Errorf("the package depends on %s", dep)
		}
	}
}

// TestRefusesOtherUsers runs clients as other users against servers
// running as root and as an ordinary user: only root and the server's own
// user are served.
func TestRefusesOtherUsers(t *testing.T) {
	needRoot(t)
	sharedBinary(t)
	const nobody, other = 65534, 65533
	as := func(cmd *exec.Cmd, uid uint32) *exec.Cmd {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: uid}}
		return cmd
	}

	t.Run("root server", func(t *testing.T) {
		prefix := testPrefix()
		s := serveNamed(t, prefix)
		p := start(t, as(helperCmd("client", prefix, "status"), nobody))
		code, _ := p.wait(t)
		if code != 1 || p.stderr() != "pidone: permission denied: uid 65534 may not control this pidone (only root may)\n" {
			t.Errorf("status %d, stderr %q", code, p.stderr())
		}
		noCall(t, s)
	})

	// A refused peer never takes a slot, so other users cannot starve
	// root's health checks by holding connections open.
	t.Run("refused before the slots", func(t *testing.T) {
		prefix := testPrefix()
		ino, err := nsInode("/proc/self/ns/pid")
		if err != nil {
			t.Fatal(err)
		}
		s := listen(t, Config{Name: socketName(prefix, ino, os.Getpid()), MaxConns: 1})
		held := dial(t, s)
		ask(t, held, Request{Verb: VerbStatus})
		call := nextCall(t, s)
		p := start(t, as(helperCmd("client", prefix, "status"), nobody))
		code, _ := p.wait(t)
		if code != 1 || !strings.HasPrefix(p.stderr(), "pidone: permission denied: ") {
			t.Errorf("status %d, stderr %q", code, p.stderr())
		}
		call.Reply(Response{Message: "held"})
		if got := mustAnswer(t, held); got.Message != "held" {
			t.Errorf("answer %+v", got)
		}
	})

	t.Run("server as nobody", func(t *testing.T) {
		prefix := testPrefix()
		srv := start(t, as(helperCmd("serve", "prefix:"+prefix, "token"), nobody))
		srv.ready(t)
		for _, tt := range []struct {
			uid    uint32
			code   int
			stdout string
			stderr string
		}{
			{0, 0, "token\n", ""},
			{nobody, 0, "token\n", ""},
			{other, 1, "", "pidone: permission denied: uid 65533 may not control this pidone (only root and uid 65534 may)\n"},
		} {
			p := start(t, as(helperCmd("client", prefix, "stop", "web"), tt.uid))
			code, out := p.wait(t)
			if code != tt.code || out != tt.stdout || p.stderr() != tt.stderr {
				t.Errorf("uid %d: status %d, stdout %q, stderr %q; want %d, %q, %q",
					tt.uid, code, out, p.stderr(), tt.code, tt.stdout, tt.stderr)
			}
		}
	})
}
