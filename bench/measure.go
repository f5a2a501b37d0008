package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// config holds the sizes of every measurement.
type config struct {
	startRuns    int           // runs of INIT -- true per init
	memRuns      int           // rounds of the memory measurement
	settle       time.Duration // before reading memory / counters
	idle         time.Duration // the idle period
	orphans      int           // orphans per storm
	stormRuns    int           // storms per init
	sigSamples   int           // signals per init
	stopRuns     int           // stop-latency runs per init
	genBytes     int64         // bytes the Procfile generator writes
	genRuns      int           // throughput runs
	self         string        // the bench binary, for the helpers
	tmp          string        // scratch directory
	trueBin      string        // /bin/true or the like
	sleepBin     string        // /bin/sleep or the like
	catBin       string
	progress     func(format string, a ...any)
	sampleJitter time.Duration // gap between two signals
	stormSettle  time.Duration // pause between the forks and the release
	pollEvery    time.Duration // how often the end of a storm is polled
	floodSignals int           // real-time signals per flood
	floodRuns    int           // floods per init
	floodWait    time.Duration // bound on each wait after the flood's SIGTERM
	multiProcs   int           // processes per supervisor
	multiRuns    int           // start-and-stop runs per supervisor
	multiWait    time.Duration // bound on a supervisor's start and stop
}

// result of a measurement: rows for the table, notes under it.
type result struct {
	rows  []*row
	notes []string
}

// measureStart times `INIT -- true` against bare `true`: as PID 1 of a
// new PID namespace, as in a container, and as a plain child of the bench
// (with the init's subreaper option), in rounds that run every init once
// in each mode so that drift in the machine's state spreads evenly.
func measureStart(cfg config, inits []initSpec) result {
	all := append([]initSpec{bare}, inits...)
	type key struct {
		name string
		pid1 bool
	}
	times := map[key][]time.Duration{}
	errs := map[key]error{}
	for i := 0; i < cfg.startRuns; i++ {
		for _, pid1 := range []bool{true, false} {
			for _, in := range all {
				k := key{in.name, pid1}
				if errs[k] != nil {
					continue
				}
				argv := in.argv(cfg.trueBin)
				if !pid1 {
					argv = in.argvNotPID1(cfg.trueBin)
				}
				d, err := runOnce(argv, pid1, 10*time.Second)
				if err != nil {
					errs[k] = err
					continue
				}
				times[k] = append(times[k], d)
			}
		}
	}
	var res result
	for _, pid1 := range []bool{true, false} {
		mode := "PID 1"
		if !pid1 {
			mode = "not PID 1"
		}
		wall := newRow(fmt.Sprintf("start, %s: wall time of `INIT -- true`", mode), "ms", 3)
		over := newRow(fmt.Sprintf("start, %s: overhead over bare `true`", mode), "ms", 3)
		bk := key{bare.name, pid1}
		base := median(ms(times[bk]))
		for _, in := range inits {
			k := key{in.name, pid1}
			if err := errs[k]; err != nil {
				wall.fail(in.name, err)
				over.fail(in.name, err)
				continue
			}
			m := median(ms(times[k]))
			wall.set(in.name, m)
			over.set(in.name, m-base)
		}
		res.rows = append(res.rows, wall, over)
		if err := errs[bk]; err != nil {
			res.notes = append(res.notes, "bare `true` failed: "+err.Error())
		}
		var spread []string
		for _, in := range all {
			if t := times[key{in.name, pid1}]; len(t) > 0 {
				spread = append(spread, fmt.Sprintf("%s %.3f–%.3f", in.name, percentile(ms(t), 10), percentile(ms(t), 90)))
			}
		}
		where := "PID 1 of a new PID namespace (bare `true` too)"
		if !pid1 {
			where = "a child of the bench, with the subreaper option (tini -s)"
		}
		res.notes = append(res.notes, fmt.Sprintf("start, %s: median of %d runs each, as %s; bare `true`: %.3f ms; p10–p90 ms: %s",
			mode, cfg.startRuns, where, base, strings.Join(spread, ", ")))
	}
	return res
}

