package catch

import (
	"testing"

	"github.com/pidone/pidone/internal/signals"
	"golang.org/x/sys/unix"
)

func TestQueued(t *testing.T) {
	for sig := unix.Signal(1); sig <= signals.Max; sig++ {
		var one unix.Sigset_t
		add(&one, sig)
		want := signals.Realtime(sig) && signals.Forwardable(sig)
		if got := covers(&Queued, &one); got != want {
			t.Errorf("%v in Queued: %v, want %v", sig, got, want)
		}
	}
	if !covers(&Queued, &Queued) {
		t.Error("a set must cover itself")
	}
	var empty unix.Sigset_t
	if covers(&empty, &Queued) {
		t.Error("the empty set covers Queued")
	}
}
