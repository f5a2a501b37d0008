package main

// Integration tests of the issue "Real containers and faults": each test
// pins a defect found when pidone ran in real containers, and is named
// after it. The helpers that set the scene (capabilities dropped, another
// uid, a process entered with setns, no /proc, a removed directory) are in
// helpers_faults_test.go.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// checkOneLine fails the test unless msg is one line that starts with
// "pidone: " and contains each of names.
func checkOneLine(t *testing.T, msg string, names ...string) {
	t.Helper()
	if strings.Count(msg, "\n") != 1 || !strings.HasSuffix(msg, "\n") || !strings.HasPrefix(msg, "pidone: ") {
		t.Errorf("want one line starting %q, got %q", "pidone: ", msg)
	}
	for _, n := range names {
		if !strings.Contains(msg, n) {
			t.Errorf("message %q does not name %q", msg, n)
		}
	}
}

// nobodyFixture is setupUser with accounts as an image has them: nobody
// (65534:65534, as `docker run --user 65534` finds it) and app (1000).
func nobodyFixture(t *testing.T) userFixture {
	t.Helper()
	fx := setupUser(t)
	dir := t.TempDir()
	fx.passwd, fx.group = filepath.Join(dir, "passwd"), filepath.Join(dir, "group")
	files := map[string]string{
		fx.passwd: "root:x:0:0:root:/root:/bin/sh\n" +
			"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n" +
			"app:x:1000:1000:App:/home/app:/bin/sh\n",
		fx.group: "root:x:0:\nnogroup:x:65534:\napp:x:1000:\n",
	}
	for path, text := range files {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return fx
}

// 1. `docker run --cap-drop ALL --cap-add SETUID --cap-add SETGID` with
// `-u nobody`: pidone could change to nobody but not signal it afterwards,
// so a docker stop could only end in SIGKILL. It must refuse at start.
func TestUserWithoutCapKillIsRefused(t *testing.T) {
	fx := nobodyFixture(t)
	eachMode(t, func(t *testing.T, m mode) {
		run := func(t *testing.T, keep string, args ...string) *pidoneRun {
			wrap := fx.wrap(helper("caps-exec", "-keep", keep, "--")...)
			return start(t, m, args, opts{wrap: wrap, dir: worldDir(t)})
		}
		t.Run("refused", func(t *testing.T) {
			marker := filepath.Join(worldDir(t), "started")
			r := run(t, "SETUID,SETGID", "-u", "nobody", "--", "sh", "-c", "touch "+marker)
			got := r.wait(10 * time.Second)
			if _, err := os.Stat(marker); err == nil {
				t.Errorf("the command ran")
			}
			if got != 1 {
				t.Fatalf("status %d, want 1; stderr %q", got, r.stderr.String())
			}
			checkOneLine(t, r.stderr.String(), "CAP_KILL", "nobody")
		})
		// Controls: the helper leaves pidone exactly SETUID and SETGID,
		// and with CAP_KILL too the same run works.
		t.Run("capabilities as docker leaves them", func(t *testing.T) {
			r := run(t, "SETUID,SETGID", "grep", "^CapBnd:", "/proc/self/status")
			if got := r.wait(10 * time.Second); got != 0 {
				t.Fatalf("status %d; stderr %q", got, r.stderr.String())
			}
			if got := strings.Join(strings.Fields(r.stdout.String()), " "); got != "CapBnd: 00000000000000c0" {
				t.Errorf("the bounding set pidone's process inherited: %q, want SETUID and SETGID alone (c0)", got)
			}
		})
		t.Run("with CAP_KILL", func(t *testing.T) {
			r := run(t, "SETUID,SETGID,KILL", "-u", "nobody", "--", "id", "-u")
			if got := r.wait(10 * time.Second); got != 0 {
				t.Fatalf("status %d; stderr %q", got, r.stderr.String())
			}
			if got := r.stdout.String(); got != "65534\n" {
				t.Errorf("id -u printed %q, want 65534", got)
			}
		})
	})
}

// 2. `docker run --user 65534 -e PIDONE_USER=65534`: pidone already is
// that user, so there is nothing to change and no capability is needed;
// it failed with 126 (setgroups: operation not permitted) as though the
// command were at fault. When a change is needed and not allowed, pidone
// must say which user and what it lacks, with status 1, never 126.
func TestUserAlreadyThatUserNeedsNoCapability(t *testing.T) {
	fx := nobodyFixture(t)
	const cmd = `echo "$(id -u) $(id -g)"; exit 7`
	cases := []struct {
		name  string
		args  []string
		env   []string
		want  int
		out   string   // stdout, when the command runs
		names []string // the message must contain each, when it does not
	}{
		{"PIDONE_USER=65534", nil, []string{"PIDONE_USER=65534"}, 7, "65534 65534\n", nil},
		{"-u nobody", []string{"-u", "nobody"}, nil, 7, "65534 65534\n", nil},
		{"-u 65534:nogroup", []string{"-u", "65534:nogroup"}, nil, 7, "65534 65534\n", nil},
		{"-u 1000", []string{"-u", "1000"}, nil, 1, "", []string{`"1000"`, "CAP_SETUID"}},
		{"-u app", []string{"-u", "app"}, nil, 1, "", []string{`"app"`, "CAP_SETUID"}},
		{"-u nobody:app", []string{"-u", "nobody:app"}, nil, 1, "", []string{`"nobody:app"`, "CAP_SETGID"}},
	}
	eachMode(t, func(t *testing.T, m mode) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				wrap := fx.wrap(helper("as-user", "65534", "65534", "--")...)
				args := append(append([]string(nil), c.args...), "--", "sh", "-c", cmd)
				r := start(t, m, args, opts{wrap: wrap, env: c.env, dir: worldDir(t)})
				got := r.wait(10 * time.Second)
				if got != c.want {
					t.Fatalf("status %d, want %d; stdout %q stderr %q", got, c.want, r.stdout.String(), r.stderr.String())
				}
				if r.stdout.String() != c.out {
					t.Errorf("stdout %q, want %q", r.stdout.String(), c.out)
				}
				if c.names == nil {
					if r.stderr.String() != "" {
						t.Errorf("stderr %q, want nothing", r.stderr.String())
					}
					return
				}
				checkOneLine(t, r.stderr.String(), c.names...)
			})
		}
	})
}

