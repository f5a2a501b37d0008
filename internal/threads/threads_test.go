package threads

import (
	"os"
	"runtime"
	"sync"
	"testing"
)

func threadCount(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/task")
	if err != nil {
		t.Skip("no /proc/self/task")
	}
	return len(ents)
}

// Setup leaves one processor, and enough idle threads that goroutines
// holding threads of their own afterwards need no new one: the runtime
// takes idle threads before it makes any (the test process may have had
// some already, which Setup then took rather than make new ones).
func TestSetup(t *testing.T) {
	Setup()
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Errorf("GOMAXPROCS %d, want 1", got)
	}
	after := threadCount(t)
	var locked, release sync.WaitGroup
	release.Add(1)
	for i := 0; i < Spare-1; i++ {
		locked.Add(1)
		go func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			locked.Done()
			release.Wait()
		}()
	}
	locked.Wait()
	held := threadCount(t)
	release.Done()
	if held > after {
		t.Errorf("%d threads while %d goroutines held one each, %d after Setup: new threads were made", held, Spare-1, after)
	}
}
