package supervisor

import (
	"fmt"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pidone/pidone/internal/launch"
	"github.com/pidone/pidone/internal/signals"
	"golang.org/x/sys/unix"
)

// fakeWorld is the Machine's World in tests: a clock that only moves when
// the test says, and a record of every action, one line each:
//
//	start NAME          signal NAME SIG      others SIG
//	probe NAME          stopself
type fakeWorld struct {
	now     time.Time
	nextPid int
	did     []string
	pids    map[string]int
	// failStart makes the next start of a process fail with this error.
	failStart map[string]error
	// othersFound is what SignalOthers reports; othersErr makes pidone
	// blind.
	othersFound bool
	othersErr   error
	// signalErr is what Signal returns.
	signalErr error
}

func newFakeWorld() *fakeWorld {
	return &fakeWorld{now: time.Unix(1000, 0), nextPid: 100, pids: map[string]int{}, failStart: map[string]error{}}
}

func (w *fakeWorld) Now() time.Time { return w.now }

func (w *fakeWorld) Start(p *Process) (int, error) {
	if err := w.failStart[p.Name]; err != nil {
		delete(w.failStart, p.Name)
		w.did = append(w.did, "start "+p.Name+" failed")
		return 0, err
	}
	w.nextPid++
	w.pids[p.Name] = w.nextPid
	w.did = append(w.did, "start "+p.Name)
	return w.nextPid, nil
}

func (w *fakeWorld) Signal(p *Process, sig unix.Signal) error {
	w.did = append(w.did, "signal "+p.Name+" "+strings.TrimPrefix(signals.Name(sig), "SIG"))
	return w.signalErr
}

func (w *fakeWorld) SignalOthers(sig unix.Signal) (bool, error) {
	w.did = append(w.did, "others "+strings.TrimPrefix(signals.Name(sig), "SIG"))
	return w.othersFound, w.othersErr
}

func (w *fakeWorld) Probe(p *Process)      { w.did = append(w.did, "probe "+p.Name) }
func (w *fakeWorld) Unprobe(p *Process)    {}
func (w *fakeWorld) StopSelf()             { w.did = append(w.did, "stopself") }
func (w *fakeWorld) Foreground(p *Process) { w.did = append(w.did, "foreground "+p.Name) }

// take returns the actions since the last call.
func (w *fakeWorld) take() []string {
	d := w.did
	w.did = nil
	return d
}

// harness drives a Machine through a fake world.
type harness struct {
	t *testing.T
	w *fakeWorld
	m *Machine
}

func newHarness(t *testing.T, cfg Config, specs ...*Spec) *harness {
	w := newFakeWorld()
	return &harness{t: t, w: w, m: NewMachine(cfg, specs, w, nil)}
}

// draining returns a harness whose one process has started and which has
// received a SIGTERM with a drain of delay (and a 10 s grace period).
func draining(t *testing.T, delay time.Duration) *harness {
	cfg := grace
	cfg.DrainDelay = delay
	h := newHarness(t, cfg, main1())
	h.m.Begin(nil)
	h.m.Signal(unix.SIGTERM)
	return h
}

// expect checks the actions since the last check.
func (h *harness) expect(want ...string) {
	h.t.Helper()
	if got := h.w.take(); !slices.Equal(got, want) {
		h.t.Fatalf("actions %q\nwant    %q", got, want)
	}
}

func (h *harness) exit(name string, code int) {
	h.t.Helper()
	ws := unix.WaitStatus(code << 8)
	if code > 128 {
		ws = unix.WaitStatus(code - 128)
	}
	if !h.m.Exited(h.w.pids[name], ws) {
		h.t.Fatalf("%s (pid %d) is not a process the machine knows", name, h.w.pids[name])
	}
}

// advance moves the clock by d and lets the machine do what is due.
func (h *harness) advance(d time.Duration) {
	h.w.now = h.w.now.Add(d)
	h.m.Tick()
}

// untilDeadline moves the clock to the machine's next deadline.
func (h *harness) untilDeadline() time.Duration {
	h.t.Helper()
	at, ok := h.m.Deadline()
	if !ok {
		h.t.Fatal("no deadline")
	}
	d := at.Sub(h.w.now)
	h.advance(d)
	return d
}