// runOnce runs argv to its end and returns its wall time; a non-zero
// status is an error that quotes its stderr.
func runOnce(argv []string, newPID bool, timeout time.Duration) (time.Duration, error) {
	var g group
	defer g.kill()
	p, err := g.spawn(argv, spawnOpts{newPID: newPID})
	if err != nil {
		return 0, err
	}
	d, err := p.wait(timeout)
	if err != nil {
		return 0, err
	}
	if !p.status.Exited() || p.status.ExitStatus() != 0 {
		return 0, fmt.Errorf("`%s`: %s%s", strings.Join(argv, " "), p.describe(), stderrOf(argv, newPID))
	}
	return d, nil
}

// stderrOf runs argv again to show what it says on stderr when it fails.
func stderrOf(argv []string, newPID bool) string {
	f, err := os.CreateTemp("", "bench-stderr-")
	if err != nil {
		return ""
	}
	defer os.Remove(f.Name())
	defer f.Close()
	var g group
	defer g.kill()
	p, err := g.spawn(argv, spawnOpts{newPID: newPID, stderr: f})
	if err != nil {
		return ""
	}
	if _, err := p.wait(5 * time.Second); err != nil {
		return ""
	}
	b, _ := os.ReadFile(f.Name())
	if s := strings.TrimSpace(string(b)); s != "" {
		return ": " + firstLines(s, 3)
	}
	return ""
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, " / ")
}

// measureSize reports the size of each binary.
func measureSize(inits []initSpec) result {
	r := newRow("binary size", "bytes", 0)
	var notes []string
	for _, in := range inits {
		bi, err := describeBinary(in.path)
		if err != nil && bi.size == 0 {
			r.fail(in.name, err)
			continue
		}
		r.set(in.name, float64(bi.size))
		notes = append(notes, fmt.Sprintf("size %s: %s, %s", in.name, in.path, bi))
	}
	return result{rows: []*row{r}, notes: notes}
}

// startIdle starts every init as PID 1 of a new PID namespace with one
// `sleep 1000` child and waits until each has exec'd its sleep.
func startIdle(cfg config, g *group, inits []initSpec) (map[string]*proc, map[string]error) {
	procs := map[string]*proc{}
	errs := map[string]error{}
	for _, in := range inits {
		p, err := g.spawn(in.argv(cfg.sleepBin, "1000"), spawnOpts{newPID: true})
		if err != nil {
			errs[in.name] = err
			continue
		}
		procs[in.name] = p
	}
	for name, p := range procs {
		if _, err := waitChild(p, "sleep", 5*time.Second); err != nil {
			errs[name] = err
			delete(procs, name)
		}
	}
	time.Sleep(cfg.settle)
	for name, p := range procs {
		if !p.running() {
			errs[name] = fmt.Errorf("init exited early: %s", p.describe())
			delete(procs, name)
		}
	}
	return procs, errs
}

// measureMemory reads VmRSS, Pss and the thread count of each idle init.
func measureMemory(cfg config, inits []initSpec) result {
	rss := newRow("memory: RSS, idle, one `sleep` child", "kB", 0)
	pss := newRow("memory: Pss (smaps_rollup)", "kB", 0)
	thr := newRow("threads of the idle init", "", 0)
	vals := map[string][3][]float64{}
	for i := 0; i < cfg.memRuns; i++ {
		func() {
			var g group
			defer g.kill()
			procs, errs := startIdle(cfg, &g, inits)
			for name, err := range errs {
				rss.fail(name, err)
			}
			for name, p := range procs {
				st, err := statusFields(fmt.Sprintf("/proc/%d/status", p.pid))
				if err != nil {
					rss.fail(name, err)
					continue
				}
				v := vals[name]
				if x, err := kB(st["VmRSS"]); err == nil {
					v[0] = append(v[0], x)
				}
				if x, err := kB(st["Threads"]); err == nil {
					v[2] = append(v[2], x)
				}
				if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", p.pid)); err == nil {
					if x, err := kB(parseKV(b)["Pss"]); err == nil {
						v[1] = append(v[1], x)
					}
				}
				vals[name] = v
			}
		}()
	}
	for name, v := range vals {
		if len(v[0]) > 0 {
			rss.set(name, median(v[0]))
		}
		if len(v[1]) > 0 {
			pss.set(name, median(v[1]))
		}
		if len(v[2]) > 0 {
			thr.set(name, median(v[2]))
		}
	}
	return result{rows: []*row{rss, pss, thr}, notes: []string{fmt.Sprintf(
		"memory: median of %d runs, read %v after the init's `sleep 1000` child has exec'd; the inits run as PID 1 of new PID namespaces",
		cfg.memRuns, cfg.settle)}}
}

