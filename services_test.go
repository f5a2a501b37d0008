package main

// Services in a Procfile: one-shots, start order on readiness, ordered
// stop, per-process options (SPEC.md, Multi-process mode), as PID 1 and
// as a subreaper.

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// freePort returns a TCP port nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// recq is the Procfile words that run a recorder writing to file.
func recq(file string, args ...string) string {
	return hq("record", append([]string{file}, args...)...)
}

// startedAfter fails unless b started after a was ready.
func startedAfter(t *testing.T, a, b string) {
	t.Helper()
	ra, rb := readRecord(a), readRecord(b)
	if !ra.ready || rb.started.IsZero() || rb.started.Before(ra.readyAt) {
		t.Errorf("%s started at %v, before %s was ready at %v", filepath.Base(b), rb.started, filepath.Base(a), ra.readyAt)
	}
}

// migrate → web (ready on a port) → nginx: each starts once what it comes
// after is there; a stop reaches them in reverse order, each with its own
// stop signal.
func TestServicesStartInOrderAndStopInReverse(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		dir := t.TempDir()
		migrated := filepath.Join(dir, "migrated")
		web, nginx, worker := filepath.Join(dir, "web"), filepath.Join(dir, "nginx"), filepath.Join(dir, "worker")
		port := strconv.Itoa(freePort(t))
		pf := writeProcfile(t,
			"migrate: PIDONE_ONESHOT=1 sh -c "+q("sleep 0.2; touch "+migrated),
			"web:     PIDONE_AFTER=migrate PIDONE_READY=tcp:"+port+" "+recq(web, "-delay", "300ms", "-listen", "127.0.0.1:"+port, "-die-on", "TERM", "-linger", "200ms"),
			"nginx:   PIDONE_AFTER=web PIDONE_STOP_SIGNAL=QUIT "+recq(nginx, "-die-on", "QUIT", "-linger", "200ms"),
			"worker:  "+recq(worker, "-die-on", "TERM"),
		)
		r := start(t, m, []string{"--procfile", pf})
		waitReady(t, nginx)
		if _, err := os.Stat(migrated); err != nil {
			t.Fatal("web started before the migration completed")
		}
		if rw := readRecord(web); rw.started.IsZero() {
			t.Fatal("web never started")
		}
		startedAfter(t, web, nginx)
		if readRecord(worker).started.After(readRecord(web).started) {
			t.Error("worker, which waits for nothing, started after web")
		}

		r.signal(syscall.SIGTERM)
		if got := r.wait(15 * time.Second); got != 143 {
			t.Errorf("status %d, want 143", got)
		}
		quit, ok := readRecord(nginx).first(syscall.SIGQUIT)
		if !ok {
			t.Fatal("nginx never got its stop signal, SIGQUIT")
		}
		term, ok := readRecord(web).first(syscall.SIGTERM)
		if !ok {
			t.Fatal("web never got SIGTERM")
		}
		if !term.After(quit.Add(150 * time.Millisecond)) {
			t.Errorf("web got SIGTERM %v after nginx's QUIT, before nginx (200ms to stop) had exited", term.Sub(quit))
		}
		if _, ok := readRecord(worker).first(syscall.SIGTERM); !ok {
			t.Error("worker never got SIGTERM")
		}
	})
}