func (h *harness) noDeadline() {
	h.t.Helper()
	if at, ok := h.m.Deadline(); ok {
		h.t.Fatalf("deadline in %v, want none (pidone must be idle)", at.Sub(h.w.now))
	}
}

func (h *harness) done(status int) {
	h.t.Helper()
	if !h.m.Done() {
		h.t.Fatalf("not done; phase %v", h.m.Phase())
	}
	if got := h.m.Status(); got != status {
		h.t.Fatalf("status %d, want %d", got, status)
	}
}

func (h *harness) notDone() {
	h.t.Helper()
	if h.m.Done() {
		h.t.Fatalf("done with status %d, want still running", h.m.Status())
	}
}

func (h *harness) state(name string, want State) {
	h.t.Helper()
	p := h.m.find(name)
	if p.State != want {
		h.t.Fatalf("%s is %v, want %v", name, p.State, want)
	}
}

func main1() *Spec { return &Spec{Name: "main"} }

var grace = Config{GracePeriod: 10 * time.Second}

func TestMainExitEndsTheRun(t *testing.T) {
	for _, code := range []int{0, 3, 143} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			h := newHarness(t, grace, main1())
			h.m.Begin(nil)
			h.expect("start main")
			h.m.Remaining(true)
			h.noDeadline()
			h.m.Remaining(false)
			h.exit("main", code)
			h.expect() // no child left: no leftovers to look for
			h.done(code)
		})
	}
}

func TestSignalBeginsStopAndStatusIs128PlusN(t *testing.T) {
	h := newHarness(t, grace, main1())
	h.m.Begin(nil)
	h.m.Signal(unix.SIGHUP)
	h.m.Signal(unix.SIGQUIT) // forwarded: SIGQUIT is not a stop
	h.m.Signal(unix.SIGTERM)
	h.expect("start main", "signal main HUP", "signal main QUIT", "signal main TERM")
	h.exit("main", 143)
	h.m.Remaining(false)
	h.done(143)
}

func TestPendingSignalsDeliveredAfterStart(t *testing.T) {
	h := newHarness(t, grace, main1())
	h.m.Begin([]unix.Signal{unix.SIGUSR1, unix.SIGTERM})
	h.expect("start main", "signal main USR1", "signal main TERM")
}

func TestRewriteAndDrop(t *testing.T) {
	cfg := grace
	if err := cfg.Rewrite.Add("TERM:QUIT"); err != nil {
		t.Fatal(err)
	}
	cfg.Rewrite.Add("HUP:0")
	h := newHarness(t, cfg, main1())
	h.m.Begin(nil)
	h.m.Signal(unix.SIGHUP) // dropped entirely
	h.m.Signal(unix.SIGTERM)
	h.expect("start main", "signal main QUIT")
	if h.m.Phase() != PhaseStopping {
		t.Errorf("phase %v: a rewritten TERM still begins the stop", h.m.Phase())
	}
}

func TestDrainHoldsTermThenForwards(t *testing.T) {
	h := draining(t, 5*time.Second)
	h.m.Signal(unix.SIGUSR1) // still forwarded during the drain
	h.expect("start main", "signal main USR1")
	if d := h.untilDeadline(); d != 5*time.Second {
		t.Fatalf("drain ended after %v, want 5s", d)
	}
	h.expect("signal main TERM")
	// The grace period counts from the SIGTERM, drain included.
	if d := h.untilDeadline(); d != 5*time.Second {
		t.Fatalf("grace period ended %v after the drain, want 5s", d)
	}
	h.expect("signal main KILL", "others KILL")
	h.exit("main", 137)
	h.m.Remaining(false)
	h.done(137)
}

func TestDrainCutShortByInt(t *testing.T) {
	h := draining(t, 5*time.Second)
	h.m.Signal(unix.SIGINT)
	h.expect("start main", "signal main TERM", "signal main INT")
}

func TestDrainEndsWhenEveryProcessExits(t *testing.T) {
	h := draining(t, 30*time.Second)
	h.exit("main", 7)
	h.m.Remaining(false)
	h.done(7)
}