// measureIdle counts the context switches (every thread) and CPU time of
// each init over one idle period, all inits at once.
func measureIdle(cfg config, inits []initSpec) result {
	cs := newRow(fmt.Sprintf("idle: context switches in %v", cfg.idle), "", 0)
	cpu := newRow(fmt.Sprintf("idle: CPU time in %v", cfg.idle), "µs", 0)
	var g group
	defer g.kill()
	procs, errs := startIdle(cfg, &g, inits)
	for name, err := range errs {
		cs.fail(name, err)
		cpu.fail(name, err)
	}
	type snap struct {
		cs  uint64
		cpu time.Duration
	}
	take := func() map[string]snap {
		m := map[string]snap{}
		for name, p := range procs {
			n, err := ctxSwitches(p.pid)
			if err != nil {
				cs.fail(name, err)
				continue
			}
			t, err := cpuTime(p.pid)
			if err != nil {
				cpu.fail(name, err)
				continue
			}
			m[name] = snap{n, t}
		}
		return m
	}
	before := take()
	cfg.progress("idle period: %v", cfg.idle)
	time.Sleep(cfg.idle)
	after := take()
	for name := range procs {
		b, ok1 := before[name]
		a, ok2 := after[name]
		if !ok1 || !ok2 {
			continue
		}
		cs.set(name, float64(a.cs-b.cs))
		cpu.set(name, float64(a.cpu-b.cpu)/float64(time.Microsecond))
	}
	return result{rows: []*row{cs, cpu}, notes: []string{fmt.Sprintf(
		"idle: every init at once, each PID 1 of a new PID namespace with one `sleep 1000` child; voluntary + nonvoluntary switches and time on CPU (schedstat) summed over all the init's threads between two reads %v apart, after %v of settling",
		cfg.idle, cfg.settle)}}
}