// enterRun is a process entered into pidone's PID namespace from outside,
// through the enter helper, which the test starts.
type enterRun struct {
	pid    int // the helper's, in the test's namespace
	done   chan struct{}
	stderr syncBuffer
	status string // the file where the helper writes how the process ended
}

// enter runs argv in r's PID namespace as docker exec does. The test's
// cleanup kills what is left of it, by pid.
func enter(t *testing.T, r *pidoneRun, argv ...string) *enterRun {
	t.Helper()
	e := &enterRun{done: make(chan struct{}), status: filepath.Join(t.TempDir(), "entered-status")}
	cmd := newCmd(helper("enter", append([]string{strconv.Itoa(r.pid()), e.status, "--"}, argv...)...))
	cmd.Stderr = &e.stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the enter helper: %v", err)
	}
	e.pid = cmd.Process.Pid
	go func() { cmd.Wait(); close(e.done) }()
	t.Cleanup(func() {
		for _, pid := range descendantsOf(e.pid) {
			unix.Kill(pid, unix.SIGKILL)
		}
		unix.Kill(e.pid, unix.SIGKILL)
		<-e.done
	})
	return e
}

// ended waits for the entered process to end and returns how it did.
func (e *enterRun) ended(t *testing.T) string {
	t.Helper()
	var b []byte
	waitFor(t, 10*time.Second, "the entered process to end", func() bool {
		var err error
		b, err = os.ReadFile(e.status)
		return err == nil && len(b) > 0
	})
	return strings.TrimSpace(string(b))
}

