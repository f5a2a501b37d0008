package ctl

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

var nameSeq atomic.Int64

// testPrefix returns a name prefix no other test, and no real pidone on
// this machine, uses.
func testPrefix() string {
	return fmt.Sprintf("pidone-ctl-test-%d-%d", os.Getpid(), nameSeq.Add(1))
}

// listen starts a server on a name of the test's own; it is closed when
// the test ends.
func listen(t *testing.T, cfg Config) *Server {
	t.Helper()
	if cfg.Name == "" {
		cfg.Name = testPrefix() + "/server"
	}
	s, err := Listen(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func dial(t *testing.T, s *Server) *net.UnixConn {
	t.Helper()
	c, err := net.DialUnix("unix", nil, &net.UnixAddr{Name: "@" + s.Name(), Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func ask(t *testing.T, c *net.UnixConn, r Request) {
	t.Helper()
	b, err := EncodeRequest(r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write(b); err != nil {
		t.Fatal(err)
	}
}

// answer reads everything the server sends until it hangs up.
func answer(t *testing.T, c *net.UnixConn) (Response, error) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	b, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("read the answer: %v (got %q)", err, b)
	}
	return DecodeResponse(b)
}

func mustAnswer(t *testing.T, c *net.UnixConn) Response {
	t.Helper()
	r, err := answer(t, c)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func nextCall(t *testing.T, s *Server) *Call {
	t.Helper()
	select {
	case c := <-s.Calls():
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("no call within 10s")
		return nil
	}
}

func noCall(t *testing.T, s *Server) {
	t.Helper()
	select {
	case c := <-s.Calls():
		t.Fatalf("unexpected call %+v", c.Request)
	default:
	}
}

// waitFor waits until cond holds, checking it every millisecond.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 10s", what)
		}
		time.Sleep(time.Millisecond) // the poll interval of a condition
	}
}

// open counts the connections holding a slot: a connection gives its slot
// back last, once answered and closed.
func (s *Server) open() int { return len(s.slots) }

func TestServerCallAndReply(t *testing.T) {
	s := listen(t, Config{})
	for _, req := range []Request{
		{Verb: VerbStatus},
		{Verb: VerbRestart, Name: "web"},
		{Verb: VerbStop, Name: "web"},
		{Verb: VerbStart, Name: "web"},
		{Verb: VerbSignal, Name: "web", Signal: unix.SIGUSR1},
	} {
		c := dial(t, s)
		ask(t, c, req)
		call := nextCall(t, s)
		if call.Request != req {
			t.Errorf("call %+v, want %+v", call.Request, req)
		}
		if call.Peer.PID != os.Getpid() || call.Peer.UID != os.Geteuid() {
			t.Errorf("peer %+v, want pid %d uid %d", call.Peer, os.Getpid(), os.Geteuid())
		}
		want := Response{Status: 1, Message: req.Verb + " failed", Snapshot: sampleSnapshot}
		call.Reply(want)
		call.Reply(Response{Message: "a second reply, ignored"})
		got := mustAnswer(t, c)
		if got.Status != want.Status || got.Message != want.Message || len(got.Snapshot.Processes) != 3 {
			t.Errorf("%s: answer %+v", req.Verb, got)
		}
	}
	waitFor(t, "every connection closed", func() bool { return s.open() == 0 })
}

func TestReplyMakesMessageFit(t *testing.T) {
	s := listen(t, Config{})
	for _, tt := range []struct{ in, want string }{
		{"exec \"/bin/fo\no\": caf\u00e9\t\x00\xff", `exec "/bin/fo\no": caf\u00e9\t\x00\xff`},
		{strings.Repeat("é", MaxMessage), strings.Repeat(`\u00e9`, (MaxMessage-3)/6) + "..."},
		{strings.Repeat("x", MaxMessage), strings.Repeat("x", MaxMessage)},
		{strings.Repeat("x", MaxMessage+1), strings.Repeat("x", MaxMessage-3) + "..."},
	} {
		c := dial(t, s)
		ask(t, c, Request{Verb: VerbStatus})
		nextCall(t, s).Reply(Response{Status: 1, Message: tt.in})
		if got := mustAnswer(t, c); got.Message != tt.want {
			t.Errorf("%q: message %q, want %q", tt.in, got.Message, tt.want)
		}
	}
}

func TestReplyWithInvalidResponse(t *testing.T) {
	s := listen(t, Config{})
	c := dial(t, s)
	ask(t, c, Request{Verb: VerbStatus})
	nextCall(t, s).Reply(Response{Snapshot: &Snapshot{Phase: "idle"}})
	got := mustAnswer(t, c)
	if got.Status != StatusFailed || !strings.Contains(got.Message, `unknown phase "idle"`) {
		t.Errorf("answer %+v", got)
	}
}

func TestServerDropsSilentClient(t *testing.T) {
	const timeout = 300 * time.Millisecond
	s := listen(t, Config{ReadTimeout: timeout})
	silent := dial(t, s)
	begin := time.Now()

	// Served while the silent one waits.
	other := dial(t, s)
	ask(t, other, Request{Verb: VerbStatus})
	nextCall(t, s).Reply(Response{Message: "ok"})
	if got := mustAnswer(t, other); got.Message != "ok" {
		t.Fatalf("answer %+v", got)
	}

	got := mustAnswer(t, silent)
	if got.Status != StatusUsage || !strings.Contains(got.Message, "no request within") {
		t.Errorf("silent client got %+v", got)
	}
	if d := time.Since(begin); d < timeout {
		t.Errorf("dropped after %v, before the %v deadline", d, timeout)
	}
	waitFor(t, "every connection closed", func() bool { return s.open() == 0 })
	noCall(t, s)
}

func TestServerRejectsBadRequests(t *testing.T) {
	s := listen(t, Config{ReadTimeout: 500 * time.Millisecond})
	for _, tt := range []struct {
		name string
		send []byte
		want string // in the message; "" means dropped without an answer
	}{
		{"garbage", []byte("hello\n"), "not a pidone-ctl/1 request"},
		{"binary", []byte("\x00\xff\x01\n"), "not printable ASCII"},
		{"unknown verb", []byte("pidone-ctl/1 reboot\n"), "unknown verb"},
		{"two requests", []byte("pidone-ctl/1 status\npidone-ctl/1 status\n"), "bytes after the request line"},
		{"one megabyte", []byte(strings.Repeat("x", 1<<20)), "longer than 4096 bytes"},
		{"a long line", []byte(strings.Repeat("x", MaxRequest) + "\n"), "longer than 4096 bytes"},
		{"cut short", []byte("pidone-ctl/1 sta"), "no newline before the end"},
		{"nothing", nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, s)
			go func() {
				// The server stops reading at 4 KiB, so this write
				// may fail: what matters is the answer.
				c.Write(tt.send)
				c.CloseWrite()
			}()
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			b, err := io.ReadAll(c)
			if err != nil && !errors.Is(err, syscall.ECONNRESET) {
				t.Fatalf("read: %v", err)
			}
			if tt.want == "" {
				if len(b) != 0 {
					t.Fatalf("answered %q", b)
				}
				return
			}
			got, err := DecodeResponse(b)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != StatusUsage || !strings.Contains(got.Message, tt.want) {
				t.Errorf("answer %+v, want status 2 and %q", got, tt.want)
			}
		})
	}
	noCall(t, s)
	// Still serving.
	c := dial(t, s)
	ask(t, c, Request{Verb: VerbStatus})
	nextCall(t, s).Reply(Response{Message: "still here"})
	if got := mustAnswer(t, c); got.Message != "still here" {
		t.Errorf("answer %+v", got)
	}
}

