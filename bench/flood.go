package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Real-time signals the flood sends, in turn. 32–34 are left out: the C
// libraries and the Go runtime reserve them, and pidone does not forward
// them.
const (
	floodFirst = 35
	floodLast  = 64
)

// floodResult is what one flood measured.
type floodResult struct {
	queued, eagain int           // sends that queued a signal / that found the queue full
	send           time.Duration // first send to last
	cpu            time.Duration // the init's CPU time over the sends
	backlog        int           // signals of root still queued at the SIGTERM
	child          time.Duration // SIGTERM to the child's ack
	exit           time.Duration // SIGTERM to the init's exit
	// termErr: what went wrong after the SIGTERM (lost, too slow, a bad
	// exit). The figures of the flood itself still stand.
	termErr error
}

// measureFlood floods each init, PID 1 of a new PID namespace, with
// cfg.floodSignals real-time signals of mixed numbers, then sends one
// SIGTERM and times the init's way out: until its child has the TERM and
// until the init has exited. In rounds, one flood per init each, so that
// drift in the machine's state spreads evenly.
func measureFlood(cfg config, inits []initSpec) result {
	label := fmt.Sprintf("signal flood, %s real-time signals", formatNum(float64(cfg.floodSignals), 0))
	exit := newRow(label+": SIGTERM to the init's exit", "ms", 3)
	child := newRow(label+": SIGTERM to the child's TERM", "ms", 3)
	cpu := newRow(label+": init's CPU time over the sends", "ms", 1)
	queued := newRow(label+": signals queued (the rest: EAGAIN)", "", 0)
	queued.plain = true
	backlog := newRow(label+": still queued at the SIGTERM", "", 0)
	backlog.plain = true
	rows := []*row{exit, child, cpu, queued, backlog}

	runs := map[string][]floodResult{}
	errs := map[string]error{}
	termErrs := map[string]error{}
	for i := 0; i < cfg.floodRuns; i++ {
		for _, in := range inits {
			// One SIGTERM that went astray is the finding; more floods
			// would only repeat the wait.
			if errs[in.name] != nil || termErrs[in.name] != nil {
				continue
			}
			r, err := floodOnce(cfg, in)
			if err != nil {
				errs[in.name] = err
				continue
			}
			runs[in.name] = append(runs[in.name], r)
			termErrs[in.name] = r.termErr
		}
	}
	var notes []string
	for _, in := range inits {
		if err := errs[in.name]; err != nil {
			for _, r := range rows {
				r.fail(in.name, err)
			}
			continue
		}
		rs := runs[in.name]
		pick := func(f func(floodResult) float64) []float64 {
			out := make([]float64, len(rs))
			for i, r := range rs {
				out[i] = f(r)
			}
			return out
		}
		exits := pick(func(r floodResult) float64 { return float64(r.exit) / float64(time.Millisecond) })
		if err := termErrs[in.name]; err != nil {
			exit.fail(in.name, fmt.Errorf("flood %d of %d: %w", len(rs), cfg.floodRuns, err))
			child.fail(in.name, fmt.Errorf("flood %d of %d: %w", len(rs), cfg.floodRuns, err))
			exits = exits[:len(exits)-1]
		} else {
			exit.set(in.name, median(exits))
			child.set(in.name, median(pick(func(r floodResult) float64 { return float64(r.child) / float64(time.Millisecond) })))
		}
		cpu.set(in.name, median(pick(func(r floodResult) float64 { return float64(r.cpu) / float64(time.Millisecond) })))
		queued.set(in.name, median(pick(func(r floodResult) float64 { return float64(r.queued) })))
		backlog.set(in.name, median(pick(func(r floodResult) float64 { return float64(r.backlog) })))
		through := joinFloats(exits, 3)
		if through == "" {
			through = "none got through"
		}
		notes = append(notes, fmt.Sprintf("signal flood %s: SIGTERM to exit, ms: %s; sends took, ms: %s; EAGAIN: %s",
			in.name, through,
			joinFloats(pick(func(r floodResult) float64 { return float64(r.send) / float64(time.Millisecond) }), 1),
			joinFloats(pick(func(r floodResult) float64 { return float64(r.eagain) }), 0)))
	}
	notes = append([]string{fmt.Sprintf(
		"signal flood: median of %d floods per init, in rounds; the init is PID 1 of a new PID namespace and its child, a Go helper, ignores signals %d–%d and acks SIGTERM on a pipe, then exits 0; the bench queues %d signals %d, %d, … %d, %d, … with rt_sigqueueinfo(2) from one thread as fast as it can, counts those refused with EAGAIN (RLIMIT_SIGPENDING, %s, counted for all of root's processes) and keeps going, then sends SIGTERM; CPU time from schedstat over all the init's threads, first send to last; \"still queued\": root's queued signals (SigQ) at the SIGTERM, the backlog the init had not taken yet; every wait bounded by %v",
		cfg.floodRuns, floodFirst, floodLast, cfg.floodSignals, floodFirst, floodFirst+1, floodLast, floodFirst,
		sigPendingLimit(), cfg.floodWait)}, notes...)
	return result{rows: rows, notes: notes}
}