// nsOf is the PID namespace of pid, as /proc names it.
func nsOf(t *testing.T, pid int) string {
	t.Helper()
	ns, err := os.Readlink(fmt.Sprintf("/proc/%d/ns/pid", pid))
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

// 3. docker exec (and nsenter) put a process in the container's PID
// namespace whose parent is outside it: it is no child of pidone, not even
// a descendant. As PID 1 pidone must still give it the stop signal and
// wait for it within the grace period; otherwise it is SIGKILLed when the
// namespace ends with pidone, in the middle of its own shutdown.
func TestStopReachesProcessEnteredFromOutside(t *testing.T) {
	needRoot(t)
	dir := t.TempDir()
	mainRec, inRec := filepath.Join(dir, "main"), filepath.Join(dir, "entered")
	// own-proc: a container has a /proc of its own namespace.
	r := start(t, asPID1, append([]string{"--grace-period", "10s", "--"}, helper("record", mainRec)...),
		opts{wrap: helper("own-proc")})
	waitReady(t, mainRec)
	e := enter(t, r, helper("record", inRec, "-linger", "1s", "-exit", "0")...)
	inside := waitReady(t, inRec)

	// The premise: the entered process is in pidone's namespace, and its
	// parent is not pidone.
	kids := descendantsOf(e.pid)
	if len(kids) != 1 {
		t.Fatalf("the enter helper has descendants %v, want the entered process alone", kids)
	}
	if got, want := nsOf(t, kids[0]), nsOf(t, r.pid()); got != want {
		t.Fatalf("the entered process is in PID namespace %s, pidone in %s", got, want)
	}
	for _, pid := range descendantsOf(r.pid()) {
		if pid == kids[0] {
			t.Fatalf("the entered process %d is a descendant of pidone", pid)
		}
	}
	// Through pidone's root, its /proc: inside, the parent is 0.
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/root/proc/%d/stat", r.pid(), inside.pid))
	if err != nil {
		t.Fatal(err)
	}
	if f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:])); len(f) < 2 || f[1] != "0" {
		t.Fatalf("inside, the entered process's stat is %q, want parent 0", stat)
	}

	sent := time.Now()
	r.signal(syscall.SIGTERM)
	got := r.wait(20 * time.Second)
	exitSeen, took := time.Now(), time.Since(sent)
	if got != 143 {
		t.Errorf("status %d, want 143 (the main process's TERM); stderr:\n%s", got, r.stderr.String())
	}
	term, ok := readRecord(inRec).first(syscall.SIGTERM)
	if !ok {
		t.Fatalf("the entered process never got the stop signal; stderr:\n%s", r.stderr.String())
	}
	// The entered process lingers 1s after its TERM, then exits 0.
	if d := exitSeen.Sub(term); d < time.Second {
		t.Errorf("pidone exited %v after the entered process got TERM, before it could finish (1s); stderr:\n%s", d, r.stderr.String())
	}
	if how := e.ended(t); how != "exited 0" {
		t.Errorf("the entered process %s, want exited 0: pidone did not wait for it", how)
	}
	if took > 5*time.Second {
		t.Errorf("the stop took %v: pidone waited for the grace period (10s), not for the process", took)
	}
	t.Logf("the stop took %v, the entered process lingering 1s", took)
}

// 3b. --pause as PID 1 (a pod's sandbox, a `sleep infinity` container)
// with an orphan, here one left by a process entered from outside: the
// orphan must get the stop signal and be waited for.
//
// FAILS against pidone 3da7008 (a pidone bug, reported, left failing on
// purpose): the orphan gets the TERM, but pidone exits at once instead of
// waiting for it, so the kernel SIGKILLs it with the namespace. As PID 1,
// osWorld.SignalOthers counts as found only the processes entered from
// outside that it watches, not what its kill(-1) reached; and with
// --pause no reap ever told the machine that pidone has a child.
func TestPauseStopsOrphans(t *testing.T) {
	needRoot(t)
	rec := filepath.Join(t.TempDir(), "orphan")
	r := start(t, asPID1, []string{"-vv", "--pause"}, opts{wrap: helper("own-proc")})
	waitSupervising(t, r)
	e := enter(t, r, "sh", "-c", `"$0" record "$1" -linger 500ms -exit 0 & exit 0`, selfBin, rec)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("enter helper's stderr: %q", e.stderr.String())
		}
	})
	waitReady(t, rec)
	if how := e.ended(t); how != "exited 0" {
		t.Fatalf("the shell that left the orphan %s; stderr %q", how, e.stderr.String())
	}
	waitFor(t, 5*time.Second, "the orphan to be re-parented to pidone", func() bool {
		return len(descendantsOf(r.pid())) == 1
	})
	r.signal(syscall.SIGTERM)
	got := r.wait(10 * time.Second)
	exitSeen := time.Now()
	if got != 0 {
		t.Errorf("status %d, want 0; stderr:\n%s", got, r.stderr.String())
	}
	term, ok := readRecord(rec).first(syscall.SIGTERM)
	if !ok {
		t.Fatalf("the orphan never got the stop signal; stderr:\n%s", r.stderr.String())
	}
	if d := exitSeen.Sub(term); d < 500*time.Millisecond {
		t.Errorf("pidone exited %v after the orphan got TERM, before it could finish (500ms); stderr:\n%s", d, r.stderr.String())
	}
}

