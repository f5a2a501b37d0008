package threads

import (
	"os"
	"runtime"
	"testing"
)

func threadCount(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Skip("no /proc/self/task")
	}
	return len(ents)
}

// Setup leaves one processor and at least Spare more threads, which the
// runtime reuses afterwards instead of creating new ones.
func TestSetup(t *testing.T) {
	before := threadCount(t)
	Setup()
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Errorf("GOMAXPROCS %d, want 1", got)
	}
	after := threadCount(t)
	if after < before+Spare-1 {
		t.Errorf("%d threads after Setup, %d before: want about %d more", after, before, Spare)
	}
	// Goroutines that lock and release threads again are served by the
	// spare ones.
	done := make(chan struct{})
	for i := 0; i < Spare-1; i++ {
		go func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			done <- struct{}{}
		}()
		<-done
	}
	if again := threadCount(t); again > after {
		t.Errorf("%d threads after reuse, %d after Setup: new threads were made", again, after)
	}
}