func TestGracePeriodEndsInKill(t *testing.T) {
	h := newHarness(t, grace, main1())
	h.m.Begin(nil)
	h.m.Remaining(true)
	h.m.Signal(unix.SIGTERM)
	h.expect("start main", "signal main TERM")
	if d := h.untilDeadline(); d != 10*time.Second {
		t.Fatalf("SIGKILL after %v, want the 10s grace period", d)
	}
	h.expect("signal main KILL", "others KILL")
	h.exit("main", 137)
	h.m.Remaining(false)
	h.done(137)
}

func TestGraceZeroWaitsForever(t *testing.T) {
	h := newHarness(t, Config{}, main1())
	h.m.Begin(nil)
	h.m.Signal(unix.SIGTERM)
	h.noDeadline()
}

// When the main process exits, what is left gets --stop-signal, and pidone
// waits for it within the grace period.
func TestLeftoversAfterMainExit(t *testing.T) {
	cfg := grace
	cfg.StopSignal = unix.SIGUSR1
	h := newHarness(t, cfg, main1())
	h.m.Begin(nil)
	h.m.Remaining(true)
	h.w.othersFound = true
	h.exit("main", 5)
	h.expect("start main", "others USR1")
	h.notDone()
	h.untilDeadline()
	h.expect("others KILL")
	h.m.Remaining(false)
	h.done(5)
}

// As PID 1, processes entered from outside (docker exec) are not children:
// pidone looks for them even when it has no child left.
func TestLeftoversAsPID1EvenWithoutChildren(t *testing.T) {
	cfg := grace
	cfg.PID1 = true
	h := newHarness(t, cfg, main1())
	h.m.Begin(nil)
	h.w.othersFound = true
	h.m.Remaining(false)
	h.exit("main", 0)
	h.expect("start main", "others TERM")
	h.notDone()
	h.m.Remaining(false) // the watched process has exited
	h.done(0)
}

// Without /proc pidone cannot find what is left: the grace period still
// ends the stop.
func TestBlindStopEndsAtGracePeriod(t *testing.T) {
	h := newHarness(t, grace, main1())
	h.m.Begin(nil)
	h.m.Remaining(true)
	h.w.othersErr = fmt.Errorf("no /proc")
	h.exit("main", 0)
	h.m.Remaining(true)
	h.expect("start main", "others TERM")
	h.notDone()
	h.untilDeadline()
	h.done(0)
}

func TestJobControl(t *testing.T) {
	h := newHarness(t, grace, main1())
	h.m.Begin(nil)
	h.m.Signal(unix.SIGTSTP)
	h.m.Signal(unix.SIGCONT)
	h.expect("start main", "signal main TSTP", "stopself", "foreground main", "signal main CONT")
	cfg := grace
	cfg.PID1 = true
	h = newHarness(t, cfg, main1())
	h.m.Begin(nil)
	h.m.Signal(unix.SIGTTOU)
	h.expect("start main", "signal main TTOU")
}

// Ctrl-Z at the terminal stopped only the process, which owns the
// terminal: pidone ran on, and the shell that waits for it never saw the
// job stop. pidone now stops when its process stops at the terminal, but
// not again for the stop it forwarded itself (kill -TSTP pidone).
func TestStopAtTheTerminalStopsPidone(t *testing.T) {
	h := newHarness(t, grace, main1())
	h.m.Begin(nil)
	h.expect("start main")
	pid := h.w.pids["main"]
	h.m.Suspended(pid, unix.SIGTSTP)
	h.expect("stopself")
	h.m.Signal(unix.SIGCONT)
	h.expect("foreground main", "signal main CONT")
	h.m.Signal(unix.SIGTSTP)
	h.expect("signal main TSTP", "stopself")
	h.m.Suspended(pid, unix.SIGTSTP) // the one pidone forwarded
	h.expect()
	h.m.Suspended(pid, unix.SIGSTOP) // kill -STOP: not the terminal's
	h.expect()
	cfg := grace
	cfg.PID1 = true
	h = newHarness(t, cfg, main1())
	h.m.Begin(nil)
	h.expect("start main")
	h.m.Suspended(h.w.pids["main"], unix.SIGTSTP)
	h.expect()
}