// markedPids lists the processes whose environment holds mark, from the
// test's own /proc.
func markedPids(mark string) []int {
	var out []int
	for _, st := range allStats() {
		env, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", st.Pid))
		if err != nil {
			continue
		}
		for _, v := range bytes.Split(env, []byte{0}) {
			if string(v) == mark {
				out = append(out, st.Pid)
				break
			}
		}
	}
	return out
}

// 4. Without /proc (umounted, or never mounted in a minimal sandbox) a
// subreaper cannot find its descendants to signal them. The stop must
// still end with the grace period, and pidone must say what it could not
// do, rather than wait for ever for processes it cannot name.
func TestStopWithoutProcEndsWithinGracePeriod(t *testing.T) {
	needRoot(t) // a mount namespace
	mark := fmt.Sprintf("PIDONE_FAULTS_MARK=noproc-%d-%d", os.Getpid(), time.Now().UnixNano())
	// pidone cannot kill the leftover sleep: the test does, found by the
	// mark in its environment, whatever its parent is by then.
	t.Cleanup(func() {
		for _, pid := range markedPids(mark) {
			unix.Kill(pid, unix.SIGKILL)
		}
	})
	begin := time.Now()
	r := start(t, asSubreaper, []string{"--grace-period", "2s", "--", "sh", "-c", "sleep 300 & exit 0"},
		opts{wrap: helper("no-proc"), env: []string{mark}})
	// The sleep keeps pidone's stdout and stderr open, and with them the
	// harness's wait for pidone: that pidone is gone shows in /proc first
	// (reaped by the harness, or a zombie until it is).
	waitFor(t, 20*time.Second, "pidone to exit", func() bool {
		st, ok := readStat(r.pid())
		return !ok || st.State == 'Z'
	})
	took := time.Since(begin)
	if len(markedPids(mark)) == 0 {
		t.Errorf("no leftover sleep: the test did not make the situation it is about")
	}
	for _, pid := range markedPids(mark) {
		unix.Kill(pid, unix.SIGKILL)
	}
	got := r.wait(10 * time.Second)
	if got != 0 {
		t.Errorf("status %d, want 0 (the main process's); stderr:\n%s", got, r.stderr.String())
	}
	if took > 3500*time.Millisecond {
		t.Errorf("the stop took %v, want the 2s grace period and a small margin", took)
	}
	msg := r.stderr.String()
	if !strings.Contains(msg, "cannot") || !strings.Contains(msg, "/proc") {
		t.Errorf("want a warning saying what pidone could not do without /proc, got %q", msg)
	}
	for _, line := range strings.Split(strings.TrimSuffix(msg, "\n"), "\n") {
		if !strings.HasPrefix(line, "pidone: ") {
			t.Errorf("stderr line %q is not pidone's", line)
		}
	}
}

