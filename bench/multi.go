package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// supervisor is a multi-process supervisor under test: pidone --procfile,
// supervisord or s6-svscan.
type supervisor struct {
	name string
	path string
	peer bool
	// aide is the command name of the supervisor's own children that
	// supervise too and count with it (s6-supervise, one per service);
	// empty when the supervisor is one process.
	aide string
	// config writes into dir the configuration of n processes, each
	// running self as helper "up", and returns the command line that runs
	// the supervisor on it.
	config func(path, dir, self string, n int) ([]string, error)
}

// discoverSupervisors returns pidone and the supervisors found, with a
// note for each one missing.
func discoverSupervisors(pidone string) ([]supervisor, []string) {
	var found []supervisor
	var notes []string
	if p, ok := findBinary("supervisord"); ok {
		found = append(found, supervisor{name: "supervisord", path: p, peer: true, config: supervisordConfig})
	} else {
		notes = append(notes, "multi-process: supervisord not found: skipped (apt-get install -y supervisor)")
	}
	p, ok := findBinary("s6-svscan")
	_, sup := findBinary("s6-supervise")
	if ok && sup {
		found = append(found, supervisor{name: "s6-svscan", path: p, peer: true, aide: "s6-supervise", config: s6Config})
	} else {
		notes = append(notes, "multi-process: s6-svscan or s6-supervise not found: skipped (apt-get install -y s6)")
	}
	found = append(found, supervisor{name: "pidone", path: pidone, config: procfileConfig})
	return found, notes
}

// procName is the name of the i-th process in every configuration.
func procName(i int) string { return fmt.Sprintf("p%02d", i+1) }

// procfileConfig writes a Procfile of n lines.
func procfileConfig(path, dir, self string, n int) ([]string, error) {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%s: '%s' %s up\n", procName(i), self, helperArg)
	}
	pf := filepath.Join(dir, "Procfile")
	if err := os.WriteFile(pf, []byte(b.String()), 0o644); err != nil {
		return nil, fmt.Errorf("write the Procfile: %w", err)
	}
	return []string{path, "--procfile", pf}, nil
}

// supervisordConfig writes a supervisord.conf with n programs, in the
// foreground, its own log discarded, the programs' output read and
// dropped (as pidone reads and prefixes it), none restarted.
func supervisordConfig(path, dir, self string, n int) ([]string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "[supervisord]\nnodaemon=true\nlogfile=/dev/null\nlogfile_maxbytes=0\npidfile=%s\nchildlogdir=%s\nuser=root\n",
		filepath.Join(dir, "supervisord.pid"), dir)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\n[program:%s]\ncommand=%s %s up\nautorestart=false\nstdout_logfile=NONE\nstderr_logfile=NONE\n",
			procName(i), self, helperArg)
	}
	conf := filepath.Join(dir, "supervisord.conf")
	if err := os.WriteFile(conf, []byte(b.String()), 0o644); err != nil {
		return nil, fmt.Errorf("write supervisord.conf: %w", err)
	}
	return []string{path, "-n", "-c", conf}, nil
}

// s6Config writes a scan directory of n service directories. Each run is
// a symbolic link to the bench binary, which run as "run" is the helper:
// s6-supervise then executes the process directly, as supervisord and
// pidone do, where a "#!/bin/sh" run script would add a shell's start to
// every s6 service.
func s6Config(path, dir, self string, n int) ([]string, error) {
	scan := filepath.Join(dir, "scan")
	for i := 0; i < n; i++ {
		svc := filepath.Join(scan, procName(i))
		if err := os.MkdirAll(svc, 0o755); err != nil {
			return nil, fmt.Errorf("service directory: %w", err)
		}
		if err := os.Symlink(self, filepath.Join(svc, "run")); err != nil {
			return nil, fmt.Errorf("run link: %w", err)
		}
	}
	return []string{path, scan}, nil
}

// upPipe is the FIFO the processes of one supervisor report on.
type upPipe struct {
	path string
	f    *os.File
}

