package main

// pidone --ctl, called the way docker exec and kubectl exec call it: from
// inside the container's PID and network namespaces, by a process that is
// not pidone's descendant.

import (
	"encoding/json"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// ctlResult is what one --ctl call printed and its status.
type ctlResult struct {
	stdout, stderr string
	status         int
}

// ctlCall runs pidone --ctl ARGS in the PID and network namespaces of the
// process pid (pidone, as the test sees it), as nsenter does, with extra
// environment and, if uid is not 0, as that user.
func ctlCall(t *testing.T, pid int, uid int, env []string, args ...string) ctlResult {
	t.Helper()
	argv := []string{"nsenter", "-t", strconv.Itoa(pid), "-p", "-n", "--"}
	if uid != 0 {
		argv = append(argv, "setpriv", "--reuid", strconv.Itoa(uid), "--regid", strconv.Itoa(uid), "--clear-groups", "--")
	}
	argv = append(argv, pidoneBin, "--ctl")
	argv = append(argv, args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(cmd.Environ(), env...)
	var out, errOut syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("pidone --ctl %v did not answer within 30s", args)
	}
	return ctlResult{out.String(), errOut.String(), cmd.ProcessState.ExitCode()}
}

// startWithCtl starts pidone as PID 1 of new PID and network namespaces,
// as a container engine does, or as a subreaper sharing the test's.
func startWithCtl(t *testing.T, m mode, args []string, o ...opts) *pidoneRun {
	t.Helper()
	op := opts{}
	if len(o) > 0 {
		op = o[0]
	}
	if m.pid1 {
		op.cloneflags |= syscall.CLONE_NEWNET
	}
	return start(t, m, args, op)
}

func TestCtlStatus(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		needRoot(t) // nsenter
		dir := t.TempDir()
		pf := writeProcfile(t,
			"web: "+hq("record", filepath.Join(dir, "web"), "-die-on", "TERM"),
			"job: PIDONE_ONESHOT=1 true",
		)
		r := startWithCtl(t, m, []string{"--procfile", pf})
		waitReady(t, filepath.Join(dir, "web"))
		var res ctlResult
		waitFor(t, 10*time.Second, "status 0", func() bool {
			res = ctlCall(t, r.pid(), 0, nil, "status")
			return res.status == 0
		})
		for _, want := range []string{"web", "ready", "job", "completed"} {
			if !strings.Contains(res.stdout, want) {
				t.Errorf("status output lacks %q:\n%s", want, res.stdout)
			}
		}
		res = ctlCall(t, r.pid(), 0, nil, "status", "--json")
		var doc struct {
			Phase     string
			Processes []struct {
				Name, State string
				Pid         int
			}
		}
		if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil || len(doc.Processes) != 2 || doc.Phase != "running" {
			t.Errorf("status --json: %v\n%s", err, res.stdout)
		}
		// The variables that configure a run do not configure a client:
		// docker exec hands it the image's whole environment.
		res = ctlCall(t, r.pid(), 0, []string{"PIDONE_PROCFILE=/nonexistent", "PIDONE_USER=nobody-at-all", "PIDONE_VERBOSE=bogus"}, "status")
		if res.status != 0 {
			t.Errorf("with PIDONE_* set: status %d, stderr %q", res.status, res.stderr)
		}
		r.signal(syscall.SIGTERM)
		r.wait(10 * time.Second)
	})
}

func TestCtlVerbs(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		needRoot(t)
		dir := t.TempDir()
		web, worker := filepath.Join(dir, "web"), filepath.Join(dir, "worker")
		pf := writeProcfile(t,
			"web: PIDONE_STOP_SIGNAL=USR2 "+hq("record", web, "-die-on", "USR2,TERM"),
			"worker: "+hq("record", worker, "-die-on", "TERM"),
		)
		r := startWithCtl(t, m, []string{"--procfile", pf})
		first := waitReady(t, web)
		waitReady(t, worker)

		if res := ctlCall(t, r.pid(), 0, nil, "signal", "worker", "HUP"); res.status != 0 {
			t.Fatalf("signal: %+v", res)
		}
		waitSignal(t, worker, syscall.SIGHUP, 5*time.Second)

		// restart: the process's own stop signal, then a new run.
		if res := ctlCall(t, r.pid(), 0, nil, "restart", "web"); res.status != 0 {
			t.Fatalf("restart: %+v", res)
		}
		if _, ok := readRecord(web).first(syscall.SIGUSR2); !ok {
			t.Error("restart did not stop web with its stop signal")
		}
		waitFor(t, 10*time.Second, "web to run again", func() bool {
			rec := readRecord(web)
			return rec.ready && rec.pid != first.pid
		})

		// stop: not an exit that ends the container.
		if res := ctlCall(t, r.pid(), 0, nil, "stop", "worker"); res.status != 0 {
			t.Fatalf("stop: %+v", res)
		}
		res := ctlCall(t, r.pid(), 0, nil, "status")
		if res.status != 1 || !strings.Contains(res.stdout, "stopped") {
			t.Errorf("status after stop: %+v", res)
		}
		if r.exited() {
			t.Fatal("stopping one process ended the container")
		}
		before := readRecord(worker).pid
		if res := ctlCall(t, r.pid(), 0, nil, "start", "worker"); res.status != 0 {
			t.Fatalf("start: %+v", res)
		}
		waitFor(t, 10*time.Second, "worker to run again", func() bool {
			rec := readRecord(worker)
			return rec.pid != before
		})

		for _, c := range []struct {
			args   []string
			status int
		}{
			{[]string{"restart", "nope"}, 2},
			{[]string{"frobnicate"}, 2},
			{[]string{"signal", "web", "NOTASIGNAL"}, 2},
			{[]string{"stop"}, 2},
		} {
			res := ctlCall(t, r.pid(), 0, nil, c.args...)
			if res.status != c.status || strings.Count(res.stderr, "\n") != 1 {
				t.Errorf("--ctl %v: status %d stderr %q, want %d and one line", c.args, res.status, res.stderr, c.status)
			}
		}
		r.signal(syscall.SIGTERM)
		r.wait(10 * time.Second)
	})
}