// 5. A FIFO where a file is read (a --procfile made with mkfifo or a
// process substitution, /etc/passwd bind-mounted from a pipe): opening it
// for reading waited for a writer that never came, and pidone hung at
// start, deaf to docker stop. It is a usage error, at once.
//
// The procfile half FAILS against pidone 3da7008 (a pidone bug, reported,
// left failing on purpose): procfile.ParseFile opens the file with a
// blocking os.Open and hangs; /etc/passwd is already opened O_NONBLOCK and
// checked to be a regular file.
func TestFIFOAsProcfileOrPasswdIsRefusedNotHung(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := unix.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, r *pidoneRun, names ...string) {
		t.Helper()
		if got := r.wait(5 * time.Second); got != 2 {
			t.Fatalf("status %d, want 2; stderr %q", got, r.stderr.String())
		}
		checkOneLine(t, r.stderr.String(), names...)
	}
	t.Run("procfile", func(t *testing.T) {
		eachMode(t, func(t *testing.T, m mode) {
			check(t, start(t, m, []string{"--procfile", fifo}), fifo)
		})
	})
	t.Run("passwd", func(t *testing.T) {
		fx := setupUser(t)
		eachMode(t, func(t *testing.T, m mode) {
			wrap := helper("with-etc", fifo, fx.group, "--")
			check(t, start(t, m, []string{"-u", "app", "--", "true"}, opts{wrap: wrap}), "/etc/passwd")
		})
	})
}

// 6a. dumb-init's check: the process starts in pidone's starting
// directory, while pidone has already left it (it keeps no volume busy).
// pidone used to leave it only after starting the process, and a process
// that looked at once saw pidone still there about one time in ten.
func TestChildStartsInDirectoryPidoneLeft(t *testing.T) {
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	want := "/\n" + dir + "\n"
	const runs = 300
	bad := 0
	for i := 0; i < runs; i++ {
		// $PPID is pidone: as a subreaper its pid is the same in the
		// test's /proc and the shell's.
		r := start(t, asSubreaper, []string{"sh", "-c", `readlink /proc/$PPID/cwd && readlink /proc/$$/cwd`}, opts{dir: dir})
		if got := r.wait(10 * time.Second); got != 0 {
			t.Fatalf("run %d: status %d; stderr %q", i, got, r.stderr.String())
		}
		if got := r.stdout.String(); got != want {
			if bad == 0 {
				t.Errorf("run %d: pidone's cwd, then the process's:\n%s\nwant:\n%s", i, got, want)
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d runs saw pidone in the directory, or the process elsewhere", bad, runs)
	}
}

// 6b. A start in a directory that was removed (cd into it, then it goes):
// there is no starting directory to give the processes. pidone must refuse
// with a message that names the directory, not a bare getwd error.
//
// Failed against pidone 3da7008: the start was refused (126), but the
// message, "read the starting directory (was it removed?): no such file
// or directory", did not say which directory; $PWD, or /proc/self/cwd
// ("DIR (deleted)"), does.
func TestStartInRemovedDirectoryIsRefused(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		dir := filepath.Join(t.TempDir(), "gone")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		marker := filepath.Join(t.TempDir(), "started")
		r := start(t, m, []string{"sh", "-c", "touch " + marker}, opts{wrap: helper("rmcwd-exec", dir, "--")})
		got := r.wait(10 * time.Second)
		if _, err := os.Stat(marker); err == nil {
			t.Errorf("the command ran")
		}
		if got == 0 || got == 127 {
			t.Errorf("status %d, want a refusal (not 0, not 127 for the command); stderr %q", got, r.stderr.String())
		}
		checkOneLine(t, r.stderr.String(), dir)
	})
}

// 6c. The starting directory removed while pidone runs: a restart cannot
// happen there. It used to be reported as the command not found (127,
// "sh: no such file or directory"); the directory is what is missing.
func TestRestartAfterDirectoryRemovedNamesDirectory(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		dir := filepath.Join(t.TempDir(), "work")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		r := start(t, m, []string{"--restart", "on-failure", "--", "sh", "-c", `rmdir "$PWD"; exit 1`},
			opts{dir: dir, env: []string{"PWD=" + dir}})
		got := r.wait(10 * time.Second)
		if _, err := os.Stat(dir); err == nil {
			t.Fatalf("the process did not remove %s (status %d, stderr %q)", dir, got, r.stderr.String())
		}
		if got != 126 {
			t.Errorf("status %d, want 126 (the directory, as for PIDONE_DIR), never 127 for the command; stderr %q", got, r.stderr.String())
		}
		msg := r.stderr.String()
		checkOneLine(t, msg, dir)
		if strings.Contains(msg, "command not found") {
			t.Errorf("message %q blames the command", msg)
		}
	})
}