// TestReplyAfterClientLeft checks that an answer to a client that hung up
// neither blocks the loop nor raises SIGPIPE in pidone, which would
// forward it.
func TestReplyAfterClientLeft(t *testing.T) {
	sigs := make(chan os.Signal, 8)
	signal.Notify(sigs, unix.SIGPIPE, unix.SIGALRM)
	defer signal.Stop(sigs)
	s := listen(t, Config{})
	c := dial(t, s)
	ask(t, c, Request{Verb: VerbRestart, Name: "web"})
	call := nextCall(t, s)
	c.Close()

	replied := make(chan struct{})
	go func() {
		call.Reply(Response{Message: "restarted"})
		call.Reply(Response{Message: "again"})
		close(replied)
	}()
	select {
	case <-replied:
	case <-time.After(5 * time.Second):
		t.Fatal("Reply blocked")
	}
	waitFor(t, "the connection closed", func() bool { return s.open() == 0 })

	// A SIGPIPE from the server's write was raised before the barrier
	// signal, and os/signal hands out pending signals lowest first.
	unix.Kill(os.Getpid(), unix.SIGALRM)
	for {
		select {
		case sig := <-sigs:
			if sig == unix.SIGPIPE {
				t.Fatal("the server's write raised SIGPIPE")
			}
			return
		case <-time.After(10 * time.Second):
			t.Fatal("no SIGALRM within 10s")
		}
	}
}