func TestCtlRefusesOtherUsers(t *testing.T) {
	needRoot(t)
	r := startWithCtl(t, asPID1, []string{"sleep", "100"})
	waitFor(t, 10*time.Second, "pidone to answer", func() bool {
		return ctlCall(t, r.pid(), 0, nil, "status").status == 0
	})
	res := ctlCall(t, r.pid(), 65534, nil, "status")
	if res.status == 0 || !strings.Contains(res.stderr, "may not control") {
		t.Errorf("uid 65534: status %d stderr %q, want a refusal", res.status, res.stderr)
	}
	if res := ctlCall(t, r.pid(), 65534, nil, "stop", "main"); res.status == 0 {
		t.Errorf("uid 65534 stopped main: %+v", res)
	}
	if r.exited() {
		t.Fatal("a refused request ended pidone")
	}
}

// A client that connects and sends nothing, or garbage, or a megabyte, is
// dropped on a deadline; signals, reaping and stops go on meanwhile.
func TestCtlBadClientsDoNotBlockTheLoop(t *testing.T) {
	needRoot(t)
	rec := filepath.Join(t.TempDir(), "rec")
	r := startWithCtl(t, asSubreaper, helper("record", rec, "-die-on", "TERM"))
	waitReady(t, rec)
	name := ctlSocketName(t, r.pid())
	var conns []net.Conn
	for _, payload := range []string{"", "garbage\n", strings.Repeat("x", 1<<20)} {
		c, err := net.Dial("unix", name)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		go c.Write([]byte(payload))
	}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	r.signal(syscall.SIGUSR1)
	waitSignal(t, rec, syscall.SIGUSR1, 5*time.Second)
	r.signal(syscall.SIGTERM)
	if got := r.wait(10 * time.Second); got != 143 {
		t.Errorf("status %d, want 143", got)
	}
}

// ctlSocketName finds the abstract name pidone pid listens on.
func ctlSocketName(t *testing.T, pid int) string {
	t.Helper()
	var name string
	waitFor(t, 5*time.Second, "the control socket", func() bool {
		out, _ := exec.Command("cat", "/proc/net/unix").Output()
		for _, line := range strings.Split(string(out), "\n") {
			f := strings.Fields(line)
			if len(f) == 8 && strings.HasPrefix(f[7], "@pidone-ctl/") && strings.HasSuffix(f[7], "/"+strconv.Itoa(pid)) {
				name = f[7]
				return true
			}
		}
		return false
	})
	return name
}

// Two containers of one pod share a network namespace, each with its own
// PID namespace and its pidone as PID 1: each --ctl reaches its own.
func TestCtlTwoPidonesInOnePod(t *testing.T) {
	needRoot(t)
	a := startWithCtl(t, asPID1, []string{"--procfile", writeProcfile(t, "alpha: sleep 100")})
	waitFor(t, 10*time.Second, "the first pidone to answer", func() bool {
		return ctlCall(t, a.pid(), 0, nil, "status").status == 0
	})
	b := start(t, asPID1, []string{"--procfile", writeProcfile(t, "beta: sleep 100")},
		opts{wrap: []string{"nsenter", "-t", strconv.Itoa(a.pid()), "-n", "--"}})
	waitFor(t, 10*time.Second, "the second pidone to answer", func() bool {
		return ctlCall(t, b.pid(), 0, nil, "status").status == 0
	})
	for _, c := range []struct {
		r          *pidoneRun
		mine, not_ string
	}{{a, "alpha", "beta"}, {b, "beta", "alpha"}} {
		res := ctlCall(t, c.r.pid(), 0, nil, "status")
		if !strings.Contains(res.stdout, c.mine) || strings.Contains(res.stdout, c.not_) {
			t.Errorf("pidone %d answered:\n%s", c.r.pid(), res.stdout)
		}
	}
}

// Without a pidone to answer, --ctl says so in one line, status 1.
func TestCtlWithoutPidone(t *testing.T) {
	needRoot(t)
	cmd := exec.Command("unshare", "--pid", "--fork", "--mount-proc", "--net", pidoneBin, "--ctl", "status")
	out, err := cmd.CombinedOutput()
	if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 1 || strings.Count(string(out), "\n") != 1 {
		t.Errorf("status %v, output %q; want 1 and one line", err, out)
	}
}