// 6d. A starting directory reached through a symlink (a `current` link of
// a release layout, as $PWD shows it) is resolved once, at start: a
// restart after the link was re-pointed still happens in the directory
// the process started in, not wherever the link leads by then.
func TestSymlinkedStartDirectoryResolvedOnce(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		base, err := filepath.EvalSymlinks(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		a, b, link := filepath.Join(base, "a"), filepath.Join(base, "b"), filepath.Join(base, "current")
		for _, d := range []string{a, b} {
			if err := os.Mkdir(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Symlink(a, link); err != nil {
			t.Fatal(err)
		}
		log := filepath.Join(base, "log")
		// Each run writes where it is; the first re-points the link to b;
		// the third ends the restarts.
		script := `pwd -P >> "$0"; n=$(wc -l < "$0"); [ "$n" -ge 3 ] && exit 0; [ "$n" -eq 1 ] && ln -sfn "$1" "$2"; exit 1`
		r := start(t, m, []string{"--restart", "on-failure", "--", "sh", "-c", script, log, b, link},
			opts{dir: link, env: []string{"PWD=" + link}})
		if got := r.wait(20 * time.Second); got != 0 {
			t.Fatalf("status %d; stderr %q", got, r.stderr.String())
		}
		if target, _ := os.Readlink(link); target != b {
			t.Fatalf("the link points to %q, want %q: the test did not re-point it", target, b)
		}
		out, err := os.ReadFile(log)
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.Repeat(a+"\n", 3); string(out) != want {
			t.Errorf("the runs were in:\n%s\nwant each in %s", out, a)
		}
	})
}

// 7. With --log-format json (or PIDONE_LOG_FORMAT=json) a log collector
// parses pidone's stderr as JSON; "command not found" and usage errors
// were still plain text, and broke it.
//
// The "env, unknown flag" and "env, bad value" cases FAIL against pidone
// 3da7008 (a pidone bug, reported, left failing on purpose): when the
// command line does not parse, PIDONE_LOG_FORMAT=json is not consulted
// (formatOf looks at the variable only when the format is "", but the
// flag's default has already made it "text"), so the error is plain text.
func TestJSONLogsAreAllJSON(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		env    []string
		status int
		names  string // msg must contain this
	}{
		{"flag, command not found", []string{"--log-format", "json", "no-such-command-pidone"}, nil, 127, "no-such-command-pidone"},
		{"env, command not found", []string{"no-such-command-pidone"}, []string{"PIDONE_LOG_FORMAT=json"}, 127, "no-such-command-pidone"},
		{"flag, unknown flag", []string{"--log-format", "json", "--bogus", "true"}, nil, 2, "--bogus"},
		{"env, unknown flag", []string{"--bogus", "true"}, []string{"PIDONE_LOG_FORMAT=json"}, 2, "--bogus"},
		{"flag, bad value", []string{"--log-format", "json", "--stop-signal", "FOO", "true"}, nil, 2, "FOO"},
		{"env, bad value", []string{"--stop-signal", "FOO", "true"}, []string{"PIDONE_LOG_FORMAT=json"}, 2, "FOO"},
		{"flag, no command", []string{"--log-format", "json"}, nil, 2, "command"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := start(t, asSubreaper, c.args, opts{env: c.env})
			if got := r.wait(10 * time.Second); got != c.status {
				t.Errorf("status %d, want %d", got, c.status)
			}
			msg := r.stderr.String()
			if strings.Count(msg, "\n") != 1 || !strings.HasSuffix(msg, "\n") {
				t.Fatalf("want one line, got %q", msg)
			}
			var obj map[string]any
			if err := json.Unmarshal([]byte(msg), &obj); err != nil {
				t.Fatalf("not JSON: %q: %v", msg, err)
			}
			for _, k := range []string{"time", "level", "msg"} {
				if _, ok := obj[k]; !ok {
					t.Errorf("%q lacks %q", msg, k)
				}
			}
			if s, _ := obj["msg"].(string); !strings.Contains(s, c.names) {
				t.Errorf("msg %q does not name %q", s, c.names)
			}
		})
	}
}

