package ctl

// Some tests need other processes: a client running as another user, a
// server in another PID namespace. They run this test binary again as a
// helper, named in helperEnv and looked up in helpers; an unknown name
// fails.

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

const helperEnv = "PIDONE_CTL_TEST_HELPER"

var helpers = map[string]func(args []string) int{
	"serve":  serveHelper,
	"client": clientHelper,
	"main":   mainHelper,
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
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// serveHelper serves until killed, answering every call with TOKEN, and
// prints "ready NAME PID" once it listens, PID as /proc numbers it.
//
//	serve prefix:PREFIX|name:NAME TOKEN [-- [+mnt] HELPER ARG...]
//
// With prefix: it binds its own name under PREFIX, as pidone would. With
// name: exactly NAME, true or not (a squatter). After "--" it runs another
// helper as its child (in a new mount namespace with +mnt), its output
// mixed into its own, and prints "child exit N" when the child is done.
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
	self, err := os.Readlink("/proc/self")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	fmt.Printf("ready %s %s\n", s.Name(), self)
	go func() {
		for c := range s.Calls() {
			c.Reply(Response{Message: token})
		}
	}()
	if len(args) > 3 && args[2] == "--" {
		child := args[3:]
		newns := child[0] == "+mnt"
		if newns {
			child = child[1:]
		}
		cmd := helperCmd(child[0], child[1:]...)
		if newns {
			cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNS}
		}
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		err := cmd.Run()
		fmt.Printf("child exit %d\n", exitCode(err))
	}
	select {}
}

// clientHelper runs the client with a test prefix:
//
//	client PREFIX VERB [ARG...]
func clientHelper(args []string) int {
	f := defaultFinder()
	f.prefix = args[0]
	return f.main(args[1:], os.Stdout, os.Stderr)
}

// mainHelper runs Main, as `pidone --ctl` does.
func mainHelper(args []string) int {
	return Main(args, os.Stdout, os.Stderr)
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

// shared holds a copy of the test binary that every user may run: the
// one go test builds sits in a directory only its owner can enter.
var shared struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

func sharedBinary(t *testing.T) string {
	t.Helper()
	shared.once.Do(func() {
		self, err := os.Executable()
		if err != nil {
			shared.err = err
			return
		}
		if shared.dir, err = os.MkdirTemp("", "ctl-test-"); err != nil {
			shared.err = err
			return
		}
		if err := os.Chmod(shared.dir, 0o755); err != nil {
			shared.err = err
			return
		}
		shared.bin = filepath.Join(shared.dir, "ctl.test")
		in, err := os.Open(self)
		if err != nil {
			shared.err = err
			return
		}
		defer in.Close()
		out, err := os.OpenFile(shared.bin, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o755)
		if err != nil {
			shared.err = err
			return
		}
		if _, err := io.Copy(out, in); err != nil {
			shared.err = err
		}
		if err := out.Close(); err != nil && shared.err == nil {
			shared.err = err
		}
	})
	if shared.err != nil {
		t.Fatalf("copy the test binary: %v", shared.err)
	}
	return shared.bin
}

// helperCmd prepares the named helper, running this test binary.
func helperCmd(name string, args ...string) *exec.Cmd {
	self, _ := os.Executable()
	if shared.bin != "" {
		self = shared.bin
	}
	cmd := exec.Command(self, args...)
	cmd.Env = append(os.Environ(), helperEnv+"="+name)
	return cmd
}

// needRoot skips a test that needs root on a laptop, but never in CI.
func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("this test needs root, and CI must run it")
	}
	t.Skip("needs root")
}

// needCommand skips a test that needs a program on a laptop, but never in
// CI.
func needCommand(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("this test needs %s, and CI must run it", name)
	}
	t.Skipf("needs %s", name)
	return ""
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

// ready waits for the next "ready NAME PID" line of a server helper and
// returns PID, the server's pid as this test's /proc numbers it.
func (p *proc) ready(t *testing.T) string {
	t.Helper()
	f := strings.Fields(p.expect(t, "ready "))
	if len(f) != 3 {
		t.Fatalf("malformed ready line %q", f)
	}
	return f[2]
}

// wait waits for p to end and returns its status and all its output.
func (p *proc) wait(t *testing.T) (int, string) {
	t.Helper()
	var out strings.Builder
	deadline := time.After(20 * time.Second)
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				<-p.done
				return p.code, out.String()
			}
			out.WriteString(line + "\n")
		case <-deadline:
			t.Fatalf("%v did not end within 20s; stderr: %s", p.cmd.Args, p.stderr())
		}
	}
}