func TestRestartBackoffAndLimit(t *testing.T) {
	s := main1()
	s.Restart, s.MaxRestarts = OnFailure, 3
	h := newHarness(t, grace, s)
	h.m.Begin(nil)
	h.expect("start main")
	var delays []time.Duration
	for i := 0; i < 3; i++ {
		h.exit("main", 1)
		h.state("main", BackingOff)
		delays = append(delays, h.untilDeadline())
		h.expect("start main")
	}
	if want := []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second}; !slices.Equal(delays, want) {
		t.Errorf("back-off %v, want %v", delays, want)
	}
	h.exit("main", 1) // the fourth failure in a row is final
	h.state("main", Failed)
	h.m.Remaining(false)
	h.done(1)
}

func TestRestartBackoffResetsAfterAStableRun(t *testing.T) {
	s := main1()
	s.Restart = Always
	h := newHarness(t, grace, s)
	h.m.Begin(nil)
	h.exit("main", 0)
	h.untilDeadline()
	h.exit("main", 0)
	if d := h.untilDeadline(); d != 500*time.Millisecond {
		t.Fatalf("second back-off %v", d)
	}
	h.w.now = h.w.now.Add(stableRun)
	h.exit("main", 0)
	if d := h.untilDeadline(); d != backoffFirst {
		t.Fatalf("back-off after a stable run %v, want %v", d, backoffFirst)
	}
}

func TestNoRestartOnceStopping(t *testing.T) {
	s := main1()
	s.Restart = Always
	h := newHarness(t, grace, s)
	h.m.Begin(nil)
	h.m.Signal(unix.SIGTERM)
	h.exit("main", 143)
	h.m.Remaining(false)
	h.done(143)
}

// A process that is backing off when the stop begins has exited for good:
// its last status counts.
func TestBackingOffIsFinalWhenStopBegins(t *testing.T) {
	a, b := &Spec{Name: "a", Restart: OnFailure}, &Spec{Name: "b"}
	h := newHarness(t, grace, a, b)
	h.m.Begin(nil)
	h.exit("a", 4)
	h.m.Signal(unix.SIGTERM)
	h.state("a", Failed)
	h.exit("b", 143)
	h.m.Remaining(false)
	h.done(4)
}

func TestStatusAfterSignalIsFirstNonZero(t *testing.T) {
	cfg := grace
	cfg.SuccessCodes = map[int]bool{143: true}
	h := newHarness(t, cfg, &Spec{Name: "a"}, &Spec{Name: "b"}, &Spec{Name: "c"})
	h.m.Begin(nil)
	h.m.Signal(unix.SIGTERM)
	h.exit("a", 143) // a success code: 0
	h.exit("c", 9)
	h.exit("b", 2)
	h.m.Remaining(false)
	h.done(9)
}

func TestFirstExitStopsOthersWithItsStatus(t *testing.T) {
	h := newHarness(t, grace, &Spec{Name: "a"}, &Spec{Name: "b"})
	h.m.Begin(nil)
	h.exit("b", 3)
	h.expect("start a", "start b", "signal a TERM")
	h.exit("a", 143)
	h.m.Remaining(false)
	h.done(3)
}

func TestOnFailureFinishedWithZeroEndsNothing(t *testing.T) {
	a, b := &Spec{Name: "a", Restart: OnFailure}, &Spec{Name: "b", Restart: OnFailure}
	h := newHarness(t, grace, a, b)
	h.m.Begin(nil)
	h.exit("a", 0)
	h.state("a", Completed)
	h.notDone()
	h.expect("start a", "start b")
	h.exit("b", 0)
	h.m.Remaining(false)
	h.done(0)
}

// migrate → web → nginx: each starts when what it comes after is there,
// and a stop reaches them in reverse order.
func TestStartOrderAndOrderedStop(t *testing.T) {
	migrate := &Spec{Name: "migrate", OneShot: true}
	web := &Spec{Name: "web", After: []string{"migrate"}, Ready: &Check{Kind: CheckTCP, Addrs: []string{"localhost:8000"}, Raw: "tcp:8000"}}
	nginx := &Spec{Name: "nginx", After: []string{"web"}, StopSignal: unix.SIGQUIT}
	worker := &Spec{Name: "worker"}
	h := newHarness(t, grace, migrate, web, nginx, worker)
	h.m.Begin(nil)
	h.expect("start migrate", "start worker")
	h.state("migrate", Running)
	h.state("web", Waiting)
	h.noDeadlineExceptWarnings()
	h.exit("migrate", 0)
	h.expect("start web")
	h.state("migrate", Completed)
	h.state("web", Starting)
	h.untilDeadline()
	h.expect("probe web")
	p := h.m.find("web")
	h.m.Probed(p, p.Run, false)
	if d := h.untilDeadline(); d != 2*probeFirst {
		t.Fatalf("second probe after %v, want %v", d, 2*probeFirst)
	}
	h.expect("probe web")
	h.m.Probed(p, p.Run, true)
	h.expect("start nginx")
	h.state("web", Ready)
	if h.m.Phase() != PhaseRunning {
		t.Fatalf("phase %v once everything is ready", h.m.Phase())
	}
	h.noDeadline()

	h.m.Signal(unix.SIGTERM)
	h.expect("signal nginx QUIT", "signal worker TERM")
	h.exit("worker", 143)
	h.expect()
	h.exit("nginx", 0)
	h.expect("signal web TERM")
	h.exit("web", 143)
	h.m.Remaining(false)
	h.done(143)
}