// Every kind of readiness check holds back what comes after the process
// until it passes.
func TestReadinessChecks(t *testing.T) {
	port := strconv.Itoa(freePort(t))
	cases := []struct {
		name  string
		check func(dir string) string // the PIDONE_READY value
		flags func(dir string) []string
	}{
		{"tcp", func(string) string { return "tcp:127.0.0.1:" + port },
			func(string) []string { return []string{"-listen", "127.0.0.1:" + port} }},
		{"tcp port on 127.0.0.1", func(string) string { return "tcp:" + port },
			func(string) []string { return []string{"-listen", "127.0.0.1:" + port} }},
		// tcp:PORT dialled 127.0.0.1 only: a server on ::1 alone was never
		// ready, though it is on localhost.
		{"tcp port on ::1", func(string) string { return "tcp:" + port },
			func(string) []string { return []string{"-listen", "[::1]:" + port} }},
		{"file", func(dir string) string { return "file:" + filepath.Join(dir, "up") },
			func(dir string) []string { return []string{"-touch", filepath.Join(dir, "up")} }},
		{"log", func(string) string { return "log:'accepting connections'" },
			func(string) []string { return []string{"-say", "now accepting connections on 5432"} }},
		{"exec", func(dir string) string { return "'exec:test -e " + filepath.Join(dir, "ok") + "'" },
			func(dir string) []string { return []string{"-touch", filepath.Join(dir, "ok")} }},
		// A check that prints: its stdout was a read-only /dev/null, and
		// the write error failed it for ever.
		{"exec that prints", func(dir string) string { return "'exec:ls " + filepath.Join(dir, "ok") + "'" },
			func(dir string) []string { return []string{"-touch", filepath.Join(dir, "ok")} }},
		{"notify", func(string) string { return "notify" },
			func(string) []string { return []string{"-notify"} }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if strings.Contains(c.name, "::1") {
				l, err := net.Listen("tcp", "[::1]:0")
				if err != nil {
					t.Skipf("no IPv6 loopback: %v", err)
				}
				l.Close()
			}
			eachMode(t, func(t *testing.T, m mode) {
				dir := t.TempDir()
				db, app := filepath.Join(dir, "db"), filepath.Join(dir, "app")
				flags := append([]string{"-delay", "400ms"}, c.flags(dir)...)
				pf := writeProcfile(t,
					"db:  PIDONE_READY="+c.check(dir)+" "+recq(db, flags...),
					"app: PIDONE_AFTER=db "+recq(app),
				)
				r := start(t, m, []string{"--procfile", pf})
				waitReady(t, app)
				startedAfter(t, db, app)
				r.signal(syscall.SIGTERM)
				if got := r.wait(10 * time.Second); got != 143 {
					t.Errorf("status %d, want 143", got)
				}
			})
		})
	}
}

// A dependency that never becomes ready: what waits for it never starts,
// and a stop still ends everything at once.
func TestDependencyNeverReady(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		dir := t.TempDir()
		db, app := filepath.Join(dir, "db"), filepath.Join(dir, "app")
		pf := writeProcfile(t,
			"db:  PIDONE_READY=file:"+filepath.Join(dir, "never")+" "+recq(db),
			"app: PIDONE_AFTER=db "+recq(app),
		)
		r := start(t, m, []string{"--procfile", pf})
		waitReady(t, db)
		time.Sleep(500 * time.Millisecond) // asserting that app does not start needs a period
		if rec := readRecord(app); !rec.started.IsZero() {
			t.Fatal("app started while db was not ready")
		}
		r.signal(syscall.SIGTERM)
		if got := r.wait(10 * time.Second); got != 143 {
			t.Errorf("status %d, want 143", got)
		}
	})
}

// A one-shot that fails stops the container with its status; what comes
// after it never starts.
func TestOneShotFailureStopsTheContainer(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		dir := t.TempDir()
		other, web := filepath.Join(dir, "other"), filepath.Join(dir, "web")
		pf := writeProcfile(t,
			"other:   "+recq(other),
			"migrate: PIDONE_ONESHOT=1 sh -c 'sleep 0.2; exit 3'",
			"web:     PIDONE_AFTER=migrate "+recq(web),
		)
		r := start(t, m, []string{"--procfile", pf})
		if got := r.wait(10 * time.Second); got != 3 {
			t.Errorf("status %d, want 3", got)
		}
		if !readRecord(web).started.IsZero() {
			t.Error("web started after the migration failed")
		}
		if _, ok := readRecord(other).first(syscall.SIGTERM); !ok {
			t.Error("the other service never got the stop signal")
		}
	})
}

// One-shots that all complete with 0: nothing ends the container until
// every process has finished, then pidone exits 0.
func TestOneShotsOnly(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		pf := writeProcfile(t,
			"a: PIDONE_ONESHOT=1 true",
			"b: PIDONE_ONESHOT=1 PIDONE_AFTER=a sh -c 'exit 0'",
		)
		r := start(t, m, []string{"--procfile", pf})
		if got := r.wait(10 * time.Second); got != 0 {
			t.Errorf("status %d, want 0; stderr %s", got, r.stderr.String())
		}
	})
}

// PIDONE_RESTART and PIDONE_MAX_RESTARTS on one line, against the global
// policy on the others; --max-restarts makes a crash loop final.
func TestRestartOptions(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		dir := t.TempDir()
		count := filepath.Join(dir, "count")
		rec := filepath.Join(dir, "rec")
		pf := writeProcfile(t,
			"flaky: PIDONE_RESTART=on-failure PIDONE_MAX_RESTARTS=2 "+hq("count", count, "1"),
			"steady: "+recq(rec),
		)
		r := start(t, m, []string{"--procfile", pf})
		if got := r.wait(20 * time.Second); got != 1 {
			t.Errorf("status %d, want 1 (the final exit of flaky)", got)
		}
		if b, _ := os.ReadFile(count); strings.TrimSpace(string(b)) != "3" {
			t.Errorf("flaky ran %s times, want 3 (two restarts)", b)
		}
	})
	r := start(t, asSubreaper, []string{"--restart", "always", "--max-restarts", "1", "sh", "-c", "exit 4"})
	if got := r.wait(20 * time.Second); got != 4 {
		t.Errorf("--max-restarts 1: status %d, want 4", got)
	}
}

