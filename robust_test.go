package main

// PID 1 must not die or hang: each test here pins a way pidone died or
// hung under abuse, and failed against the pidone that had it.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
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

// pidone has no signal handler and no assembly of its own: the Go runtime
// owns every handler. Hand-written handlers overwrote the runtime's for
// signal 33, lost SIGCHLD and SIGTERM on a full pipe, and differed by
// architecture.
func TestNoSignalHandlerOfOurOwn(t *testing.T) {
	err := filepath.Walk(".", func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		if strings.HasSuffix(path, ".s") {
			t.Errorf("assembly file %s", path)
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.HasPrefix(path, "bench") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, banned := range []string{"SYS_RT_SIGACTION", "rt_sigaction(", "signal.Ignore("} {
			if bytes.Contains(b, []byte(banned)) {
				t.Errorf("%s uses %s: signal dispositions are the Go runtime's", path, banned)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A state that pidone carries across its own re-execution must not be
// read from a variable anyone can set: set in a Dockerfile, it would have
// every pidone act on a signal nobody sent.
func TestInternalVariablesIgnored(t *testing.T) {
	env := []string{"PIDONE_INTERNAL_PENDING_SIGNALS=15", "PIDONE_INTERNAL_CARRY=3:12345"}
	r := start(t, asSubreaper, []string{"sh", "-c", "sleep 0.2; exit 4"}, opts{env: env})
	if got := r.wait(10 * time.Second); got != 4 {
		t.Errorf("status %d, want 4: a variable made pidone act on a signal", got)
	}
}

// SIGQUIT is forwarded and does not stop: a JVM prints its threads on it,
// and pidone used to SIGKILL it at the end of the grace period.
func TestQuitIsForwardedNotAStop(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		r, rec := startRecorder(t, m, []string{"--grace-period", "1s"}, "-die-on", "TERM")
		r.signal(syscall.SIGQUIT)
		waitSignal(t, rec, syscall.SIGQUIT, 5*time.Second)
		// The recorder survives QUIT; had pidone begun a stop, the grace
		// period would have killed it. A marker signal shows pidone still
		// forwards, after more than that second.
		r.signal(syscall.SIGUSR1)
		waitSignal(t, rec, syscall.SIGUSR1, 5*time.Second)
		time.Sleep(1500 * time.Millisecond) // longer than the grace period: nothing may happen
		if r.exited() {
			t.Fatalf("pidone exited after SIGQUIT: %s", r.stderr.String())
		}
		r.signal(syscall.SIGTERM)
		if got := r.wait(10 * time.Second); got != 143 {
			t.Errorf("status %d, want 143", got)
		}
	})
}

// Not PID 1, pidone takes part in job control: TSTP/TTIN/TTOU are
// forwarded, then pidone stops itself, so the shell sees the job stop;
// CONT continues it and is forwarded. As PID 1 they are only forwarded.
func TestJobControl(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		r, rec := startRecorder(t, m, nil, "-die-on", "TERM")
		for _, sig := range []syscall.Signal{syscall.SIGTSTP, syscall.SIGTTIN, syscall.SIGTTOU} {
			r.signal(sig)
			waitSignal(t, rec, sig, 5*time.Second)
			if m.pid1 {
				continue
			}
			continueStopped(t, r, rec)
		}
		if m.pid1 {
			if st, ok := readStat(r.pid()); !ok || st.State == 'T' {
				t.Fatalf("pidone as PID 1 stopped itself (state %c)", st.State)
			}
		}
		r.signal(syscall.SIGTERM)
		if got := r.wait(10 * time.Second); got != 143 {
			t.Errorf("status %d, want 143", got)
		}
	})
}

// With stty tostop, a pidone started in the background of a shell that
// writes to the terminal gets SIGTTOU: it used to retry the write forever
// at 100 % CPU. It must stop, as any job does.
func TestBackgroundWriteToTerminalStopsNotSpins(t *testing.T) {
	p := openPTY(t)
	pidFile := filepath.Join(t.TempDir(), "pid")
	startSession(t, p, newCmd(helper("background-on-tty", pidFile, pidoneBin, "-v", "sleep", "100")))
	var pid int
	waitFor(t, 5*time.Second, "the background pidone", func() bool {
		b, _ := os.ReadFile(pidFile)
		pid, _ = strconv.Atoi(string(b))
		return pid > 0
	})
	waitFor(t, 5*time.Second, "pidone to stop on SIGTTOU", func() bool {
		st, ok := readStat(pid)
		return ok && st.State == 'T'
	})
}

// -p fires when the parent dies; a parent that is PID 1 (docker run
// --init, tini, systemd) is alive. pidone used to take a parent of pid 1
// for a dead one and stop at once.
func TestPdeathsigWithPID1Parent(t *testing.T) {
	needRoot(t)
	rec := filepath.Join(t.TempDir(), "rec")
	r := start(t, asPID1, append([]string{"-p", "TERM"}, helper("record", rec)...), opts{wrap: helper("pid1-parent")})
	waitReady(t, rec)
	time.Sleep(time.Second) // asserting that nothing happens needs a period
	if got := readRecord(rec).got(); len(got) != 0 || r.exited() {
		t.Fatalf("the process got %v with its parent alive", got)
	}
	r.signal(syscall.SIGTERM) // to the PID 1 parent: the kernel ignores it, nothing changes
	for _, pid := range descendantsOf(r.pid()) {
		syscall.Kill(pid, syscall.SIGKILL)
	}
}

// A storm of real-time signals, then SIGCHLD: pidone used to lose the exit
// and never reap or exit again.
func TestSignalFloodDoesNotLoseAnExit(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		goFile := filepath.Join(t.TempDir(), "go")
		script := fmt.Sprintf(`while [ ! -e %s ]; do sleep 0.01; done; "$0" orphans 200; exit 3`, goFile)
		r := start(t, m, []string{"-r", "40:0", "sh", "-c", script, selfBin})
		waitFor(t, 5*time.Second, "the main process", func() bool { return len(descendantsOf(r.pid())) > 0 })
		flood(r.pid(), 90000, func(int) unix.Signal { return 40 })
		os.WriteFile(goFile, nil, 0o644)
		if got := r.wait(30 * time.Second); got != 3 {
			t.Errorf("status %d, want 3", got)
		}
	})
}

