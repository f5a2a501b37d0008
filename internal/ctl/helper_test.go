package ctl

// Some tests need other processes: a client running as another user, a
// server in another PID namespace. They run this test binary again as a
// helper, named in helperEnv and looked up in helpers; an unknown name
// fails.

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const helperEnv = "PIDONE_CTL_TEST_HELPER"

var helpers = map[string]func(args []string) int{
	"serve": serveHelper,
}

func TestMain(m *testing.M) {
	if name, ok := os.LookupEnv(helperEnv); ok {
		h, found := helpers[name]
		if !found {
			fmt.Fprintf(os.Stderr, "ctl test: no helper named %q\n", name)
			os.Exit(3)
		}
		os.Exit(h(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// serveHelper serves until killed, answering every call with TOKEN, and
// prints "ready NAME" once it listens.
//
//	serve prefix:PREFIX|name:NAME TOKEN [-- HELPER ARG...]
//
// With prefix: it binds its own name under PREFIX, as pidone would. With
// name: exactly NAME, true or not (a squatter). After "--" it runs another
// helper as its child, its output mixed into its own, and prints
// "child exit N" when the child is done.
func serveHelper(args []string) int {
	if len(args) < 2 {
		fmt.Fprintln(os.Stderr, "serve: want prefix:P|name:N TOKEN")
		return 3
	}
	var name string
	switch kind, v, _ := strings.Cut(args[0], ":"); kind {
	case "prefix":
		ino, err := nsInode("/proc/self/ns/pid")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 3
		}
		name = socketName(v, ino, os.Getpid())
		if v == namePrefix {
			name = "" // the production path: DefaultName
		}
	case "name":
		name = v
	default:
		fmt.Fprintf(os.Stderr, "serve: bad %q\n", args[0])
		return 3
	}
	token := args[1]
	s, err := Listen(Config{Name: name})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	fmt.Printf("ready %s\n", s.Name())
	go func() {
		for c := range s.Calls() {
			c.Reply(Response{Message: token})
		}
	}()
	if len(args) > 3 && args[2] == "--" {
		cmd := helperCmd(args[3], args[4:]...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		err := cmd.Run()
		fmt.Printf("child exit %d\n", exitCode(err))
	}
	select {}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

// helperCmd prepares the named helper, running this test binary.
func helperCmd(name string, args ...string) *exec.Cmd {
	self, _ := os.Executable()
	cmd := exec.Command(self, args...)
	cmd.Env = append(os.Environ(), helperEnv+"="+name)
	return cmd
}

// proc is a helper process under test, killed (by its pid) when the test
// ends.
type proc struct {
	cmd   *exec.Cmd
	lines chan string // its stdout, line by line; closed at EOF
	mu    sync.Mutex
	err   strings.Builder // its stderr
	done  chan struct{}   // closed once it has been waited for
	code  int
}

// start starts cmd and arranges for it to be killed and reaped.
func start(t *testing.T, cmd *exec.Cmd) *proc {
	t.Helper()
	p := &proc{cmd: cmd, lines: make(chan string, 100), done: make(chan struct{})}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = &lockedWriter{p}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %v: %v", cmd.Args, err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
		close(p.lines)
		err := cmd.Wait()
		p.code = exitCode(err)
		close(p.done)
	}()
	t.Cleanup(func() {
		syscall.Kill(cmd.Process.Pid, syscall.SIGKILL)
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			t.Errorf("helper %d did not end after SIGKILL", cmd.Process.Pid)
		}
	})
	return p
}

type lockedWriter struct{ p *proc }

func (w *lockedWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	return w.p.err.Write(b)
}

func (p *proc) stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err.String()
}

// expect waits for the next line of output that starts with prefix, and
// returns it.
func (p *proc) expect(t *testing.T, prefix string) string {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				<-p.done
				t.Fatalf("%v ended (status %d) before printing %q; stderr: %s", p.cmd.Args, p.code, prefix, p.stderr())
			}
			if strings.HasPrefix(line, prefix) {
				return line
			}
		case <-deadline:
			t.Fatalf("%v: no line %q within 20s; stderr: %s", p.cmd.Args, prefix, p.stderr())
		}
	}
}
