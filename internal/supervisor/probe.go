package supervisor

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/pidone/pidone/internal/launch"
	"golang.org/x/sys/unix"
)

// Readiness checks. Polled ones (tcp, file, exec) run once per Probe, in
// the background, and report on the events channel; log and notify
// report the moment the process says it is ready.

const (
	// dialTimeout bounds one connection attempt of a tcp check.
	dialTimeout = time.Second
	// execTimeout bounds one run of an exec check; it is killed after.
	execTimeout = 10 * time.Second
)

// Probe runs one check of p's current run.
func (w *osWorld) Probe(p *Process) {
	run, c := p.Run, p.Ready
	switch c.Kind {
	case CheckTCP:
		go func() {
			ok := false
			for _, addr := range c.Addrs {
				if conn, err := net.DialTimeout("tcp", addr, dialTimeout); err == nil {
					conn.Close()
					ok = true
					break
				}
			}
			w.events <- event{kind: evProbed, p: p, run: run, ok: ok}
		}()
	case CheckFile:
		_, err := os.Stat(c.Path)
		go func() { w.events <- event{kind: evProbed, p: p, run: run, ok: err == nil} }()
	case CheckExec:
		w.probeExec(p, run)
	}
}

// probeExec starts the check's command as p's user, in p's directory and
// environment, with no output. Its exit is reaped like any child's and
// handed back by the loop (execDone).
func (w *osWorld) probeExec(p *Process, run int) {
	c := &launch.Cmd{Name: p.Name + " readiness check", Argv: p.Ready.Argv, Env: p.Ready.Env, Dir: p.Dir, Cred: p.Cred,
		Stdin: w.devNull, Stdout: w.devNull, Stderr: w.devNull}
	pid, err := launch.Start(c)
	if err != nil {
		w.log.Warn("cannot run readiness check", "name", p.Name, "err", err)
		go func() { w.events <- event{kind: evProbed, p: p, run: run, ok: false} }()
		return
	}
	w.probes[pid] = probeRun{p, run}
	t := time.AfterFunc(execTimeout, func() { w.events <- event{kind: evProbeTimeout, pid: pid} })
	w.cancel[p] = t.Stop
}

// execDone takes the exit of an exec check, if pid is one.
func (w *osWorld) execDone(pid int, ws unix.WaitStatus) (probeRun, bool, bool) {
	pr, ok := w.probes[pid]
	if !ok {
		return probeRun{}, false, false
	}
	delete(w.probes, pid)
	if stop := w.cancel[pr.p]; stop != nil {
		stop()
		delete(w.cancel, pr.p)
	}
	return pr, ws.Exited() && ws.ExitStatus() == 0, true
}

// killProbe ends an exec check that ran too long; it is then reaped and
// counts as a failed check.
func (w *osWorld) killProbe(pid int) {
	if _, ok := w.probes[pid]; ok {
		_ = unix.Kill(pid, unix.SIGKILL)
	}
}

// Unprobe ends what checks p: a running exec check is killed, a
// notification socket closed.
func (w *osWorld) Unprobe(p *Process) {
	for pid, pr := range w.probes {
		if pr.p == p {
			_ = unix.Kill(pid, unix.SIGKILL)
		}
	}
	if n := w.notifiers[p]; n != nil {
		n.close()
		delete(w.notifiers, p)
	}
}

// logMatcher returns the line watcher of a log check for run: it reports
// once, at the first line that contains the text.
func (w *osWorld) logMatcher(p *Process, run int) func([]byte) bool {
	text := []byte(p.Ready.Text)
	return func(line []byte) bool {
		if !bytes.Contains(line, text) {
			return false
		}
		w.events <- event{kind: evProbed, p: p, run: run, ok: true}
		return true
	}
}

// notifier is the sd_notify socket of one run of a process.
type notifier struct {
	name string // as NOTIFY_SOCKET says it: "@" for the abstract namespace
	conn *net.UnixConn
}

// listenNotify makes the socket a notify check listens on: a datagram
// socket in the abstract namespace, so that it needs no writable file
// system. The name holds pidone's pid and the process's name and run, so
// that two pidones never share one.
func (w *osWorld) listenNotify(p *Process, run int) (*notifier, error) {
	name := fmt.Sprintf("@pidone-notify/%d/%d/%s/%d", w.self, time.Now().UnixNano(), p.Name, run)
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		return nil, fmt.Errorf("create the notification socket of %s: %w", p.Name, err)
	}
	n := &notifier{name: name, conn: conn}
	go n.read(p, run, w.events)
	return n, nil
}

// read waits, in Go's poller, for READY=1 among the datagrams; the
// protocol's other messages (STATUS=, MAINPID=, WATCHDOG=) are ignored.
// Once ready, the socket is closed: later messages then fail at once
// (sd_notify ignores that) instead of waking pidone or, once its buffer is
// full, blocking the sender.
func (n *notifier) read(p *Process, run int, events chan<- event) {
	defer n.close()
	buf := make([]byte, 4096)
	for {
		k, err := n.conn.Read(buf)
		if err != nil {
			return
		}
		for _, line := range strings.Split(string(buf[:k]), "\n") {
			if line == "READY=1" {
				events <- event{kind: evProbed, p: p, run: run, ok: true}
				return
			}
		}
	}
}

func (n *notifier) close() { n.conn.Close() }