// newUpPipe makes dir/up and holds it open for reading and writing, so
// that neither side's open blocks and a read never sees end-of-file.
func newUpPipe(dir string) (*upPipe, error) {
	path := filepath.Join(dir, "up")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		return nil, fmt.Errorf("mkfifo: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &upPipe{path: path, f: f}, nil
}

// env is what the processes need to report on this pipe.
func (u *upPipe) env(sleepBin string) []string {
	return []string{upFIFOEnv + "=" + u.path, upExecEnv + "=" + sleepBin}
}

// wait reads n bytes, one per process, and returns when the last one came;
// an error if p, the supervisor, exits first or timeout passes.
func (u *upPipe) wait(n int, p *proc, timeout time.Duration) (time.Time, error) {
	deadline := time.Now().Add(timeout)
	buf := make([]byte, n)
	got := 0
	for got < n {
		if !p.running() {
			return time.Time{}, fmt.Errorf("exited (%s) with %d of %d processes running", p.describe(), got, n)
		}
		if time.Now().After(deadline) {
			return time.Time{}, fmt.Errorf("%d of %d processes running after %v", got, n, timeout)
		}
		ready, err := pollIn(int(u.f.Fd()), 50*time.Millisecond)
		if err != nil {
			return time.Time{}, err
		}
		if !ready {
			continue
		}
		m, err := syscall.Read(int(u.f.Fd()), buf[:n-got])
		if err != nil && err != syscall.EINTR {
			return time.Time{}, fmt.Errorf("read %s: %w", u.path, err)
		}
		got += max(m, 0)
	}
	return time.Now(), nil
}

func (u *upPipe) close() { u.f.Close() }

// supervised is one running supervisor with its processes up.
type supervised struct {
	sup  supervisor
	p    *proc
	up   time.Duration // start to the last process's byte
	errf string        // the supervisor's stderr; its directory, under cfg.tmp, goes with it
}

// startSupervisor starts sup, PID 1 of a new PID namespace, on n processes
// and waits until all of them run.
func startSupervisor(cfg config, g *group, sup supervisor, n int) (*supervised, error) {
	dir, err := os.MkdirTemp(cfg.tmp, sup.name+"-")
	if err != nil {
		return nil, err
	}
	argv, err := sup.config(sup.path, dir, cfg.self, n)
	if err != nil {
		return nil, err
	}
	up, err := newUpPipe(dir)
	if err != nil {
		return nil, err
	}
	defer up.close()
	errPath := filepath.Join(dir, "stderr")
	errf, err := os.Create(errPath)
	if err != nil {
		return nil, err
	}
	defer errf.Close()
	p, err := g.spawn(argv, spawnOpts{newPID: true, stderr: errf, env: up.env(cfg.sleepBin)})
	if err != nil {
		return nil, err
	}
	s := &supervised{sup: sup, p: p, errf: errPath}
	end, err := up.wait(n, p, cfg.multiWait)
	if err != nil {
		return nil, fmt.Errorf("%s: %w%s", sup.name, err, s.stderr())
	}
	s.up = end.Sub(p.start)
	return s, nil
}

// stderr quotes the first lines the supervisor wrote on stderr.
func (s *supervised) stderr() string {
	b, _ := os.ReadFile(s.errf)
	if t := strings.TrimSpace(string(b)); t != "" {
		return ": " + firstLines(t, 2)
	}
	return ""
}

// pids are the supervising processes: the supervisor and its aides.
func (s *supervised) pids(n int) ([]int, error) {
	pids := []int{s.p.pid}
	if s.sup.aide == "" {
		return pids, nil
	}
	kids, err := childrenOf(s.p.pid)
	if err != nil {
		return nil, err
	}
	for _, k := range kids {
		if k.comm == s.sup.aide {
			pids = append(pids, k.pid)
		}
	}
	if len(pids) != n+1 {
		return nil, fmt.Errorf("%s has %d %s children, want %d", s.sup.name, len(pids)-1, s.sup.aide, n)
	}
	return pids, nil
}

// memory sums VmRSS and Pss over the supervising processes, in kB.
func (s *supervised) memory(n int) (rss, pss float64, err error) {
	pids, err := s.pids(n)
	if err != nil {
		return 0, 0, err
	}
	for _, pid := range pids {
		st, err := statusFields(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			return 0, 0, err
		}
		r, err := kB(st["VmRSS"])
		if err != nil {
			return 0, 0, fmt.Errorf("pid %d VmRSS: %w", pid, err)
		}
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
		if err != nil {
			return 0, 0, err
		}
		p, err := kB(parseKV(b)["Pss"])
		if err != nil {
			return 0, 0, fmt.Errorf("pid %d Pss: %w", pid, err)
		}
		rss, pss = rss+r, pss+p
	}
	return rss, pss, nil
}

// activity sums context switches and CPU time over every thread of the
// supervising processes.
func activity(pids []int) (uint64, time.Duration, error) {
	var cs uint64
	var cpu time.Duration
	for _, pid := range pids {
		n, err := ctxSwitches(pid)
		if err != nil {
			return 0, 0, err
		}
		t, err := cpuTime(pid)
		if err != nil {
			return 0, 0, err
		}
		cs, cpu = cs+n, cpu+t
	}
	return cs, cpu, nil
}

// stop sends SIGTERM to the supervisor and returns the time until it has
// exited. The supervisor is PID 1 of its namespace, so wait4 returns for it
// only once every process of the namespace is gone: all n of them.
func (s *supervised) stop(timeout time.Duration) (time.Duration, error) {
	t0 := time.Now()
	if err := syscall.Kill(s.p.pid, syscall.SIGTERM); err != nil {
		return 0, fmt.Errorf("SIGTERM: %w", err)
	}
	if _, err := s.p.wait(timeout); err != nil {
		return 0, fmt.Errorf("%s still running %v after SIGTERM: %w", s.sup.name, timeout, err)
	}
	return s.p.end.Sub(t0), nil
}

// measureMulti runs n processes under each supervisor, cfg.multiRuns times
// in rounds, and times the start until all run, reads the memory of the
// supervising side, and times the stop on SIGTERM; then it counts the
// wake-ups of every supervisor over one idle period, all at once.
func measureMulti(cfg config, sups []supervisor) result {
	n := cfg.multiProcs
	start := newRow(fmt.Sprintf("start: until all %d processes run", n), "ms", 1)
	rss := newRow("memory: RSS of the supervising processes, summed", "kB", 0)
	pss := newRow("memory: Pss of the supervising processes, summed", "kB", 0)
	stop := newRow(fmt.Sprintf("stop: SIGTERM until the supervisor and all %d are gone", n), "ms", 1)
	rows := []*row{start, rss, pss, stop}

	type series struct{ start, rss, pss, stop []float64 }
	got := map[string]*series{}
	errs := map[string]error{}
	status := map[string]string{}
	for i := 0; i < cfg.multiRuns; i++ {
		for _, sup := range sups {
			if errs[sup.name] != nil {
				continue
			}
			s := got[sup.name]
			if s == nil {
				s = &series{}
				got[sup.name] = s
			}
			err := func() error {
				var g group
				defer g.kill()
				sv, err := startSupervisor(cfg, &g, sup, n)
				if err != nil {
					return err
				}
				time.Sleep(cfg.settle)
				r, p, err := sv.memory(n)
				if err != nil {
					return err
				}
				d, err := sv.stop(cfg.multiWait)
				if err != nil {
					return err
				}
				s.start = append(s.start, float64(sv.up)/float64(time.Millisecond))
				s.rss, s.pss = append(s.rss, r), append(s.pss, p)
				s.stop = append(s.stop, float64(d)/float64(time.Millisecond))
				status[sup.name] = sv.p.describe()
				return nil
			}()
			if err != nil {
				errs[sup.name] = err
			}
		}
	}
	var notes []string
	for _, sup := range sups {
		if err := errs[sup.name]; err != nil {
			for _, r := range rows {
				r.fail(sup.name, err)
			}
			continue
		}
		s := got[sup.name]
		start.set(sup.name, median(s.start))
		rss.set(sup.name, median(s.rss))
		pss.set(sup.name, median(s.pss))
		stop.set(sup.name, median(s.stop))
		notes = append(notes, fmt.Sprintf("multi-process %s: start, ms: %s; stop, ms: %s; exit after SIGTERM: %s",
			sup.name, joinFloats(s.start, 1), joinFloats(s.stop, 1), status[sup.name]))
	}
	cs, cpu, idleNotes := multiIdle(cfg, sups)
	rows = append(rows, cs, cpu)
	notes = append([]string{fmt.Sprintf(
		"multi-process: each supervisor is PID 1 of a new PID namespace and runs %d processes from one configuration (pidone: a Procfile of %d lines; supervisord: a supervisord.conf of %d [program:x], -n, no restarts, output read and dropped; s6-svscan: a scan directory of %d services whose run is a link to the helper); each process is the bench's helper, which writes a byte to a FIFO and executes `sleep`, so every supervisor watches a `sleep` that dies of SIGTERM. Start: from the fork of the supervisor to the %dth byte. Memory, %v later: VmRSS and Pss summed over the supervising processes (pidone; supervisord's python; s6-svscan and its %d s6-supervise). Stop: SIGTERM to the supervisor (for s6 that is how a container stops it: s6-svscan takes SIGTERM as `s6-svscanctl -t`, and waits for its s6-supervise processes, which stop their services with SIGTERM) until wait4 returns for it, which as PID 1 is once every process of its namespace is gone. Median of %d runs, in rounds; waits bounded by %v",
		n, n, n, n, n, cfg.settle, n, cfg.multiRuns, cfg.multiWait)}, notes...)
	notes = append(notes, idleNotes...)
	return result{rows: rows, notes: notes}
}

// multiIdle runs every supervisor at once and counts the context switches
// and CPU time of its supervising processes over cfg.idle.
func multiIdle(cfg config, sups []supervisor) (*row, *row, []string) {
	n := cfg.multiProcs
	cs := newRow(fmt.Sprintf("idle: context switches in %v, all supervising processes", cfg.idle), "", 0)
	cpu := newRow(fmt.Sprintf("idle: CPU time in %v, all supervising processes", cfg.idle), "µs", 0)
	var g group
	defer g.kill()
	type running struct {
		sv   *supervised
		pids []int
		cs   uint64
		cpu  time.Duration
	}
	var all []*running
	for _, sup := range sups {
		sv, err := startSupervisor(cfg, &g, sup, n)
		if err != nil {
			cs.fail(sup.name, err)
			cpu.fail(sup.name, err)
			continue
		}
		all = append(all, &running{sv: sv})
	}
	time.Sleep(cfg.settle)
	var live []*running
	for _, r := range all {
		var err error
		if r.pids, err = r.sv.pids(n); err == nil {
			r.cs, r.cpu, err = activity(r.pids)
		}
		if err != nil {
			cs.fail(r.sv.sup.name, err)
			cpu.fail(r.sv.sup.name, err)
			continue
		}
		live = append(live, r)
	}
	cfg.progress("multi-process idle period: %v", cfg.idle)
	time.Sleep(cfg.idle)
	for _, r := range live {
		c, t, err := activity(r.pids)
		if err == nil && !r.sv.p.running() {
			err = fmt.Errorf("exited during the idle period: %s", r.sv.p.describe())
		}
		if err != nil {
			cs.fail(r.sv.sup.name, err)
			cpu.fail(r.sv.sup.name, err)
			continue
		}
		cs.set(r.sv.sup.name, float64(c-r.cs))
		cpu.set(r.sv.sup.name, float64(t-r.cpu)/float64(time.Microsecond))
	}
	return cs, cpu, []string{fmt.Sprintf(
		"multi-process idle: every supervisor at once with its %d processes, voluntary + nonvoluntary switches and time on CPU (schedstat) summed over every thread of the supervising processes, between two reads %v apart, after %v of settling",
		n, cfg.idle, cfg.settle)}
}
