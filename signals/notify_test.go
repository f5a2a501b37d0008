package signals

import (
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestCatchRoutesAndFaultsStillPanic installs pidone's handlers in the
// test process: signals sent with kill arrive in the inbox in order, with
// the program's own events among them; 32–34 are survived; and a real
// fault still becomes a Go panic instead of being taken for a sent one.
func TestCatchRoutesAndFaultsStillPanic(t *testing.T) {
	in, err := Catch()
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan byte, 64)
	go func() {
		buf := make([]byte, 64)
		for {
			n, err := in.Read(buf)
			if err != nil {
				return
			}
			for _, b := range buf[:n] {
				events <- b
			}
		}
	}()
	next := func() byte {
		select {
		case b := <-events:
			return b
		case <-time.After(5 * time.Second):
			t.Fatal("no event within 5s")
			return 0
		}
	}
	sent := []unix.Signal{unix.SIGUSR1, unix.SIGSEGV, unix.SIGHUP, 40, unix.SIGTERM, unix.SIGBUS, unix.SIGCHLD}
	for _, sig := range sent {
		if err := unix.Kill(os.Getpid(), sig); err != nil {
			t.Fatal(err)
		}
		if got := unix.Signal(next()); got != sig {
			t.Fatalf("got %v, want %v", got, sig)
		}
	}
	for sig := unix.Signal(32); sig <= 34; sig++ {
		unix.Kill(os.Getpid(), sig)
	}
	if err := in.Post(Max + 1); err != nil {
		t.Fatal(err)
	}
	if got := next(); got != Max+1 {
		t.Fatalf("posted event came back as %d", got)
	}
	if !faultPanics() {
		t.Error("a nil dereference did not panic")
	}
	select {
	case got := <-events:
		t.Errorf("the fault was routed as %d", got)
	case <-time.After(50 * time.Millisecond):
	}
}

func faultPanics() (panicked bool) {
	defer func() { panicked = recover() != nil }()
	var p *int
	_ = *p
	return false
}