// noDeadlineExceptWarnings checks that the only deadline is a warning.
func (h *harness) noDeadlineExceptWarnings() {
	h.t.Helper()
	if at, ok := h.m.Deadline(); ok && at.Sub(h.w.now) < warnFirst {
		h.t.Fatalf("deadline in %v, want nothing before the first warning", at.Sub(h.w.now))
	}
}

func TestOneShotFailureStopsAndDependentsNeverStart(t *testing.T) {
	migrate := &Spec{Name: "migrate", OneShot: true}
	web := &Spec{Name: "web", After: []string{"migrate"}}
	h := newHarness(t, grace, migrate, web)
	h.m.Begin(nil)
	h.exit("migrate", 2)
	h.expect("start migrate")
	h.state("web", Stopped)
	h.m.Remaining(false)
	h.done(2)
}

func TestDependencyEndedBeforeReady(t *testing.T) {
	db := &Spec{Name: "db", Restart: OnFailure, Ready: &Check{Kind: CheckFile, Path: "/x", Raw: "file:/x"}}
	web := &Spec{Name: "web", After: []string{"db"}}
	h := newHarness(t, grace, db, web)
	h.m.Begin(nil)
	h.exit("db", 0) // done with its job, never ready: web can never start
	h.state("web", Failed)
	h.m.Remaining(false)
	h.done(1)
}

func TestStaleProbeIgnored(t *testing.T) {
	s := &Spec{Name: "web", Restart: Always, Ready: &Check{Kind: CheckTCP, Raw: "tcp:1"}}
	h := newHarness(t, grace, s)
	h.m.Begin(nil)
	p := h.m.find("web")
	old := p.Run
	h.exit("web", 1)
	h.untilDeadline()
	h.m.Probed(p, old, true) // about the first run
	h.state("web", Starting)
}

func TestNotReadyWarningsDoNotKill(t *testing.T) {
	s := &Spec{Name: "web", Ready: &Check{Kind: CheckLog, Text: "listening", Raw: "log:listening"}}
	h := newHarness(t, grace, s)
	h.m.Begin(nil)
	h.expect("start web")
	if d := h.untilDeadline(); d != warnFirst {
		t.Fatalf("first warning after %v", d)
	}
	if d := h.untilDeadline(); d != warnFirst {
		t.Fatalf("second warning %v later", d)
	}
	if d := h.untilDeadline(); d != 2*warnFirst {
		t.Fatalf("third warning %v later", d)
	}
	h.expect()
	h.state("web", Starting)
}

func TestSignalsFilter(t *testing.T) {
	nginx := &Spec{Name: "nginx", Signals: map[unix.Signal]bool{unix.SIGHUP: true}}
	worker := &Spec{Name: "worker", Signals: map[unix.Signal]bool{}}
	h := newHarness(t, grace, nginx, worker)
	h.m.Begin(nil)
	h.m.Signal(unix.SIGHUP)
	h.m.Signal(unix.SIGUSR1)
	h.m.Signal(unix.SIGTERM) // a stop reaches everyone
	h.expect("start nginx", "start worker", "signal nginx HUP", "signal nginx TERM", "signal worker TERM")
}