// 300,000 real-time signals of mixed numbers must not keep a following
// SIGTERM from stopping pidone (the benchmark compares how long it takes
// with the other inits; here the stop must simply happen).
func TestSignalFloodThenTermStops(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		r, rec := startRecorder(t, m, nil, "-die-on", "TERM")
		sent := flood(r.pid(), 300000, func(i int) unix.Signal { return unix.Signal(35 + i%30) })
		t.Logf("%d real-time signals queued", sent)
		r.signal(syscall.SIGTERM)
		if got := r.wait(60 * time.Second); got != 143 {
			t.Errorf("status %d, want 143", got)
		}
		if _, ok := readRecord(rec).first(syscall.SIGTERM); !ok {
			t.Error("the process never got SIGTERM")
		}
	})
}

// flood sends n signals to pid as fast as it can, and returns how many the
// kernel queued (it refuses real-time signals beyond RLIMIT_SIGPENDING).
func flood(pid, n int, sig func(i int) unix.Signal) int {
	sent := 0
	for i := 0; i < n; i++ {
		if unix.Kill(pid, sig(i)) == nil {
			sent++
		}
	}
	return sent
}

// brokenPipe returns the write end of a pipe whose reader is gone.
func brokenPipe(t *testing.T) *os.File {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	t.Cleanup(func() { w.Close() })
	return w
}

// pidone writing to a broken stdout or stderr got SIGPIPE and died: exit 2
// as PID 1 (the container dies with no stop), 141 otherwise, leaving its
// processes orphaned. Its output must be discarded instead and the
// processes run on.
func TestBrokenStdoutDoesNotKill(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		t.Run("logs", func(t *testing.T) {
			w := brokenPipe(t)
			r := start(t, m, []string{"-vv", "sh", "-c", "sleep 0.3; exit 7"}, opts{stdout: w, stderr: w})
			if got := r.wait(10 * time.Second); got != 7 {
				t.Errorf("status %d, want 7", got)
			}
		})
		t.Run("procfile", func(t *testing.T) {
			w := brokenPipe(t)
			pf := writeProcfile(t, `a: sh -c 'for i in $(seq 1000); do echo line $i; done; sleep 0.3; exit 5'`)
			r := start(t, m, []string{"--procfile", pf}, opts{stdout: w})
			if got := r.wait(10 * time.Second); got != 5 {
				t.Errorf("status %d, want 5; stderr %s", got, r.stderr.String())
			}
			if !strings.Contains(r.stderr.String(), "cannot write to stdout") {
				t.Errorf("no warning on stderr: %q", r.stderr.String())
			}
		})
	})
}

