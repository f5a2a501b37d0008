package supervisor

import (
	"sync/atomic"
	"time"
)

// proc is one Program and the state of its current run.
type proc struct {
	Program
	path    string
	pid     int // 0 when not running
	started time.Time

	// backoff is the delay before the next restart; restartTimer is set
	// while one is waiting, and due is set by the timer when it fires
	// (from the timer's goroutine, hence atomic).
	backoff      time.Duration
	restartTimer *time.Timer
	due          atomic.Bool
	// done is set once the process has exited for good; status is then
	// its final status after --success-code.
	done   bool
	status int
}

func (p *proc) running() bool { return p.pid != 0 }