func TestStartFailures(t *testing.T) {
	t.Run("at start: status of the failure", func(t *testing.T) {
		h := newHarness(t, grace, &Spec{Name: "a"}, &Spec{Name: "b"})
		h.w.failStart["b"] = &launch.StartError{Name: "b", Cmd: "x", Err: syscall.ENOENT, Status: 127}
		h.m.Begin(nil)
		h.expect("start a", "start b failed", "signal a TERM")
		h.exit("a", 143)
		h.m.Remaining(false)
		h.done(127)
	})
	t.Run("fork fails at start: status 1", func(t *testing.T) {
		h := newHarness(t, grace, main1())
		h.w.failStart["main"] = &launch.StartError{Cmd: "x", Err: syscall.EAGAIN, Status: 1, Transient: true}
		h.m.Begin(nil)
		h.m.Remaining(false)
		h.done(1)
	})
	t.Run("fork fails on restart: backs off", func(t *testing.T) {
		s := main1()
		s.Restart = Always
		h := newHarness(t, grace, s)
		h.m.Begin(nil)
		h.exit("main", 1)
		h.w.failStart["main"] = &launch.StartError{Cmd: "x", Err: syscall.EAGAIN, Status: 1, Transient: true}
		h.untilDeadline()
		h.state("main", BackingOff)
		h.untilDeadline()
		h.expect("start main", "start main failed", "start main")
		h.state("main", Ready)
	})
}

func TestCtlStopAndStartDoNotEndTheContainer(t *testing.T) {
	h := newHarness(t, grace, &Spec{Name: "web", StopSignal: unix.SIGQUIT}, &Spec{Name: "worker"})
	h.m.Begin(nil)
	var replies []string
	reply := func(status int, msg string) { replies = append(replies, fmt.Sprintf("%d %s", status, msg)) }
	h.m.Control(VerbStop, "web", 0, reply)
	h.expect("start web", "start worker", "signal web QUIT")
	if len(replies) != 0 {
		t.Fatalf("replied %q before web exited", replies)
	}
	h.exit("web", 0)
	h.state("web", Stopped)
	h.notDone()
	h.m.Control(VerbStart, "web", 0, reply)
	h.expect("start web")
	h.m.Control(VerbRestart, "worker", 0, reply)
	h.exit("worker", 143)
	h.expect("signal worker TERM", "start worker")
	h.m.Control(VerbSignal, "worker", unix.SIGHUP, reply)
	h.m.Control(VerbStop, "nope", 0, reply)
	h.expect("signal worker HUP")
	if want := []string{"0 ", "0 ", "0 ", "0 ", "2 no process named nope"}; !slices.Equal(replies, want) {
		t.Errorf("replies %q, want %q", replies, want)
	}
	_, procs, healthy := h.m.Snapshot()
	if !healthy || len(procs) != 2 || procs[1].Restarts != 1 {
		t.Errorf("snapshot %+v healthy %v", procs, healthy)
	}
}

// --ctl signal was refused during a drain, while forwarded signals still
// reached the processes; stop, start and restart are refused then.
func TestCtlSignalDuringTheDrain(t *testing.T) {
	h := draining(t, 5*time.Second)
	var replies []string
	reply := func(status int, msg string) { replies = append(replies, fmt.Sprintf("%d %s", status, msg)) }
	h.m.Control(VerbSignal, "main", unix.SIGUSR2, reply)
	h.m.Control(VerbRestart, "main", 0, reply)
	h.expect("start main", "signal main USR2")
	if want := []string{"0 ", "1 pidone is stopping"}; !slices.Equal(replies, want) {
		t.Errorf("replies %q, want %q", replies, want)
	}
}

func TestCtlStopKillsAfterGracePeriod(t *testing.T) {
	h := newHarness(t, grace, main1())
	h.m.Begin(nil)
	h.m.Control(VerbStop, "main", 0, func(int, string) {})
	h.untilDeadline()
	h.expect("start main", "signal main TERM", "signal main KILL")
}

func TestCannotSignalIsAWarningNotAnError(t *testing.T) {
	h := newHarness(t, grace, main1())
	h.w.signalErr = unix.EPERM
	h.m.Begin(nil)
	h.m.Signal(unix.SIGHUP)
	h.expect("start main", "signal main HUP")
	h.notDone()
}

func TestPauseStopsAtOnce(t *testing.T) {
	h := newHarness(t, grace)
	h.m.Begin(nil)
	h.m.Remaining(false)
	h.noDeadline()
	h.m.Signal(unix.SIGTERM)
	h.done(0)
}
