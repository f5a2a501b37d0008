package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// pty is a pseudo-terminal whose slave side becomes pidone's controlling
// terminal, as under `docker run -it`.
type pty struct {
	master, slave *os.File
	mu            sync.Mutex
	out           bytes.Buffer
}

func openPTY(t *testing.T) *pty {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlock pty: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("pty number: %v", err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open pty slave: %v", err)
	}
	p := &pty{master: m, slave: s}
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := m.Read(buf)
			p.mu.Lock()
			p.out.Write(buf[:n])
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() { s.Close(); m.Close() })
	return p
}

func (p *pty) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// foreground is the terminal's foreground process group, as the test sees it.
func (p *pty) foreground() int {
	pgrp, _ := unix.IoctlGetInt(int(p.master.Fd()), unix.TIOCGPGRP)
	return pgrp
}

// onTTY makes cmd the leader of a new session whose controlling terminal
// is p, as a terminal emulator starts a shell.
func onTTY(cmd *exec.Cmd, p *pty) {
	cmd.Stdin, cmd.Stdout, cmd.Stderr = p.slave, p.slave, p.slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
}

// startSession starts cmd as the session leader of p's terminal, and
// kills it and everything below it, by pid, when the test ends.
func startSession(t *testing.T, p *pty, cmd *exec.Cmd) {
	t.Helper()
	onTTY(cmd, p)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, pid := range descendantsOf(cmd.Process.Pid) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		cmd.Process.Kill()
		cmd.Wait()
	})
}

// startOnTTY runs pidone as the session leader of p's terminal.
func startOnTTY(t *testing.T, m mode, p *pty, args []string) *pidoneRun {
	t.Helper()
	argv := append([]string{pidoneBin}, args...)
	r := &pidoneRun{t: t, done: make(chan struct{})}
	r.cmd = newCmd(argv)
	onTTY(r.cmd, p)
	if m.pid1 {
		r.cmd.SysProcAttr.Cloneflags = syscall.CLONE_NEWPID
	}
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("start pidone: %v", err)
	}
	go func() { r.err = r.cmd.Wait(); close(r.done) }()
	t.Cleanup(r.kill)
	return r
}

// waitForeground waits until the terminal belongs to a group other than
// pidone's: the process's.
func waitForeground(t *testing.T, p *pty, r *pidoneRun) {
	t.Helper()
	waitFor(t, 5*time.Second, "the process group to own the terminal", func() bool {
		fg := p.foreground()
		return fg > 0 && fg != r.pid()
	})
}

func TestTerminalCtrlCReachesProcess(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		p := openPTY(t)
		r := startOnTTY(t, m, p, []string{"sleep", "100"})
		waitForeground(t, p, r)
		p.master.Write([]byte{3}) // ^C
		if got := r.wait(10 * time.Second); got != 130 {
			t.Errorf("status %d, want 130; terminal: %q", got, p.output())
		}
	})
}

func TestTerminalInteractiveShell(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		p := openPTY(t)
		r := startOnTTY(t, m, p, []string{"sh", "-i"})
		waitForeground(t, p, r)
		p.master.Write([]byte("read x; echo \"got:$x\"\n"))
		p.master.Write([]byte("hello\n"))
		waitFor(t, 5*time.Second, "the shell to read from the terminal", func() bool {
			return strings.Contains(p.output(), "got:hello")
		})
		p.master.Write([]byte("exit 0\n"))
		if got := r.wait(10 * time.Second); got != 0 {
			t.Errorf("status %d, want 0; terminal: %q", got, p.output())
		}
	})
}

func init() {
	// Like less on Ctrl-Z: tidy up, then put SIGTSTP back to its default
	// action and stop itself with it. signal.Reset would not do: the Go
	// runtime keeps its handler. An all-zero sigaction is SIG_DFL in every
	// architecture's layout.
	register("stop-self-on-tstp", func([]string) int {
		c := make(chan os.Signal, 1)
		signal.Notify(c, syscall.SIGTSTP)
		fmt.Println("taking ^Z")
		<-c
		var dfl [4]uint64
		if _, _, errno := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(syscall.SIGTSTP), uintptr(unsafe.Pointer(&dfl)), 0, 8, 0, 0); errno != 0 {
			fmt.Println("rt_sigaction:", errno)
			return 1
		}
		syscall.Kill(os.Getpid(), syscall.SIGTSTP)
		select {} // until ^C
	})
}

