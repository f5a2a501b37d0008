package signals

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// pendingEnv carries signals that were pending at start-up across the
// re-exec of UnblockInherited. It is removed from the environment before
// any process starts.
const pendingEnv = "PIDONE_INTERNAL_PENDING_SIGNALS"

// UnblockInherited makes sure pidone runs with an empty signal mask, and so
// do the processes it starts.
//
// The Go runtime restores the signal mask the program inherited in every
// child it forks, so a mask blocked by whoever started pidone would reach
// the processes. The only way to change what the runtime restores is to
// start again with an empty mask: when the inherited mask is not empty,
// UnblockInherited re-executes pidone with the same arguments and
// environment and does not return. Signals that were already pending are
// passed along and returned by TakePending in the new image.
//
// It must run first in main, before signals are routed. If re-executing
// fails it returns the error and pidone goes on with the mask it has.
func UnblockInherited() error {
	var blocked unix.Sigset_t
	if err := unix.PthreadSigmask(unix.SIG_BLOCK, nil, &blocked); err != nil {
		return fmt.Errorf("read signal mask: %w", err)
	}
	if isEmpty(&blocked) {
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find own executable to clear the signal mask: %w", err)
	}
	// Pending signals would be delivered the moment they are unblocked, to
	// handlers that are not ready for them; ignoring them first discards
	// them instead, and the new image delivers them properly.
	pending := pendingSignals(&blocked)
	ign := sigaction{handler: 1 /* SIG_IGN */}
	for _, sig := range pending {
		_ = rtSigaction(sig, &ign, nil)
	}
	env := os.Environ()
	if len(pending) > 0 {
		env = append(env, pendingEnv+"="+joinSignals(pending))
	}
	var empty unix.Sigset_t
	if err := unix.PthreadSigmask(unix.SIG_SETMASK, &empty, nil); err != nil {
		return fmt.Errorf("clear signal mask: %w", err)
	}
	err = syscall.Exec(exe, os.Args, env)
	return fmt.Errorf("re-execute %s with an empty signal mask: %w", exe, err)
}

// TakePending returns the signals UnblockInherited carried across its
// re-exec, and removes their trace from the environment.
func TakePending() []unix.Signal {
	v, ok := os.LookupEnv(pendingEnv)
	if !ok {
		return nil
	}
	os.Unsetenv(pendingEnv)
	var out []unix.Signal
	for _, f := range strings.Split(v, ",") {
		if n, err := strconv.Atoi(f); err == nil && Forwardable(unix.Signal(n)) {
			out = append(out, unix.Signal(n))
		}
	}
	return out
}

func pendingSignals(blocked *unix.Sigset_t) []unix.Signal {
	var set unix.Sigset_t
	_, _, errno := unix.RawSyscall(unix.SYS_RT_SIGPENDING, uintptr(unsafe.Pointer(&set)), 8, 0)
	if errno != 0 {
		return nil
	}
	var out []unix.Signal
	for n := unix.Signal(1); n <= Max; n++ {
		if inSet(&set, n) && inSet(blocked, n) && Forwardable(n) {
			out = append(out, n)
		}
	}
	return out
}

func inSet(set *unix.Sigset_t, sig unix.Signal) bool {
	bit := uint(sig - 1)
	return set.Val[bit/64]&(1<<(bit%64)) != 0
}

func isEmpty(set *unix.Sigset_t) bool {
	for _, w := range set.Val {
		if w != 0 {
			return false
		}
	}
	return true
}

func joinSignals(sigs []unix.Signal) string {
	parts := make([]string, len(sigs))
	for i, s := range sigs {
		parts[i] = strconv.Itoa(int(s))
	}
	return strings.Join(parts, ",")
}