// PIDONE_SIGNALS: a HUP meant for nginx does not kill a worker that has
// no HUP handler; a stop still reaches everyone.
func TestSignalFilter(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		dir := t.TempDir()
		nginx, worker, quiet := filepath.Join(dir, "nginx"), filepath.Join(dir, "worker"), filepath.Join(dir, "quiet")
		pf := writeProcfile(t,
			"nginx:  PIDONE_SIGNALS=HUP,USR1 "+recq(nginx),
			"worker: PIDONE_SIGNALS=USR1 "+recq(worker),
			"quiet:  PIDONE_SIGNALS=none "+recq(quiet),
		)
		r := start(t, m, []string{"--procfile", pf})
		for _, f := range []string{nginx, worker, quiet} {
			waitReady(t, f)
		}
		// One at a time: two signals pending at once may be delivered in
		// either order.
		r.signal(syscall.SIGHUP)
		waitSignal(t, nginx, syscall.SIGHUP, 5*time.Second)
		r.signal(syscall.SIGUSR1)
		waitSignal(t, worker, syscall.SIGUSR1, 5*time.Second)
		waitSignal(t, nginx, syscall.SIGUSR1, 5*time.Second)
		r.signal(syscall.SIGTERM)
		r.wait(10 * time.Second)
		for f, want := range map[string][]syscall.Signal{
			nginx:  {syscall.SIGHUP, syscall.SIGUSR1, syscall.SIGTERM},
			worker: {syscall.SIGUSR1, syscall.SIGTERM},
			quiet:  {syscall.SIGTERM},
		} {
			if got := readRecord(f).got(); !equalSignals(got, want) {
				t.Errorf("%s got %v, want %v", filepath.Base(f), got, want)
			}
		}
	})
}

// PIDONE_DIR and assignments: a working directory and variables for one
// process; a missing directory is status 126 for that process, named.
func TestDirAndAssignments(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		dir := t.TempDir()
		sub := filepath.Join(dir, "srv jobs")
		os.Mkdir(sub, 0o755)
		pf := writeProcfile(t,
			"a: PIDONE_ONESHOT=1 PIDONE_DIR="+q(sub)+" GREETING=hello "+hq("argv")+" ${GREETING:-unset} ${PORT:-8000}",
			"b: PIDONE_ONESHOT=1 PIDONE_DIR="+q(sub)+" GREETING=hi sh -c 'echo \"$GREETING from $(pwd)\"'",
		)
		r := start(t, m, []string{"--procfile", pf}, opts{env: []string{"GREETING=outer"}})
		if got := r.wait(10 * time.Second); got != 0 {
			t.Fatalf("status %d; stderr %s", got, r.stderr.String())
		}
		out := r.stdout.String()
		// A line's own assignments do not apply to its own expansions.
		for _, want := range []string{"a | outer\n", "a | 8000\n", "b | hi from " + sub + "\n"} {
			if !strings.Contains(out, want) {
				t.Errorf("stdout lacks %q:\n%s", want, out)
			}
		}
		pf = writeProcfile(t, "c: PIDONE_DIR="+filepath.Join(dir, "missing")+" true")
		r = start(t, m, []string{"--procfile", pf})
		if got := r.wait(10 * time.Second); got != 126 {
			t.Errorf("missing PIDONE_DIR: status %d, want 126", got)
		}
		if msg := r.stderr.String(); !strings.Contains(msg, "missing") || strings.Count(msg, "\n") != 1 {
			t.Errorf("want one line naming the directory, got %q", msg)
		}
	})
}

// PIDONE_USER runs one process as another user, the others as --user or
// pidone's own.
func TestUserPerProcess(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		pf := writeProcfile(t,
			"a: PIDONE_ONESHOT=1 PIDONE_USER=65534:65534 id -u",
			"b: PIDONE_ONESHOT=1 id -u",
		)
		r := start(t, m, []string{"--procfile", pf})
		if got := r.wait(10 * time.Second); got != 0 {
			t.Fatalf("status %d; stderr %s", got, r.stderr.String())
		}
		if out := r.stdout.String(); !strings.Contains(out, "a | 65534\n") || !strings.Contains(out, "b | 0\n") {
			t.Errorf("stdout %q", out)
		}
	})
}

