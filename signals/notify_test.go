package signals

import (
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestNotifyRoutesAndFaultsStillPanic installs pidone's handlers in the
// test process: signals sent with kill arrive on the channels in order,
// SIGCHLD on its own; 32–34 are survived; and a real fault still becomes
// a Go panic instead of being swallowed as if it had been sent.
func TestNotifyRoutesAndFaultsStillPanic(t *testing.T) {
	fwd, chld := make(chan os.Signal, 64), make(chan os.Signal, 1)
	if err := Notify(fwd, chld); err != nil {
		t.Fatal(err)
	}
	sent := []unix.Signal{unix.SIGUSR1, unix.SIGSEGV, unix.SIGHUP, 40, unix.SIGTERM, unix.SIGBUS}
	for _, sig := range sent {
		if err := unix.Kill(os.Getpid(), sig); err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-fwd:
			if got != sig {
				t.Fatalf("got %v, want %v", got, sig)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%v never arrived", sig)
		}
	}
	for sig := unix.Signal(32); sig <= 34; sig++ {
		unix.Kill(os.Getpid(), sig)
	}
	unix.Kill(os.Getpid(), unix.SIGCHLD)
	select {
	case <-chld:
	case <-time.After(5 * time.Second):
		t.Fatal("SIGCHLD never arrived")
	}
	if !faultPanics() {
		t.Error("a nil dereference did not panic")
	}
	select {
	case got := <-fwd:
		t.Errorf("the fault was forwarded as %v", got)
	default:
	}
}

func faultPanics() (panicked bool) {
	defer func() { panicked = recover() != nil }()
	var p *int
	_ = *p
	return false
}
