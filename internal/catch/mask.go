package catch

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"github.com/pidone/pidone/internal/signals"
	"golang.org/x/sys/unix"
)

// carryEnv names the descriptor that carries, across the re-execution of
// ClearMask, the signals that were pending when pidone started. Its value
// is "FD:INODE": the signals themselves are read from that pipe, and only
// when FD is a pipe with that inode, so a value left in the environment
// (set by a user, or inherited by a nested pidone) carries nothing.
const carryEnv = "PIDONE_INTERNAL_CARRY"

// collectWait bounds the wait for the pending signals to come out of the
// runtime once unblocked; they normally take microseconds.
const collectWait = 200 * time.Millisecond

// ClearMask makes sure pidone runs with an empty signal mask, and so do the
// processes it starts.
//
// The Go runtime restores the signal mask the program inherited in every
// child it forks, so a mask blocked by whoever started pidone would reach
// the processes. The only way to change what the runtime restores is to
// start again with an empty mask: when the inherited mask is not empty,
// ClearMask re-executes pidone with the same arguments and environment and
// does not return. Signals that were pending and blocked are received first
// (so that none of them ends pidone on the way) and carried across in a
// pipe: the new image gets them back from ClearMask, to be delivered once
// the processes exist.
//
// It must run first in main. If re-executing fails it returns the error
// and pidone goes on with the mask it has.
func ClearMask() ([]unix.Signal, error) {
	carried := takeCarried()
	var blocked unix.Sigset_t
	if err := unix.PthreadSigmask(unix.SIG_BLOCK, nil, &blocked); err != nil {
		return carried, fmt.Errorf("read the signal mask: %w", err)
	}
	if isEmpty(&blocked) {
		return carried, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return carried, fmt.Errorf("find pidone's own executable to clear the signal mask: %w", err)
	}
	// The exec must come from the thread whose mask is cleared: execve
	// keeps the calling thread's mask.
	runtime.LockOSThread()
	pending := append(carried, collectPending(&blocked)...)
	env := os.Environ()
	var carry *os.File
	if len(pending) > 0 {
		if carry, err = carryPipe(pending); err != nil {
			return pending, err
		}
		var st unix.Stat_t
		if err := unix.Fstat(int(carry.Fd()), &st); err != nil {
			return pending, fmt.Errorf("stat the carry pipe: %w", err)
		}
		env = append(env, fmt.Sprintf("%s=%d:%d", carryEnv, carry.Fd(), st.Ino))
	}
	err = syscall.Exec(exe, os.Args, env)
	runtime.UnlockOSThread()
	return pending, fmt.Errorf("re-execute %s with an empty signal mask: %w", exe, err)
}

// collectPending unblocks every signal on this thread and receives the
// pending ones through os/signal, so that the runtime does not act on them
// (SIGTERM would end pidone) before they can be carried across the exec.
func collectPending(blocked *unix.Sigset_t) []unix.Signal {
	want := pendingSet(blocked)
	ch := make(chan os.Signal, signals.Max)
	all := signals.Handled()
	signal.Notify(ch, all...)
	var empty unix.Sigset_t
	_ = unix.PthreadSigmask(unix.SIG_SETMASK, &empty, nil)
	var got []unix.Signal
	deadline := time.NewTimer(collectWait)
	defer deadline.Stop()
	for len(want) > 0 {
		select {
		case s := <-ch:
			sig := s.(syscall.Signal)
			delete(want, sig)
			if signals.Forwardable(sig) {
				got = append(got, sig)
			}
		case <-deadline.C:
			want = nil
		}
	}
	// Anything else that came meanwhile is carried too.
	for {
		select {
		case s := <-ch:
			if sig := s.(syscall.Signal); signals.Forwardable(sig) {
				got = append(got, sig)
			}
		default:
			return got
		}
	}
}

// pendingSet lists the blocked signals pending for the process or this
// thread that pidone would act on.
func pendingSet(blocked *unix.Sigset_t) map[unix.Signal]bool {
	var set unix.Sigset_t
	_, _, errno := unix.RawSyscall(unix.SYS_RT_SIGPENDING, uintptr(unsafe.Pointer(&set)), signals.Max/8, 0)
	out := map[unix.Signal]bool{}
	if errno != 0 {
		return out
	}
	for n := unix.Signal(1); n <= signals.Max; n++ {
		if inSet(&set, n) && inSet(blocked, n) && (signals.Forwardable(n) || n == unix.SIGCHLD) {
			out[n] = true
		}
	}
	return out
}

// carryPipe writes the signals into a pipe whose read end survives exec.
func carryPipe(sigs []unix.Signal) (*os.File, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("create the carry pipe: %w", err)
	}
	defer w.Close()
	parts := make([]string, len(sigs))
	for i, s := range sigs {
		parts[i] = strconv.Itoa(int(s))
	}
	if _, err := w.WriteString(strings.Join(parts, ",")); err != nil {
		r.Close()
		return nil, fmt.Errorf("write the carry pipe: %w", err)
	}
	if _, err := unix.FcntlInt(r.Fd(), unix.F_SETFD, 0); err != nil {
		r.Close()
		return nil, fmt.Errorf("keep the carry pipe open across exec: %w", err)
	}
	return r, nil
}

// takeCarried returns what a previous image carried across its exec, and
// removes every trace of it (the variable, the descriptor) before any
// process can inherit them.
func takeCarried() []unix.Signal {
	v, ok := os.LookupEnv(carryEnv)
	if !ok {
		return nil
	}
	os.Unsetenv(carryEnv)
	fdText, inoText, ok := strings.Cut(v, ":")
	fd, err1 := strconv.Atoi(fdText)
	ino, err2 := strconv.ParseUint(inoText, 10, 64)
	if !ok || err1 != nil || err2 != nil || fd < 3 {
		return nil
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFIFO || uint64(st.Ino) != ino {
		return nil
	}
	unix.CloseOnExec(fd)
	f := os.NewFile(uintptr(fd), "carry")
	defer f.Close()
	buf := make([]byte, 1024)
	n, err := f.Read(buf)
	if err != nil && !errors.Is(err, os.ErrClosed) && n == 0 {
		return nil
	}
	var out []unix.Signal
	for _, part := range strings.Split(string(buf[:n]), ",") {
		if s, err := strconv.Atoi(part); err == nil && signals.Forwardable(unix.Signal(s)) {
			out = append(out, unix.Signal(s))
		}
	}
	return out
}

func inSet(set *unix.Sigset_t, sig unix.Signal) bool {
	bit := uint(sig - 1)
	const w = uint(unsafe.Sizeof(set.Val[0]) * 8)
	return set.Val[bit/w]&(1<<(bit%w)) != 0
}

func isEmpty(set *unix.Sigset_t) bool {
	for _, w := range set.Val {
		if w != 0 {
			return false
		}
	}
	return true
}
