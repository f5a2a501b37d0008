package main

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// servicesProcfile is bench/services.Procfile, kept as a file of its own
// so that it reads as a Procfile.
//
//go:embed services.Procfile
var servicesProcfile []byte

// measureServices runs pidone on services.Procfile, PID 1 of a new PID
// namespace, and once every readiness check has passed counts its context
// switches and CPU time over cfg.idle: once a service is ready nothing
// should poll. A pidone that rejects the Procfile (status 2) gets n/a and
// the first line it wrote on stderr.
func measureServices(cfg config, pidone string) result {
	cs := newRow(fmt.Sprintf("idle with services (every readiness check, after, oneshot), once ready: context switches in %v", cfg.idle), "", 0)
	cpu := newRow(fmt.Sprintf("idle with services, once ready: CPU time in %v", cfg.idle), "µs", 0)
	note := fmt.Sprintf("idle with services: pidone --procfile bench/services.Procfile (a tcp, file, log, exec and notify check, a one-shot, PIDONE_AFTER), PID 1 of a new PID namespace; from %v after its last process (started after all the checks passed) has run, voluntary + nonvoluntary switches and time on CPU (schedstat) over all of pidone's threads, over %v", cfg.settle, cfg.idle)
	res := result{rows: []*row{cs, cpu}, notes: []string{note}}
	fail := func(err error) result {
		cs.fail("pidone", err)
		cpu.fail("pidone", err)
		return res
	}

	dir, err := os.MkdirTemp(cfg.tmp, "services-")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(dir)
	pf := filepath.Join(dir, "services.Procfile")
	if err := os.WriteFile(pf, servicesProcfile, 0o644); err != nil {
		return fail(err)
	}
	port, err := freePort()
	if err != nil {
		return fail(err)
	}
	up, err := newUpPipe(dir)
	if err != nil {
		return fail(err)
	}
	defer up.close()
	errPath := filepath.Join(dir, "stderr")
	errf, err := os.Create(errPath)
	if err != nil {
		return fail(err)
	}
	defer errf.Close()

	var g group
	defer g.kill()
	env := append(up.env(cfg.sleepBin), "BENCH="+cfg.self, "BENCH_DIR="+dir, "BENCH_PORT="+strconv.Itoa(port))
	p, err := g.spawn([]string{pidone, "--procfile", pf}, spawnOpts{newPID: true, stderr: errf, env: env})
	if err != nil {
		return fail(err)
	}
	if _, err := up.wait(1, p, cfg.multiWait); err != nil {
		b, _ := os.ReadFile(errPath)
		first, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
		if !p.running() && p.status.Exited() && p.status.ExitStatus() == 2 {
			return fail(fmt.Errorf("pidone rejected the Procfile (exit status 2): %s", first))
		}
		return fail(fmt.Errorf("not every service ready: %w; stderr: %s", err, first))
	}
	time.Sleep(cfg.settle)
	cs0, cpu0, err := activity([]int{p.pid})
	if err != nil {
		return fail(err)
	}
	cfg.progress("services idle period: %v", cfg.idle)
	time.Sleep(cfg.idle)
	cs1, cpu1, err := activity([]int{p.pid})
	if err == nil && !p.running() {
		err = errors.New("pidone exited during the idle period: " + p.describe())
	}
	if err != nil {
		return fail(err)
	}
	cs.set("pidone", float64(cs1-cs0))
	cpu.set("pidone", float64(cpu1-cpu0)/float64(time.Microsecond))
	return res
}

// freePort asks the kernel for a TCP port on 127.0.0.1 that is free now.
func freePort() (int, error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, fmt.Errorf("socket: %w", err)
	}
	defer unix.Close(fd)
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		return 0, fmt.Errorf("bind: %w", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return 0, fmt.Errorf("getsockname: %w", err)
	}
	in, ok := sa.(*unix.SockaddrInet4)
	if !ok {
		return 0, fmt.Errorf("getsockname: %T", sa)
	}
	return in.Port, nil
}