// measureReap times two kinds of storms of cfg.orphans orphans, each
// init PID 1 of a new PID namespace running the storm helper (see
// helperStorm):
//
//   - zombies: the orphans have exited already and are handed to the init
//     all at once when their parent exits. The time is the init's reaping
//     alone.
//   - live: the orphans are re-parented alive and then all exit at once.
//     The time also holds the kernel's work for thousands of exits on the
//     machine's few cores, which dwarfs the reaping.
//
// Each runs from the release to the moment the last orphan has been reaped
// (its pid no longer exists: kill(pid, 0) fails with ESRCH; a zombie still
// has one). The init's time on CPU over the storm is the cost of reaping
// itself.
func measureReap(cfg config, inits []initSpec) result {
	type kind struct {
		zombie bool
		label  string
	}
	kinds := []kind{
		{true, fmt.Sprintf("%d zombies re-parented at once", cfg.orphans)},
		{false, fmt.Sprintf("%d live orphans exiting at once", cfg.orphans)},
	}
	all := append([]initSpec{bare}, inits...)
	type key struct {
		name   string
		zombie bool
	}
	walls := map[key][]float64{}
	cpus := map[key][]float64{}
	left := map[string]int{}
	errs := map[key]error{}
	// In rounds, one storm of each kind for each init per round, so that
	// drift in the machine's state spreads evenly.
	for i := 0; i < cfg.stormRuns; i++ {
		for _, k := range kinds {
			for _, in := range all {
				id := key{in.name, k.zombie}
				if errs[id] != nil {
					continue
				}
				r, err := storm(cfg, in, k.zombie)
				left[in.name] = max(left[in.name], r.zombies)
				if err != nil {
					errs[id] = err
					continue
				}
				walls[id] = append(walls[id], float64(r.wall)/float64(time.Millisecond))
				cpus[id] = append(cpus[id], float64(r.cpu)/float64(time.Microsecond)/float64(cfg.orphans))
			}
		}
	}
	var rows []*row
	notes := []string{fmt.Sprintf("reaping: median of %d storms of each kind per init; the orphans are raw forks of a Go helper, released by closing a pipe %v after the last fork; the end is polled every %v; wall time per orphan = storm time / %d; CPU time from schedstat over all the init's threads; zombies: the most left among the init's children after any storm (or after 30 s)",
		cfg.stormRuns, cfg.stormSettle, cfg.pollEvery, cfg.orphans)}
	for _, k := range kinds {
		per := newRow("reaping, "+k.label+": wall time per orphan", "µs", 2)
		cpu := newRow("reaping, "+k.label+": init's CPU per orphan", "µs", 2)
		rows = append(rows, per, cpu)
		for _, in := range all {
			id := key{in.name, k.zombie}
			w, c, err := walls[id], cpus[id], errs[id]
			if in.path == "" {
				if err != nil {
					notes = append(notes, fmt.Sprintf("reaping floor, %s, no init: failed: %v", k.label, err))
				} else {
					notes = append(notes, fmt.Sprintf("reaping floor, %s, no init (the helper is PID 1 and reaps with a blocking wait4(-1) loop): %.2f µs per orphan, %.2f µs of its CPU per orphan; storms, ms: %s",
						k.label, median(w)*1000/float64(cfg.orphans), median(c), joinFloats(w, 1)))
				}
				continue
			}
			if err != nil {
				per.fail(in.name, err)
				cpu.fail(in.name, err)
				continue
			}
			per.set(in.name, median(w)*1000/float64(cfg.orphans))
			cpu.set(in.name, median(c))
			notes = append(notes, fmt.Sprintf("reaping %s, %s: storms, ms: %s; CPU µs per orphan: %s", in.name, k.label, joinFloats(w, 1), joinFloats(c, 1)))
		}
	}
	zombies := newRow("reaping: zombies left after any storm", "", 0)
	for _, in := range inits {
		zombies.set(in.name, float64(left[in.name]))
	}
	rows = append(rows, zombies)
	return result{rows: rows, notes: notes}
}

func joinFloats(xs []float64, decimals int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprintf("%.*f", decimals, x)
	}
	return strings.Join(s, ", ")
}

// stormResult is what one storm measured.
type stormResult struct {
	wall    time.Duration // release to the last orphan reaped
	cpu     time.Duration // the reaper's time on CPU over the storm
	zombies int           // left among the reaper's children afterwards
}