// stuckPipe returns the write end of a pipe the test never reads.
func stuckPipe(t *testing.T) *os.File {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	return w
}

// A stderr nobody reads blocked pidone's loop: the "grace period over"
// line was written before the SIGKILL and never returned, so pidone never
// stopped. Nothing pidone writes may hold up forwarding or the stop.
func TestStuckStderrDoesNotBlockTheStop(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		script := `trap "" TERM; head -c 200000 /dev/zero >&2; sleep 600`
		r := start(t, m, []string{"-vv", "--grace-period", "2s", "sh", "-c", script}, opts{stderr: stuckPipe(t)})
		waitFor(t, 5*time.Second, "the process", func() bool { return len(descendantsOf(r.pid())) > 0 })
		r.signal(syscall.SIGTERM)
		if got := r.wait(10 * time.Second); got != 137 {
			t.Errorf("status %d, want 137", got)
		}
	})
}

// The same with the processes' output stuck: in multi-process mode a
// warning written after every process was gone held up pidone's exit.
func TestStuckStdoutDoesNotBlockTheStop(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		pf := writeProcfile(t, "w: "+hq("lines", "100000", "100", ""), "x: sleep 600")
		r := start(t, m, []string{"-v", "--grace-period", "2s", "--procfile", pf}, opts{stdout: stuckPipe(t), stderr: stuckPipe(t)})
		waitFor(t, 5*time.Second, "the processes", func() bool { return len(descendantsOf(r.pid())) >= 2 })
		r.signal(syscall.SIGTERM)
		if got := r.wait(15 * time.Second); got != 143 && got != 137 {
			t.Errorf("status %d, want 143 or 137", got)
		}
	})
}

// With stdout and stderr on one pipe (2>&1 | …), lines of different
// processes mixed inside a line: two writers on one pipe interleave large
// writes.
func TestOnePipeForBothStreamsKeepsLinesWhole(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		const n, width = 1000, 20000
		pf := writeProcfile(t,
			"a: "+hq("lines", strconv.Itoa(n), strconv.Itoa(width), ""),
			"b: sh -c "+q(`exec "$0" lines `+strconv.Itoa(n)+` `+strconv.Itoa(width)+` "" >&2`)+" "+q(selfBin),
		)
		pr, pw, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer pr.Close()
		var out bytes.Buffer
		read := make(chan struct{})
		go func() { io.Copy(&out, pr); close(read) }()
		r := start(t, m, []string{"--restart", "on-failure", "--procfile", pf}, opts{stdout: pw, stderr: pw})
		got := r.wait(60 * time.Second)
		pw.Close()
		<-read
		if got != 0 {
			t.Fatalf("status %d", got)
		}
		head := regexp.MustCompile(`^[ab] \| \d{8} `)
		pad := bytes.Repeat([]byte("x"), width-9)
		bad, total := 0, 0
		sc := bufio.NewScanner(&out)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			total++
			l := sc.Bytes()
			if loc := head.FindIndex(l); loc == nil || !bytes.Equal(l[loc[1]:], pad) {
				bad++
			}
		}
		if bad > 0 || total != 2*n {
			t.Errorf("%d of %d lines torn, want 0 of %d", bad, total, 2*n)
		}
	})
}

// A very low limit on open files crashed the Go runtime (fatal error,
// status 2, a page of goroutine dump). One line and status 1 instead.
func TestLowFileLimitIsOneLine(t *testing.T) {
	for _, n := range []string{"8", "9"} {
		r := start(t, asSubreaper, []string{"true"}, opts{wrap: []string{"sh", "-c", `ulimit -n ` + n + ` && exec "$@"`, "sh"}})
		if got := r.wait(10 * time.Second); got != 1 {
			t.Errorf("ulimit -n %s: status %d, want 1", n, got)
		}
		if msg := r.stderr.String(); strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "ulimit -n") {
			t.Errorf("ulimit -n %s: want one line naming the limit, got %q", n, msg)
		}
	}
}