// floodOnce runs one flood against in.
func floodOnce(cfg config, in initSpec) (floodResult, error) {
	ackR, ackW, err := pipe()
	if err != nil {
		return floodResult{}, err
	}
	defer ackR.Close()
	var g group
	defer g.kill()
	p, err := g.spawn(in.argv(cfg.self, helperArg, "flood"), spawnOpts{newPID: true, extra: []*os.File{ackW}})
	ackW.Close()
	if err != nil {
		return floodResult{}, err
	}
	ack := int(ackR.Fd())
	if b, err := readByte(ack, 10*time.Second); err != nil || b != 'R' {
		return floodResult{}, fmt.Errorf("flood helper not ready: %v (init %s)", err, stateOf(p))
	}
	// Let the init go back to sleep after starting its child.
	time.Sleep(100 * time.Millisecond)

	var r floodResult
	cpu0, err := cpuTime(p.pid)
	if err != nil {
		return r, err
	}
	t0 := time.Now()
	r.queued, r.eagain, err = flood(p.pid, cfg.floodSignals)
	r.send = time.Since(t0)
	if err != nil {
		return r, fmt.Errorf("after %d signals: %w (init %s)", r.queued+r.eagain, err, stateOf(p))
	}
	cpu1, err := cpuTime(p.pid)
	if err != nil {
		return r, err
	}
	r.cpu = cpu1 - cpu0
	if st, err := statusFields(fmt.Sprintf("/proc/%d/status", p.pid)); err == nil {
		r.backlog, _, _ = parseSigQ(st["SigQ"])
	}

	r.termErr = terminate(cfg, p, ack, &r)
	return r, nil
}

// terminate sends the SIGTERM that follows a flood and times the child's
// ack and the init's exit into r.
func terminate(cfg config, p *proc, ack int, r *floodResult) error {
	tTerm := time.Now()
	if err := syscall.Kill(p.pid, syscall.SIGTERM); err != nil {
		return fmt.Errorf("SIGTERM: %w", err)
	}
	b, err := readByte(ack, cfg.floodWait)
	switch {
	case err != nil:
		return fmt.Errorf("child got no TERM within %v of the SIGTERM that followed the flood: %w (init %s)", cfg.floodWait, err, stateOf(p))
	case b != 'T':
		return fmt.Errorf("flood helper: got %q, want 'T'", b)
	}
	r.child = time.Since(tTerm)
	if _, err := p.wait(cfg.floodWait - time.Since(tTerm)); err != nil {
		return fmt.Errorf("init still running %v after the SIGTERM that followed the flood: %w", cfg.floodWait, err)
	}
	r.exit = p.end.Sub(tTerm)
	if !p.status.Exited() || p.status.ExitStatus() != 0 {
		return fmt.Errorf("init ended with %s after the SIGTERM, want exit status 0", p.describe())
	}
	return nil
}

// flood queues n real-time signals on pid, numbers floodFirst to floodLast
// in turn, and counts those that queued and those refused because the
// queue was full. Any other error ends it.
//
// rt_sigqueueinfo rather than kill: for kill(2) the kernel never refuses
// a real-time signal, it marks it pending without queueing it once the
// limit is reached, so kill could not tell what was queued.
func flood(pid, n int) (queued, eagain int, err error) {
	for i := 0; i < n; i++ {
		sig := floodFirst + i%(floodLast-floodFirst+1)
		// si_pid and si_uid stay 0: no init under test reads them.
		info := unix.Siginfo{Signo: int32(sig), Code: siQueue}
		_, _, errno := syscall.RawSyscall(unix.SYS_RT_SIGQUEUEINFO, uintptr(pid), uintptr(sig), uintptr(unsafe.Pointer(&info)))
		switch errno {
		case 0:
			queued++
		case syscall.EAGAIN:
			eagain++
		default:
			return queued, eagain, fmt.Errorf("rt_sigqueueinfo(%d, %d): %w", pid, sig, errno)
		}
	}
	return queued, eagain, nil
}

// siQueue is SI_QUEUE, the si_code of sigqueue(3); a code of 0 or more
// would claim to come from the kernel or kill(2), which the kernel refuses.
const siQueue = -1

// parseSigQ parses the SigQ field of /proc/PID/status, "queued/limit":
// the real-time signals queued for the process's real user, and the limit.
func parseSigQ(s string) (queued, limit int, err error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return 0, 0, fmt.Errorf("SigQ %q: no '/'", s)
	}
	if queued, err = strconv.Atoi(a); err != nil {
		return 0, 0, fmt.Errorf("SigQ %q: %w", s, err)
	}
	if limit, err = strconv.Atoi(b); err != nil {
		return 0, 0, fmt.Errorf("SigQ %q: %w", s, err)
	}
	if queued < 0 || limit < 0 {
		return 0, 0, errors.New("SigQ " + strconv.Quote(s) + ": negative")
	}
	return queued, limit, nil
}

// sigPendingLimit describes RLIMIT_SIGPENDING for the report.
func sigPendingLimit() string {
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_SIGPENDING, &lim); err != nil {
		return "limit unknown"
	}
	return "limit " + formatNum(float64(lim.Cur), 0)
}
