package output

import (
	"fmt"
	"os"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// Out is pidone's stdout and stderr, and the copiers of the processes'
// pipes into them.
type Out struct {
	// Stdout and Stderr are the two destinations; the same Sink when
	// pidone's stdout and stderr are the same file or pipe.
	Stdout, Stderr *Sink
	copiers        sync.WaitGroup
	width          int // names are padded to this width in prefixes
}

// Open starts the writers of pidone's stdout and stderr. onFail is told,
// once per destination, when writing to it fails; it must not block.
func Open(onFail func(name string, err error)) *Out {
	o := &Out{}
	if sameDest(1, 2) {
		s := newSink("stdout and stderr", openOrNil(1), onFail)
		o.Stdout, o.Stderr = s, s
		return o
	}
	o.Stdout = newSink("stdout", openOrNil(1), onFail)
	o.Stderr = newSink("stderr", openOrNil(2), onFail)
	return o
}

// openOrNil opens fd's destination; a closed descriptor gives a sink that
// fails at its first write, which discards everything for it.
func openOrNil(fd int) *os.File {
	f, err := openDest(fd)
	if err != nil {
		return nil
	}
	return f
}

// SetWidth sets the width process names are padded to in prefixes.
func (o *Out) SetWidth(w int) { o.width = w }

// Pipes makes the pipes of one run of the process name, and starts
// copying what it writes to pidone's stdout and stderr, each line with
// "name | " in front. onLine, when not nil, sees every complete line the
// process writes on either stream (for a log readiness check) until it
// returns true. It returns the write ends for the process; the caller
// closes them once the process has its copies.
func (o *Out) Pipes(name string, onLine func(line []byte) bool) (stdout, stderr *os.File, err error) {
	prefix := []byte(fmt.Sprintf("%-*s | ", o.width, name))
	rOut, wOut, err := os.Pipe()
	if err != nil {
		return nil, nil, fmt.Errorf("create the stdout pipe of %s: %w", name, err)
	}
	rErr, wErr, err := os.Pipe()
	if err != nil {
		rOut.Close()
		wOut.Close()
		return nil, nil, fmt.Errorf("create the stderr pipe of %s: %w", name, err)
	}
	// Bigger pipes mean fewer wake-ups of the copier per megabyte; the
	// kernel caps the size (/proc/sys/fs/pipe-max-size), and the default
	// stays if it refuses.
	for _, w := range []*os.File{wOut, wErr} {
		_, _ = unix.FcntlInt(w.Fd(), unix.F_SETPIPE_SZ, pipeSize)
	}
	var match *matcher
	if onLine != nil {
		match = &matcher{f: onLine}
	}
	o.copiers.Add(2)
	go o.copy(rOut, o.Stdout, prefix, match)
	go o.copy(rErr, o.Stderr, prefix, match)
	return wOut, wErr, nil
}

// Close waits, until deadline, for the copiers to reach the end of every
// pipe and for the sinks to write it all out; a sink that makes no
// progress for stall is given up. It returns what could not be written.
func (o *Out) Close(deadline time.Time, stall time.Duration) Lost {
	done := make(chan struct{})
	go func() { o.copiers.Wait(); close(done) }()
	t := time.NewTimer(time.Until(deadline))
	select {
	case <-done:
	case <-t.C:
	}
	t.Stop()
	lost := o.Stdout.close(deadline, stall)
	if o.Stderr != o.Stdout {
		e := o.Stderr.close(deadline, stall)
		lost.Lines += e.Lines
		lost.Bytes += e.Bytes
	}
	return lost
}

// matcher hands lines to a readiness check until it is satisfied; the
// stdout and stderr copiers of a process share one.
type matcher struct {
	mu   sync.Mutex
	done bool
	f    func([]byte) bool
}

func (m *matcher) see(line []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.done && m.f(line) {
		m.done = true
	}
}