// pidsCgroup makes a child cgroup of the pids controller limited to max
// tasks, and removes it (killing what is left in it) at the end.
func pidsCgroup(t *testing.T, max int) string {
	t.Helper()
	root := "/sys/fs/cgroup/pids"
	if _, err := os.Stat(filepath.Join(root, "cgroup.procs")); err != nil {
		root = "/sys/fs/cgroup"
		if b, err := os.ReadFile(filepath.Join(root, "cgroup.controllers")); err != nil || !bytes.Contains(b, []byte("pids")) {
			t.Skip("no pids cgroup controller here")
		}
	}
	dir := filepath.Join(root, fmt.Sprintf("pidone-test-%d", os.Getpid()))
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatalf("create a cgroup: %v", err)
	}
	t.Cleanup(func() {
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			b, _ := os.ReadFile(filepath.Join(dir, "cgroup.procs"))
			pids := strings.Fields(string(b))
			if len(pids) == 0 && os.Remove(dir) == nil {
				return
			}
			for _, p := range pids {
				n, _ := strconv.Atoi(p)
				syscall.Kill(n, syscall.SIGKILL)
			}
			time.Sleep(10 * time.Millisecond) // polling for the cgroup to empty
		}
		t.Errorf("could not remove cgroup %s", dir)
	})
	if err := os.WriteFile(filepath.Join(dir, "pids.max"), []byte(strconv.Itoa(max)), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// A process that fills its pids cgroup while pidone's output is slow made
// the Go runtime need a new thread (a thread blocked in write) that the
// kernel refused: "fatal error: newosproc", and the container died. pidone
// must survive pids.max reached by its processes, and a restart that
// cannot fork is retried. It failed again (about 3 runs in 10 of a 386
// build on a loaded machine) while the spare threads were made before the
// output writers, which each took one of them for good.
func TestFullPidsCgroupDoesNotKill(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		cg := pidsCgroup(t, 64)
		full := filepath.Join(t.TempDir(), "full")
		pf := writeProcfile(t,
			"bomb: "+hq("bomb", full),
			"chatter: "+hq("lines", "300000", "100", ""),
			"again: sh -c 'exit 1'",
		)
		r := start(t, m, []string{"-v", "--restart", "on-failure", "--grace-period", "3s", "--procfile", pf},
			opts{wrap: helper("in-cgroup", cg), stdout: stuckPipe(t)})
		waitFor(t, 20*time.Second, "the cgroup to be full", func() bool { _, err := os.Stat(full); return err == nil })
		// pidone keeps running, and tries to restart "again" as it can.
		waitFor(t, 10*time.Second, "a restart that cannot fork to be retried", func() bool {
			return strings.Contains(r.stderr.String(), "cannot start, trying again")
		})
		if r.exited() {
			t.Fatalf("pidone died in a full cgroup: %v\n%s", r.cmd.ProcessState, r.stderr.String())
		}
		r.signal(syscall.SIGTERM)
		// The status is the first failure among the final exits: "again"
		// exited 1 before the stop.
		if got := r.wait(20 * time.Second); got != 1 {
			t.Errorf("status %d after the stop, want 1", got)
		}
		if strings.Contains(r.stderr.String(), "fatal error") {
			t.Errorf("the runtime aborted:\n%.2000s", r.stderr.String())
		}
	})
}

// The bench and the README name this; keep the command a user would type
// working: the documented newcomer command, on a real command.
func TestReadmeRunCommand(t *testing.T) {
	cmd := exec.Command(pidoneBin, "-v", "--", "sh", "-c", `sleep 60 & echo "main exits 3, the background sleep gets SIGTERM"; exit 3`)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Fatalf("status %v, want 3; output %s", err, out)
	}
	if !strings.Contains(string(out), "main exits 3") || !strings.Contains(string(out), "signalling leftover processes") {
		t.Errorf("output %q", out)
	}
}

// A fork that fails for lack of resources at a process's first start is
// pidone unable to work (status 1, one line), not a command that cannot
// be executed (it was 126).
func TestForkFailingAtStartIsStatus1(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		cg := pidsCgroup(t, 48)
		full := filepath.Join(t.TempDir(), "full")
		pf := writeProcfile(t,
			"bomb: PIDONE_READY=file:"+full+" "+hq("bomb", full),
			"victim: PIDONE_AFTER=bomb true",
		)
		r := start(t, m, []string{"--grace-period", "3s", "--procfile", pf}, opts{wrap: helper("in-cgroup", cg)})
		if got := r.wait(30 * time.Second); got != 1 {
			t.Errorf("status %d, want 1", got)
		}
		if msg := r.stderr.String(); !strings.Contains(msg, "victim") || !strings.Contains(msg, "cannot create the process") {
			t.Errorf("stderr %q, want a line saying victim could not be created", msg)
		}
	})
}
