package signals

import (
	"bytes"
	"os"
	"slices"
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
	// Further SIGCHLDs add nothing until the program says it has seen
	// the first; then the next one gets through.
	unix.Kill(os.Getpid(), unix.SIGCHLD)
	unix.Kill(os.Getpid(), unix.SIGUSR2)
	if got := unix.Signal(next()); got != unix.SIGUSR2 {
		t.Fatalf("got %v, want the SIGCHLD coalesced and SIGUSR2 next", got)
	}
	in.ChildrenSeen()
	unix.Kill(os.Getpid(), unix.SIGCHLD)
	if got := unix.Signal(next()); got != unix.SIGCHLD {
		t.Fatalf("got %v, want SIGCHLD after ChildrenSeen", got)
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

// TestFullPipeOwesChildren fills the inbox as a storm of unread signals
// would: a SIGCHLD that then finds no room must still come out of Read
// once the loop catches up, and a posted event must wait for room rather
// than be lost.
func TestFullPipeOwesChildren(t *testing.T) {
	in, err := Catch()
	if err != nil {
		t.Fatal(err)
	}
	filler := make([]byte, 4096)
	for i := range filler {
		filler[i] = byte(unix.SIGUSR1)
	}
	queued := 0
	for {
		n, err := unix.Write(in.w, filler)
		queued += max(n, 0)
		if err == unix.EAGAIN {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := unix.Kill(os.Getpid(), unix.SIGCHLD); err != nil {
		t.Fatal(err)
	}
	posted := make(chan error, 1)
	go func() { posted <- in.Post(Max + 1) }()

	got := make(chan []byte, 1)
	go func() {
		var all []byte
		buf := make([]byte, 512)
		for !bytes.Contains(all, []byte{Max + 1}) || !bytes.Contains(all, []byte{byte(unix.SIGCHLD)}) {
			n, err := in.Read(buf)
			if err != nil {
				break
			}
			all = append(all, buf[:n]...)
		}
		got <- all
	}()
	select {
	case all := <-got:
		if len(all) < queued {
			t.Errorf("read %d bytes, %d were queued", len(all), queued)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the SIGCHLD or the posted event never came out of the inbox")
	}
	if err := <-posted; err != nil {
		t.Errorf("post: %v", err)
	}
}

// TestRouteSendsFromTheHandler routes SIGUSR1 back to the test process as
// SIGUSR2: the handler sends it before the inbox is read, and the inbox
// records USR1 as routed and the USR2 it caused. A negative target whose
// group does not exist falls back to the process; Unroute ends it all.
func TestRouteSendsFromTheHandler(t *testing.T) {
	in, err := Catch()
	if err != nil {
		t.Fatal(err)
	}
	defer in.Unroute()
	in.RecordRoutes(true)
	defer in.RecordRoutes(false)
	read := func(want int) []byte {
		t.Helper()
		var got []byte
		buf := make([]byte, 8)
		deadline := time.Now().Add(5 * time.Second)
		for len(got) < want && time.Now().Before(deadline) {
			var fds = []unix.PollFd{{Fd: int32(in.r), Events: unix.POLLIN}}
			if n, _ := unix.Poll(fds, 100); n == 0 {
				continue
			}
			n, err := in.Read(buf)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, buf[:n]...)
		}
		return got
	}
	self := os.Getpid()
	targets := []int{self}
	if pgid, _ := unix.Getpgid(self); pgid != self {
		// No group is numbered self: the handler falls back to self.
		targets = append(targets, -self)
	} else {
		t.Log("the test process leads its group: the fallback is not shown")
	}
	for _, target := range targets {
		in.Route(unix.SIGUSR1, target, unix.SIGUSR2)
		if err := unix.Kill(self, unix.SIGUSR1); err != nil {
			t.Fatal(err)
		}
		// In either order: another thread may catch the USR2 while the
		// first is still in the handler.
		want := []byte{byte(unix.SIGUSR2), Routed | byte(unix.SIGUSR1)}
		got := read(2)
		slices.Sort(got)
		if !bytes.Equal(got, want) {
			t.Fatalf("target %d: events %v, want %v", target, got, want)
		}
	}
	// Unrecorded, the routed signal leaves only the one it caused.
	in.RecordRoutes(false)
	in.Route(unix.SIGUSR1, self, unix.SIGUSR2)
	unix.Kill(self, unix.SIGUSR1)
	if got := read(1); !bytes.Equal(got, []byte{byte(unix.SIGUSR2)}) {
		t.Fatalf("unrecorded route: events %v, want only SIGUSR2", got)
	}
	in.Unroute()
	unix.Kill(self, unix.SIGUSR1)
	if got := read(1); !bytes.Equal(got, []byte{byte(unix.SIGUSR1)}) {
		t.Fatalf("after Unroute: events %v, want only SIGUSR1", got)
	}
}
