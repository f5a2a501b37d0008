package main

// The integration tests run the real pidone binary, built once in
// TestMain, as PID 1 of a fresh PID namespace and as a subreaper that is
// not PID 1. The processes it supervises are this test binary again,
// re-executed as one of the helpers in helpers_test.go.

import (
	"bufio"
	"bytes"
	"fmt"
	"github.com/pidone/pidone/internal/procfs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// helperEnv marks a re-execution of the test binary as a helper; the
// helper's name is the first argument.
const helperEnv = "PIDONE_TEST_HELPER"

// binaryEnv, when set, names a pidone binary the tests run instead of
// building one from this tree. It is how a new test is shown to fail
// against an older pidone:
//
//	git worktree add /tmp/old COMMIT
//	(cd /tmp/old && CGO_ENABLED=0 go build -o /tmp/pidone-old .)
//	PIDONE_TEST_BINARY=/tmp/pidone-old go test -run TestName .
//
// A binary that must run as another uid has to be reachable by it.
const binaryEnv = "PIDONE_TEST_BINARY"

var (
	pidoneBin string // the binary under test
	selfBin   string // this test binary, for helpers
)

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		os.Exit(runHelper(os.Args[1:]))
	}
	dir, err := os.MkdirTemp("", "pidone-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// The tests that run pidone itself as an unprivileged user need to
	// reach the binary: MkdirTemp makes the directory 0700.
	if err := os.Chmod(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if bin := os.Getenv(binaryEnv); bin != "" {
		if pidoneBin, err = filepath.Abs(bin); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	} else {
		pidoneBin = filepath.Join(dir, "pidone")
		build := exec.Command("go", "build", "-trimpath", "-o", pidoneBin, ".")
		build.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := build.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "build pidone: %v\n%s", err, out)
			os.Exit(1)
		}
	}
	if selfBin, err = os.Executable(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// mode is how pidone runs in a test.
type mode struct {
	name string
	pid1 bool
}

var (
	asPID1      = mode{"pid1", true}
	asSubreaper = mode{"subreaper", false}
	modes       = []mode{asPID1, asSubreaper}
)

// needRoot skips a test that needs root on a laptop, but never in CI.
func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("this test needs root, and CI must run it")
	}
	t.Skip("needs root (a new PID namespace)")
}

// eachMode runs f as PID 1 and as a subreaper.
func eachMode(t *testing.T, f func(t *testing.T, m mode)) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			if m.pid1 {
				needRoot(t)
			}
			f(t, m)
		})
	}
}

// helper returns the argv that runs the named helper. An unknown name is a
// mistake in the test itself: it panics at once rather than run pidone
// with a command that fails in some other way.
func helper(name string, args ...string) []string {
	if _, ok := helpers[name]; !ok {
		panic("no helper named " + name)
	}
	return append([]string{selfBin, name}, args...)
}

// pidoneRun is one pidone process under test.
type pidoneRun struct {
	t      *testing.T
	cmd    *exec.Cmd
	stdout syncBuffer
	stderr syncBuffer
	done   chan struct{}
	err    error
}

// opts are the less common ways to start pidone.
type opts struct {
	env   []string // added to the test's environment
	stdin *os.File
	// stdout and stderr replace the buffers the test reads (a broken or a
	// stuck pipe); either may be the same file as the other.
	stdout, stderr *os.File
	extraFiles     []*os.File
	dir            string
	// wrap runs pidone under another argv (e.g. a helper that dirties the
	// signal state and then execs pidone); pidone's path is appended.
	wrap []string
	// cloneflags are added to CLONE_NEWPID in PID 1 mode.
	cloneflags uintptr
}

// start runs pidone with args in mode m. The test's cleanup kills it and
// everything below it, by pid.
func start(t *testing.T, m mode, args []string, o ...opts) *pidoneRun {
	t.Helper()
	var op opts
	if len(o) > 0 {
		op = o[0]
	}
	argv := append([]string{pidoneBin}, args...)
	if op.wrap != nil {
		argv = append(append([]string(nil), op.wrap...), argv...)
	}
	r := &pidoneRun{t: t, done: make(chan struct{})}
	r.cmd = newCmd(argv)
	r.cmd.Env = append(r.cmd.Env, op.env...)
	r.cmd.Stdout, r.cmd.Stderr = &r.stdout, &r.stderr
	if op.stdout != nil {
		r.cmd.Stdout = op.stdout
	}
	if op.stderr != nil {
		r.cmd.Stderr = op.stderr
	}
	if op.stdin != nil {
		r.cmd.Stdin = op.stdin
	}
	r.cmd.ExtraFiles = op.extraFiles
	r.cmd.Dir = op.dir
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if m.pid1 {
		r.cmd.SysProcAttr.Cloneflags = syscall.CLONE_NEWPID | op.cloneflags
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("start pidone: %v", err)
	}
	go func() {
		r.err = r.cmd.Wait()
		close(r.done)
	}()
	t.Cleanup(r.kill)
	return r
}

// newCmd prepares argv with the helper marker in its environment.
func newCmd(argv []string) *exec.Cmd {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	return cmd
}