// 8. A drain not shorter than the grace period: the grace period counts
// from the SIGTERM, drain included, so the processes were SIGKILLed
// before they ever got their TERM. A usage error, naming both options;
// with no grace period (0, wait for ever) any drain is fine.
func TestDrainNotShorterThanGracePeriodIsUsageError(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		env   []string
		names []string // what the message must name: where each was set
	}{
		{"drain over the default 10s", []string{"--drain-delay", "20s"}, nil, []string{"--drain-delay", "--grace-period"}},
		{"drain equal to grace", []string{"--drain-delay", "10s", "--grace-period", "10s"}, nil, []string{"--drain-delay", "--grace-period"}},
		{"from the environment", nil, []string{"PIDONE_DRAIN_DELAY=5s", "PIDONE_GRACE_PERIOD=3s"}, []string{"PIDONE_DRAIN_DELAY", "PIDONE_GRACE_PERIOD"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			marker := filepath.Join(t.TempDir(), "started")
			r := start(t, asSubreaper, append(append([]string(nil), c.args...), "--", "touch", marker), opts{env: c.env})
			if got := r.wait(10 * time.Second); got != 2 {
				t.Fatalf("status %d, want 2; stderr %q", got, r.stderr.String())
			}
			if _, err := os.Stat(marker); err == nil {
				t.Errorf("the command ran")
			}
			checkOneLine(t, r.stderr.String(), c.names...)
		})
	}
	t.Run("no grace period", func(t *testing.T) {
		r := start(t, asSubreaper, []string{"--drain-delay", "20s", "--grace-period", "0", "--", "true"})
		if got := r.wait(10 * time.Second); got != 0 {
			t.Errorf("status %d, want 0; stderr %q", got, r.stderr.String())
		}
	})
	t.Run("drain shorter", func(t *testing.T) {
		r := start(t, asSubreaper, []string{"--drain-delay", "9s", "--", "true"})
		if got := r.wait(10 * time.Second); got != 0 {
			t.Errorf("status %d, want 0; stderr %q", got, r.stderr.String())
		}
	})
}

// 9. A pidone started by a process of another pidone (an image built on
// one that uses pidone, a test runner inside the container) inherits the
// outer one's PIDONE_* variables: the environment is passed unchanged, as
// documented. With PIDONE_PROCFILE set by the image, the inner pidone's
// command is a usage error; `env -u PIDONE_PROCFILE` is the way out.
func TestNestedPidoneInheritsPidoneVariables(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		t.Run("env -u", func(t *testing.T) {
			pf := writeProcfile(t, "inner: env -u PIDONE_PROCFILE "+q(pidoneBin)+" -- sh -c 'exit 0'")
			r := start(t, m, nil, opts{env: []string{"PIDONE_PROCFILE=" + pf}})
			if got := r.wait(10 * time.Second); got != 0 {
				t.Errorf("status %d, want 0; stdout %q stderr %q", got, r.stdout.String(), r.stderr.String())
			}
		})
		t.Run("inherited", func(t *testing.T) {
			marker := filepath.Join(t.TempDir(), "started")
			pf := writeProcfile(t, "inner: "+q(pidoneBin)+" -- touch "+q(marker))
			r := start(t, m, nil, opts{env: []string{"PIDONE_PROCFILE=" + pf}})
			if got := r.wait(10 * time.Second); got != 2 {
				t.Errorf("status %d, want 2 (the inner pidone's usage error); stderr %q", got, r.stderr.String())
			}
			if _, err := os.Stat(marker); err == nil {
				t.Errorf("the inner pidone ran its command")
			}
			lines := linesOf(r.stderr.String(), "inner | ")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "pidone: ") || !strings.Contains(lines[0], "--procfile") {
				t.Errorf("want the inner pidone's one-line usage error naming --procfile, got stderr %q", r.stderr.String())
			}
		})
	})
}