// Lines that are not valid: a usage error naming the file and the line,
// and nothing starts.
func TestServiceErrors(t *testing.T) {
	cases := []struct {
		lines []string
		want  string
	}{
		{[]string{"a: PIDONE_AFTER=b true", "b: PIDONE_AFTER=a true"}, "cycle"},
		{[]string{"a: PIDONE_AFTER=nope true"}, "nope"},
		{[]string{"a: PIDONE_BOGUS=1 true"}, "PIDONE_BOGUS"},
		{[]string{"a: PIDONE_READY=tcp:notaport true"}, "PIDONE_READY"},
		{[]string{"a: PIDONE_STOP_SIGNAL=KILL true"}, "PIDONE_STOP_SIGNAL"},
		{[]string{"a: PIDONE_ONESHOT=1 PIDONE_RESTART=always true"}, "one-shot"},
		{[]string{"a: true ${UNSET_PIDONE_TEST:?needs a value}"}, "needs a value"},
		// echo made the line a shell line, and sh reported the unset
		// variable only once it ran, after the other lines had started.
		{[]string{"a: echo ${UNSET_PIDONE_TEST:?needs a value}"}, "needs a value"},
		{[]string{"a: PIDONE_USER=no-such-user-here true"}, ":1: user \"no-such-user-here\""},
		{[]string{"a: true", "b: PIDONE_USER=0:no-such-group-here true"}, ":2: user \"0:no-such-group-here\": no such group"},
	}
	for _, c := range cases {
		mark := filepath.Join(t.TempDir(), "started")
		pf := writeProcfile(t, append(c.lines, "z: touch "+mark)...)
		r := start(t, asSubreaper, []string{"--procfile", pf})
		if got := r.wait(10 * time.Second); got != 2 {
			t.Errorf("%q: status %d, want 2", c.lines, got)
		}
		msg := r.stderr.String()
		if strings.Count(msg, "\n") != 1 || !strings.Contains(msg, c.want) || !strings.Contains(msg, pf) {
			t.Errorf("%q: want one line naming %q and the file, got %q", c.lines, c.want, msg)
		}
		if _, err := os.Stat(mark); err == nil {
			t.Errorf("%q: a process started", c.lines)
		}
	}
}

// When sh took over a shell line's assignments, its readiness check lost
// them: an exec check runs in the process's environment, line included.
// The check here writes to its stdout, which was a read-only /dev/null:
// any check that printed (curl, printenv) failed for good.
func TestShellLineCheckSeesTheAssignments(t *testing.T) {
	dir := t.TempDir()
	db, app := filepath.Join(dir, "db"), filepath.Join(dir, "app")
	pf := writeProcfile(t,
		"db:  MARK=yes PIDONE_READY='exec:printenv MARK' "+recq(db)+" | cat",
		"app: PIDONE_AFTER=db "+recq(app),
	)
	r := start(t, asSubreaper, []string{"--procfile", pf})
	waitReady(t, app)
	r.signal(syscall.SIGTERM)
	r.wait(10 * time.Second)
}

// Commands that need a shell run under /bin/sh -c, as foreman runs them.
func TestShellFallback(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "app"), 0o755)
	pf := writeProcfile(t, fmt.Sprintf("a: PIDONE_ONESHOT=1 cd %s/app && echo in $(basename $(pwd)) | tr a-z A-Z", dir))
	r := start(t, asSubreaper, []string{"--procfile", pf})
	if got := r.wait(10 * time.Second); got != 0 {
		t.Fatalf("status %d; stderr %s", got, r.stderr.String())
	}
	if out := r.stdout.String(); out != "a | IN APP\n" {
		t.Errorf("stdout %q", out)
	}
}

// A shell line's own assignments were put in sh's environment, so that sh
// expanded them in the line ("G=hi echo $G" printed hi) and gave them to
// every command of it. As in sh, and as foreman runs the line, they apply
// to its first command only, and not to its expansions.
func TestShellLineAssignmentsAreSh(t *testing.T) {
	pf := writeProcfile(t,
		`a: PIDONE_ONESHOT=1 G=hi echo "[$G]"`,
		`b: PIDONE_ONESHOT=1 G=hi PIDONE_DIR=/ printenv G | cat`,
		`c: PIDONE_ONESHOT=1 G=hi true && printenv G`,
	)
	r := start(t, asSubreaper, []string{"--procfile", pf}, opts{env: []string{"G=outer"}})
	if got := r.wait(10 * time.Second); got != 0 {
		t.Fatalf("status %d; stderr %s", got, r.stderr.String())
	}
	out := r.stdout.String()
	for _, want := range []string{"a | [outer]\n", "b | hi\n", "c | outer\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
}