// storm runs one storm.
func storm(cfg config, in initSpec, zombie bool) (stormResult, error) {
	ackR, ackW, err := pipe()
	if err != nil {
		return stormResult{}, err
	}
	defer ackR.Close()
	cmdR, cmdW, err := pipe()
	if err != nil {
		ackW.Close()
		return stormResult{}, err
	}
	defer cmdW.Close()
	var g group
	defer g.kill()
	mode := "live"
	if zombie {
		mode = "zombie"
	}
	p, err := g.spawn(in.argv(cfg.self, helperArg, "storm", fmt.Sprint(cfg.orphans), mode),
		spawnOpts{newPID: true, extra: []*os.File{ackW, cmdR}})
	ackW.Close()
	cmdR.Close()
	if err != nil {
		return stormResult{}, err
	}
	ack, cmd := int(ackR.Fd()), int(cmdW.Fd())
	expect := func(want byte, timeout time.Duration) error {
		b, err := readByte(ack, timeout)
		if err != nil {
			return fmt.Errorf("storm helper: waiting for %q: %w (init %s)", want, err, stateOf(p))
		}
		if b != want {
			return fmt.Errorf("storm helper: got %q, want %q", b, want)
		}
		return nil
	}
	if err := expect('S', 10*time.Second); err != nil {
		return stormResult{}, err
	}
	// With an init, the helper is its only child; without one, the helper
	// is PID 1 and the orphans come to it.
	helperPID, reaper := p.pid, p.pid
	if in.path != "" {
		kids, err := childrenOf(p.pid)
		if err != nil {
			return stormResult{}, err
		}
		if len(kids) != 1 {
			return stormResult{}, fmt.Errorf("init has %d children before the storm, want 1 (the helper)", len(kids))
		}
		helperPID = kids[0].pid
	}
	if _, err := syscall.Write(cmd, []byte{'x'}); err != nil {
		return stormResult{}, err
	}
	if err := expect('R', 60*time.Second); err != nil {
		return stormResult{}, err
	}
	var orphans []int
	if zombie {
		// The spawner's children, once all are zombies.
		kids, err := childrenOf(helperPID)
		if err != nil {
			return stormResult{}, err
		}
		if len(kids) != 1 {
			return stormResult{}, fmt.Errorf("helper has %d children, want 1 (the spawner)", len(kids))
		}
		if orphans, err = waitZombies(kids[0].pid, cfg.orphans, 60*time.Second); err != nil {
			return stormResult{}, err
		}
	} else {
		kids, err := childrenOf(reaper)
		if err != nil {
			return stormResult{}, err
		}
		for _, k := range kids {
			if k.pid != helperPID {
				orphans = append(orphans, k.pid)
			}
		}
		if len(orphans) != cfg.orphans {
			return stormResult{}, fmt.Errorf("%d orphans re-parented to the init, want %d", len(orphans), cfg.orphans)
		}
	}
	// Let the kernel finish with the forks (and the previous storm)
	// before the release.
	time.Sleep(cfg.stormSettle)
	cpu0, err := cpuTime(reaper)
	if err != nil {
		return stormResult{}, err
	}
	t0 := time.Now()
	if _, err := syscall.Write(cmd, []byte{'x'}); err != nil {
		return stormResult{}, err
	}
	deadline := t0.Add(30 * time.Second)
	var end time.Time
	for {
		for len(orphans) > 0 && syscall.Kill(orphans[0], 0) == syscall.ESRCH {
			orphans = orphans[1:]
		}
		if len(orphans) == 0 {
			end = time.Now()
			break
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(cfg.pollEvery)
	}
	if err := expect('G', 5*time.Second); err != nil {
		return stormResult{}, err
	}
	cpu1, err := cpuTime(reaper)
	if err != nil {
		return stormResult{}, err
	}
	// Whatever is left: the init's children other than the helper.
	kids, err := childrenOf(reaper)
	if err != nil {
		return stormResult{}, err
	}
	z := 0
	for _, k := range kids {
		if k.pid != helperPID && k.state == 'Z' {
			z++
		}
	}
	if end.IsZero() {
		return stormResult{zombies: z}, fmt.Errorf("%d orphans not reaped after 30 s (%d zombies)", len(orphans), z)
	}
	return stormResult{wall: end.Sub(t0), cpu: cpu1 - cpu0, zombies: z}, nil
}

// waitZombies waits until pid has n children, all zombies, and returns them.
func waitZombies(pid, n int, timeout time.Duration) ([]int, error) {
	deadline := time.Now().Add(timeout)
	for {
		kids, err := childrenOf(pid)
		if err != nil {
			return nil, err
		}
		var zs []int
		for _, k := range kids {
			if k.state == 'Z' {
				zs = append(zs, k.pid)
			}
		}
		if len(zs) == n {
			return zs, nil
		}
		if len(kids) > n || time.Now().After(deadline) {
			return nil, fmt.Errorf("spawner has %d children, %d of them zombies, want %d zombies", len(kids), len(zs), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func stateOf(p *proc) string {
	if p.running() {
		return "running"
	}
	return p.describe()
}

// measureSignal times kill(init, SIGUSR1) to the helper's ack, one signal
// at a time, each init PID 1 of a new PID namespace. Every init runs at
// once and the signals go round them in turn, so that whatever else the
// machine does falls on all of them alike.
func measureSignal(cfg config, inits []initSpec) result {
	p50 := newRow("signal forwarding latency, p50", "µs", 1)
	p99 := newRow("signal forwarding latency, p99", "µs", 1)
	var g group
	defer g.kill()
	type target struct {
		in  initSpec
		p   *proc
		ack *os.File
		lat []time.Duration
		err error
	}
	var targets []*target
	for _, in := range inits {
		t := &target{in: in}
		t.p, t.ack, t.err = startSignalHelper(cfg, &g, in)
		if t.ack != nil {
			defer t.ack.Close()
		}
		targets = append(targets, t)
	}
	time.Sleep(cfg.settle)
	const warmup = 20
	for i := 0; i < cfg.sigSamples+warmup; i++ {
		for _, t := range targets {
			if t.err != nil {
				continue
			}
			t0 := time.Now()
			if err := syscall.Kill(t.p.pid, syscall.SIGUSR1); err != nil {
				t.err = err
				continue
			}
			if _, err := readByte(int(t.ack.Fd()), 5*time.Second); err != nil {
				t.err = fmt.Errorf("signal %d not forwarded: %v (init %s)", i, err, stateOf(t.p))
				continue
			}
			if i >= warmup {
				t.lat = append(t.lat, time.Since(t0))
			}
			time.Sleep(cfg.sampleJitter)
		}
	}
	for _, t := range targets {
		if t.err != nil {
			p50.fail(t.in.name, t.err)
			p99.fail(t.in.name, t.err)
			continue
		}
		p50.set(t.in.name, median(us(t.lat)))
		p99.set(t.in.name, percentile(us(t.lat), 99))
	}
	return result{rows: []*row{p50, p99}, notes: []string{fmt.Sprintf(
		"signal: %d sequential SIGUSR1 per init (after 20 unrecorded), %v apart, going round the inits in turn, from kill(2) on the init to reading the byte a Go child (os/signal) writes to a pipe on each signal; includes the child's own Go signal delivery, the same for every init",
		cfg.sigSamples, cfg.sampleJitter)}}
}

// startSignalHelper starts INIT -- bench __helper sig and waits until the
// helper handles SIGUSR1; it returns the read end of the ack pipe.
func startSignalHelper(cfg config, g *group, in initSpec) (*proc, *os.File, error) {
	ackR, ackW, err := pipe()
	if err != nil {
		return nil, nil, err
	}
	p, err := g.spawn(in.argv(cfg.self, helperArg, "sig"), spawnOpts{newPID: true, extra: []*os.File{ackW}})
	ackW.Close()
	if err != nil {
		ackR.Close()
		return nil, nil, err
	}
	if b, err := readByte(int(ackR.Fd()), 10*time.Second); err != nil || b != 'R' {
		ackR.Close()
		return nil, nil, fmt.Errorf("signal helper not ready: %v (init %s)", err, stateOf(p))
	}
	return p, ackR, nil
}

// measureStop times the init's exit after its only process is killed:
// kill(child, SIGKILL) to wait4 returning for the init, against a bare
// `sleep` (PID 1 of its own namespace) killed the same way.
func measureStop(cfg config, inits []initSpec) result {
	lat := newRow("stop: last process's exit to the init's exit", "ms", 3)
	over := newRow("stop overhead over a bare process", "ms", 3)
	all := append([]initSpec{bare}, inits...)
	times := map[string][]time.Duration{}
	errs := map[string]error{}
	for i := 0; i < cfg.stopRuns; i++ {
		for _, in := range all {
			if errs[in.name] != nil {
				continue
			}
			d, err := stopOnce(cfg, in)
			if err != nil {
				errs[in.name] = err
				continue
			}
			times[in.name] = append(times[in.name], d)
		}
	}
	base := median(ms(times[bare.name]))
	for _, in := range inits {
		if err := errs[in.name]; err != nil {
			lat.fail(in.name, err)
			over.fail(in.name, err)
			continue
		}
		m := median(ms(times[in.name]))
		lat.set(in.name, m)
		over.set(in.name, m-base)
	}
	res := result{rows: []*row{lat, over}}
	if err := errs[bare.name]; err != nil {
		res.notes = append(res.notes, "bare stop failed: "+err.Error())
	}
	res.notes = append(res.notes, fmt.Sprintf(
		"stop: median of %d runs; INIT -- sleep 1000 as PID 1 of a new PID namespace, SIGKILL to the sleep by pid, time until wait4 returns for the init; bare `sleep` killed the same way: %.3f ms",
		cfg.stopRuns, base))
	return res
}

func stopOnce(cfg config, in initSpec) (time.Duration, error) {
	var g group
	defer g.kill()
	p, err := g.spawn(in.argv(cfg.sleepBin, "1000"), spawnOpts{newPID: true})
	if err != nil {
		return 0, err
	}
	target := p.pid
	if in.path != "" {
		if target, err = waitChild(p, "sleep", 5*time.Second); err != nil {
			return 0, err
		}
	} else if err := waitExec(p.pid, "sleep", 5*time.Second); err != nil {
		return 0, err
	}
	time.Sleep(20 * time.Millisecond)
	if !p.running() {
		return 0, fmt.Errorf("init exited early: %s", p.describe())
	}
	t0 := time.Now()
	if err := syscall.Kill(target, syscall.SIGKILL); err != nil {
		return 0, err
	}
	if _, err := p.wait(10 * time.Second); err != nil {
		return 0, fmt.Errorf("init did not exit after its child: %w", err)
	}
	return p.end.Sub(t0), nil
}

// waitExec polls until pid runs comm.
func waitExec(pid int, comm string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		if st, err := readStat(pid); err == nil && st.comm == comm {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("pid %d is not running %s after %v", pid, comm, timeout)
		}
		time.Sleep(time.Millisecond)
	}
}

// measureThroughput compares pidone --procfile, with one process writing
// cfg.genBytes of 100-byte lines, with the same generator piped into cat,
// both into a file.
func measureThroughput(cfg config, pidone initSpec) (string, []string, error) {
	var notes []string
	pf := filepath.Join(cfg.tmp, "Procfile")
	line := fmt.Sprintf("gen: '%s' %s gen %d\n", cfg.self, helperArg, cfg.genBytes)
	if err := os.WriteFile(pf, []byte(line), 0o644); err != nil {
		return "", nil, err
	}
	out := filepath.Join(cfg.tmp, "out")
	defer os.Remove(out)
	var catT, pidT []float64
	var pidErr error
	lines := cfg.genBytes / 100
	for i := 0; i < cfg.genRuns; i++ {
		d, err := throughputCat(cfg, out)
		if err != nil {
			return "", nil, fmt.Errorf("generator | cat: %w", err)
		}
		if size := fileSize(out); size != lines*100 {
			return "", nil, fmt.Errorf("generator | cat wrote %d bytes, want %d", size, lines*100)
		}
		catT = append(catT, d.Seconds())
		if pidErr != nil {
			continue
		}
		d, err = throughputPidone(cfg, pidone, pf, out)
		if err == nil {
			err = checkPrefixed(out, lines)
		}
		if err != nil {
			pidErr = err
			continue
		}
		pidT = append(pidT, d.Seconds())
	}
	mb := float64(lines*100) / 1e6
	catRate := mb / median(catT)
	var b strings.Builder
	fmt.Fprintf(&b, "| %d MB of 100-byte lines into a file | MB/s | ratio |\n|---|---:|---:|\n", int64(mb))
	fmt.Fprintf(&b, "| generator \\| cat | %s | 1.00× |\n", formatNum(catRate, 0))
	if pidErr != nil {
		fmt.Fprintf(&b, "| pidone --procfile (prefixed) | n/a | n/a |\n")
		notes = append(notes, "throughput: pidone --procfile failed: "+pidErr.Error())
	} else {
		rate := mb / median(pidT)
		fmt.Fprintf(&b, "| pidone --procfile (prefixed) | %s | %.2f× |\n", formatNum(rate, 0), rate/catRate)
	}
	notes = append(notes, fmt.Sprintf(
		"throughput: median of %d runs each, alternating; MB/s counts the generator's bytes (%d lines) over the wall time from start to the last exit; pidone runs as PID 1 of a new PID namespace and its output (with the name prefix) is checked line by line; files in %s",
		cfg.genRuns, lines, os.TempDir()))
	return b.String(), notes, nil
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return -1
	}
	return st.Size()
}

func throughputCat(cfg config, out string) (time.Duration, error) {
	f, err := os.Create(out)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r, w, err := pipe()
	if err != nil {
		return 0, err
	}
	var g group
	defer g.kill()
	t0 := time.Now()
	cat, err := g.spawn([]string{cfg.catBin}, spawnOpts{stdin: r, stdout: f})
	r.Close()
	if err != nil {
		w.Close()
		return 0, err
	}
	gen, err := g.spawn([]string{cfg.self, helperArg, "gen", fmt.Sprint(cfg.genBytes)}, spawnOpts{stdout: w})
	w.Close()
	if err != nil {
		return 0, err
	}
	for _, p := range []*proc{gen, cat} {
		if _, err := p.wait(5 * time.Minute); err != nil {
			return 0, err
		}
		if !p.status.Exited() || p.status.ExitStatus() != 0 {
			return 0, errors.New(p.describe())
		}
	}
	return cat.end.Sub(t0), nil
}

func throughputPidone(cfg config, pidone initSpec, procfile, out string) (time.Duration, error) {
	f, err := os.Create(out)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	errf, err := os.CreateTemp(cfg.tmp, "stderr-")
	if err != nil {
		return 0, err
	}
	defer os.Remove(errf.Name())
	defer errf.Close()
	var g group
	defer g.kill()
	p, err := g.spawn([]string{pidone.path, "--procfile", procfile}, spawnOpts{newPID: true, stdout: f, stderr: errf})
	if err != nil {
		return 0, err
	}
	d, err := p.wait(5 * time.Minute)
	if err != nil {
		return 0, err
	}
	if !p.status.Exited() || p.status.ExitStatus() != 0 {
		msg, _ := os.ReadFile(errf.Name())
		return 0, fmt.Errorf("%s: %s", p.describe(), firstLines(strings.TrimSpace(string(msg)), 3))
	}
	return d, nil
}

// checkPrefixed checks that out holds exactly lines lines of 99 'x' after
// one and the same prefix.
func checkPrefixed(out string, lines int64) error {
	f, err := os.Open(out)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	body := bytes.Repeat([]byte{'x'}, 99)
	var prefix []byte
	var n int64
	for sc.Scan() {
		l := sc.Bytes()
		if !bytes.HasSuffix(l, body) {
			return fmt.Errorf("line %d of the output is not a generated line: %.60q", n+1, l)
		}
		p := l[:len(l)-99]
		if prefix == nil {
			prefix = append([]byte{}, p...)
		} else if !bytes.Equal(p, prefix) {
			return fmt.Errorf("line %d has prefix %q, line 1 %q", n+1, p, prefix)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if n != lines {
		return fmt.Errorf("%d lines in the output, want %d", n, lines)
	}
	return nil
}