// shellJob runs an interactive shell on a new terminal, has it run pidone
// with argv in the foreground, and returns the terminal, the shell's pid,
// pidone's and that of its process, which owns the terminal.
func shellJob(t *testing.T, argv ...string) (p *pty, shell, pidone, proc int) {
	t.Helper()
	p = openPTY(t)
	sh := newCmd([]string{"sh", "-i"})
	sh.Env = append(sh.Env, "PS1=$ ", "ENV=")
	startSession(t, p, sh)
	shell = sh.Process.Pid
	waitFor(t, 5*time.Second, "the shell to own the terminal", func() bool { return p.foreground() == shell })
	quoted := make([]string, len(argv))
	for i, a := range argv {
		quoted[i] = "'" + a + "'"
	}
	p.master.Write([]byte(pidoneBin + " " + strings.Join(quoted, " ") + "\n"))
	waitFor(t, 5*time.Second, "the process to own the terminal under pidone", func() bool {
		fg := p.foreground()
		st, ok := readStat(fg)
		if !ok || fg == shell || st.Ppid == shell {
			return false
		}
		proc, pidone = fg, st.Ppid
		return true
	})
	// The child gives itself the terminal before it execs; a ^Z typed in
	// between stops it while pidone still waits for the exec (see the
	// README's limits), which is not what these tests are about.
	waitFor(t, 5*time.Second, "the process to exec", func() bool {
		exe, err1 := os.Readlink(fmt.Sprintf("/proc/%d/exe", proc))
		own, err2 := os.Readlink(fmt.Sprintf("/proc/%d/exe", pidone))
		return err1 == nil && err2 == nil && exe != own
	})
	return p, shell, pidone, proc
}

func stateIs(pid int, want byte) func() bool {
	return func() bool { st, ok := readStat(pid); return ok && st.State == want }
}

func runningAgain(pid int) func() bool {
	return func() bool { st, ok := readStat(pid); return ok && st.State != 'T' }
}

// suspendAndResume types ^Z and fg, and checks that the job stopped (pidone
// with its process, the terminal back with the shell) and runs again (the
// process owning the terminal).
func suspendAndResume(t *testing.T, p *pty, shell, pidone, proc int) {
	t.Helper()
	p.master.Write([]byte{0x1a}) // ^Z
	waitFor(t, 5*time.Second, "pidone to stop with its process", stateIs(pidone, 'T'))
	waitFor(t, 5*time.Second, "the shell to take the terminal back", func() bool { return p.foreground() == shell })
	if st, _ := readStat(proc); st.State != 'T' {
		t.Errorf("the process is %c, want stopped", st.State)
	}
	resume(t, p, pidone, proc)
}

// resume types fg, and checks that the job runs again with the process
// owning the terminal.
func resume(t *testing.T, p *pty, pidone, proc int) {
	t.Helper()
	p.master.Write([]byte("fg\n"))
	waitFor(t, 5*time.Second, "the process to run and own the terminal again", func() bool {
		return runningAgain(proc)() && p.foreground() == proc
	})
	waitFor(t, 5*time.Second, "pidone to run again", runningAgain(pidone))
}

// interruptAndCheck types ^C and checks that pidone ends with the
// process's status, 130, as the shell sees it.
func interruptAndCheck(t *testing.T, p *pty) {
	t.Helper()
	p.master.Write([]byte{3}) // ^C
	p.master.Write([]byte("echo status:$?\n"))
	waitFor(t, 10*time.Second, "pidone to end with the process's status", func() bool {
		return strings.Contains(p.output(), "status:130")
	})
}

// Ctrl-Z in an interactive shell stopped only pidone's process, which owns
// the terminal: pidone ran on, the shell waiting for it never saw the job
// stop, and the terminal was dead. pidone must stop with it, so the shell
// takes the terminal back; fg must continue both and give the process the
// terminal again, so that Ctrl-C reaches it.
func TestCtrlZInAShellStopsTheJob(t *testing.T) {
	p, shell, pidone, sleep := shellJob(t, "sleep", "100")
	suspendAndResume(t, p, shell, pidone, sleep)
	// The same with the stop sent to pidone: it forwards it and stops;
	// the report of the stop it forwarded must not stop it again after fg
	// (^C would then end sleep with pidone stopped, and no status come).
	syscall.Kill(pidone, syscall.SIGTSTP)
	waitFor(t, 5*time.Second, "pidone to stop on SIGTSTP", stateIs(pidone, 'T'))
	waitFor(t, 5*time.Second, "sleep to stop on the forwarded SIGTSTP", stateIs(sleep, 'T'))
	waitFor(t, 5*time.Second, "the shell to take the terminal back", func() bool { return p.foreground() == shell })
	resume(t, p, pidone, sleep)
	interruptAndCheck(t, p)
}

// vim and less take Ctrl-Z themselves, tidy the terminal, and then stop
// with SIGTSTP sent by themselves: the job stops all the same.
func TestCtrlZOfAProgramThatStopsItself(t *testing.T) {
	p, shell, pidone, proc := shellJob(t, helper("stop-self-on-tstp")...)
	waitFor(t, 5*time.Second, "the program to take ^Z", func() bool { return strings.Contains(p.output(), "taking ^Z") })
	suspendAndResume(t, p, shell, pidone, proc)
	interruptAndCheck(t, p)
}