// pid is pidone's pid as the test sees it.
func (r *pidoneRun) pid() int { return r.cmd.Process.Pid }

// signal sends sig to pidone.
func (r *pidoneRun) signal(sig syscall.Signal) {
	r.t.Helper()
	if err := unix.Kill(r.pid(), sig); err != nil {
		r.t.Fatalf("kill pidone with %v: %v", sig, err)
	}
}

// wait returns pidone's exit status, failing the test if pidone does not
// exit within d or dies of a signal.
func (r *pidoneRun) wait(d time.Duration) int {
	r.t.Helper()
	select {
	case <-r.done:
	case <-time.After(d):
		r.t.Fatalf("pidone did not exit within %v\nstderr:\n%s", d, r.stderr.String())
	}
	ws := r.cmd.ProcessState.Sys().(syscall.WaitStatus)
	if ws.Signaled() {
		r.t.Fatalf("pidone died of %v; stderr:\n%s", ws.Signal(), r.stderr.String())
	}
	return ws.ExitStatus()
}

// exited reports whether pidone has exited, without waiting.
func (r *pidoneRun) exited() bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

// kill ends pidone and, first, everything below it: killed first, pidone
// could no longer be asked who its descendants are.
func (r *pidoneRun) kill() {
	if r.exited() {
		return
	}
	for _, pid := range descendantsOf(r.pid()) {
		_ = unix.Kill(pid, unix.SIGKILL)
	}
	_ = unix.Kill(r.pid(), unix.SIGKILL)
	select {
	case <-r.done:
	case <-time.After(10 * time.Second):
		r.t.Errorf("pidone %d survived SIGKILL", r.pid())
	}
}

// syncBuffer is a bytes.Buffer safe for the writer goroutines of exec.Cmd
// and a test reading it meanwhile.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls cond until it holds or d passes; it fails the test with
// what on timeout.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(2 * time.Millisecond) // poll interval, not synchronisation
	}
}

// procStat is the part of /proc/PID/stat the tests use, read by the same
// parser as pidone's (package procfs).
type procStat = procfs.Stat

func readStat(pid int) (procStat, bool) {
	st, err := procfs.ReadStat(pid)
	return st, err == nil
}

// allStats reads every process of the test's /proc.
func allStats() []procStat {
	all, _ := procfs.All()
	return all
}

// descendantsOf lists every process below pid, as seen from the test.
func descendantsOf(pid int) []int {
	out, _ := procfs.Descendants(pid)
	return out
}

// zombiesOf counts pid's children that are zombies.
func zombiesOf(pid int) int {
	n := 0
	for _, st := range allStats() {
		if st.Ppid == pid && st.State == 'Z' {
			n++
		}
	}
	return n
}

// record is what a recorder helper wrote: when it started and was ready,
// and each signal it received, in order.
type record struct {
	started time.Time // when the process began
	ready   bool
	readyAt time.Time // when it was ready
	pid     int
	pgid    int
	signals []recSignal
}

type recSignal struct {
	sig syscall.Signal
	at  time.Time
}

func readRecord(path string) record {
	var r record
	f, err := os.Open(path)
	if err != nil {
		return r
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) == 3 && fields[0] == "start":
			ns, _ := strconv.ParseInt(fields[2], 10, 64)
			r.started = time.Unix(0, ns)
		case len(fields) >= 3 && fields[0] == "ready":
			r.ready = true
			r.pid, _ = strconv.Atoi(fields[1])
			r.pgid, _ = strconv.Atoi(fields[2])
			if len(fields) == 4 {
				ns, _ := strconv.ParseInt(fields[3], 10, 64)
				r.readyAt = time.Unix(0, ns)
			}
		case len(fields) == 2:
			n, _ := strconv.Atoi(fields[0])
			ns, _ := strconv.ParseInt(fields[1], 10, 64)
			r.signals = append(r.signals, recSignal{syscall.Signal(n), time.Unix(0, ns)})
		}
	}
	return r
}

// got lists the signals in a record.
func (r record) got() []syscall.Signal {
	out := make([]syscall.Signal, len(r.signals))
	for i, s := range r.signals {
		out[i] = s.sig
	}
	return out
}

// first returns when sig was first received, and whether it was.
func (r record) first(sig syscall.Signal) (time.Time, bool) {
	for _, s := range r.signals {
		if s.sig == sig {
			return s.at, true
		}
	}
	return time.Time{}, false
}

// waitReady waits until the recorder writing path is set up.
func waitReady(t *testing.T, path string) record {
	t.Helper()
	waitFor(t, 10*time.Second, "recorder "+filepath.Base(path)+" to be ready", func() bool {
		return readRecord(path).ready
	})
	return readRecord(path)
}

// waitSignal waits until the recorder at path has received sig.
func waitSignal(t *testing.T, path string, sig syscall.Signal, d time.Duration) time.Time {
	t.Helper()
	var at time.Time
	waitFor(t, d, fmt.Sprintf("%v at %s", sig, filepath.Base(path)), func() bool {
		var ok bool
		at, ok = readRecord(path).first(sig)
		return ok
	})
	return at
}