func TestServerBusy(t *testing.T) {
	s := listen(t, Config{MaxConns: 2})
	var pending []*Call
	var conns []*net.UnixConn
	for i := 0; i < 2; i++ {
		c := dial(t, s)
		ask(t, c, Request{Verb: VerbStatus})
		pending = append(pending, nextCall(t, s))
		conns = append(conns, c)
	}
	extra := dial(t, s)
	if got := mustAnswer(t, extra); got.Status != StatusFailed || !strings.Contains(got.Message, "busy") {
		t.Errorf("third connection got %+v", got)
	}
	pending[0].Reply(Response{Message: "first"})
	if got := mustAnswer(t, conns[0]); got.Message != "first" {
		t.Errorf("answer %+v", got)
	}
	waitFor(t, "a slot free", func() bool { return s.open() == 1 })
	c := dial(t, s)
	ask(t, c, Request{Verb: VerbStatus})
	nextCall(t, s).Reply(Response{Message: "served"})
	if got := mustAnswer(t, c); got.Message != "served" {
		t.Errorf("answer %+v", got)
	}
	pending[1].Reply(Response{})
}

func TestServerClose(t *testing.T) {
	name := testPrefix() + "/server"
	s, err := Listen(Config{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	c := dial(t, s)
	ask(t, c, Request{Verb: VerbRestart, Name: "web"})
	call := nextCall(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if b, err := io.ReadAll(c); err != nil || len(b) != 0 {
		t.Errorf("a waiting client read %q, %v after Close; want a hang-up", b, err)
	}
	call.Reply(Response{}) // must not block
	s.Close()
	// The name is free again.
	s2, err := Listen(Config{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
}

func TestListenNameInUse(t *testing.T) {
	s := listen(t, Config{})
	_, err := Listen(Config{Name: s.Name()})
	if err == nil || !strings.Contains(err.Error(), "bind the control socket @"+s.Name()) {
		t.Errorf("second Listen on %s: %v", s.Name(), err)
	}
}

func TestDefaultName(t *testing.T) {
	name, err := DefaultName()
	if err != nil {
		t.Fatal(err)
	}
	link, err := os.Readlink("/proc/self/ns/pid")
	if err != nil {
		t.Fatal(err)
	}
	ino := strings.TrimSuffix(strings.TrimPrefix(link, "pid:["), "]")
	if want := "pidone-ctl/" + ino + "/" + strconv.Itoa(os.Getpid()); name != want {
		t.Errorf("DefaultName() = %q, want %q", name, want)
	}
}

// TestIdleServerDoesNotWakeUp counts the context switches of a server
// process that waits for connections: an idle pidone must not wake up.
func TestIdleServerDoesNotWakeUp(t *testing.T) {
	if testing.Short() {
		t.Skip("takes two seconds")
	}
	p := start(t, helperCmd("serve", "prefix:"+testPrefix(), "token"))
	p.expect(t, "ready ")
	pid := p.cmd.Process.Pid
	// Let the runtime finish starting (its first GC, sysmon's back-off)
	// before the measured second: a measurement window, not a wait for
	// an event.
	time.Sleep(time.Second)
	before := switches(t, pid)
	time.Sleep(time.Second)
	after := switches(t, pid)
	if n := after - before; n > 2 {
		t.Errorf("an idle server was switched in %d times in one second", n)
	}
}

// switches sums the context switches of every thread of pid.
func switches(t *testing.T, pid int) int {
	t.Helper()
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, task := range tasks {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/status", pid, task.Name()))
		if err != nil {
			continue // a thread that just ended
		}
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.HasSuffix(k, "ctxt_switches") {
				n, _ := strconv.Atoi(strings.TrimSpace(v))
				total += n
			}
		}
	}
	return total
}
