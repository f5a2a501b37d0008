package output

import (
	"errors"
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// sizeofWord is the size of one word of a signal set: 64 bits on 64-bit
// architectures, 32 on the others.
const sizeofWord = uint(unsafe.Sizeof(unix.Sigset_t{}.Val[0]))

// bufferLimit bounds what a Sink holds for a destination that does not
// keep up. A single write larger than this is still taken whole when the
// buffer is empty, so a long line cannot wait forever.
const bufferLimit = 1 << 20

// Sink is one destination: pidone's stdout, its stderr, or both when they
// are the same file.
type Sink struct {
	name string // "stdout", "stderr" or "stdout and stderr", for messages
	f    *os.File

	mu      sync.Mutex
	room    *sync.Cond // signalled when the buffer shrinks or the sink dies
	buf     []byte     // whole lines waiting for the writer
	closing bool       // Close was called: the writer ends once buf is empty
	err     error      // why the destination is gone; nil while it works
	written time.Time  // last time the writer made progress
	lost    Lost
	warned  bool // a write error that did not end the destination was told

	wake chan struct{} // one pending "there is work" for the writer
	done chan struct{} // closed when the writer has ended
	// onFail is told once when the destination fails; it must not block.
	onFail func(name string, err error)
}

// Lost counts what a Sink could not write.
type Lost struct {
	Lines int // log lines dropped because the buffer was full
	Bytes int // bytes discarded: dropped lines, and output after a failure
}

// newSink starts the writer of f. It is started at once, not at the first
// write: its OS thread must exist before anything could make creating one
// fail (a full pids cgroup).
func newSink(name string, f *os.File, onFail func(string, error)) *Sink {
	s := &Sink{name: name, f: f, wake: make(chan struct{}, 1), done: make(chan struct{}), onFail: onFail}
	s.room = sync.NewCond(&s.mu)
	s.written = time.Now()
	started := make(chan struct{})
	go s.run(started)
	<-started
	return s
}

// Log adds lines without waiting; it drops them, counted, when the buffer
// is full or the destination is gone.
func (s *Sink) Log(lines []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil || (len(s.buf) > 0 && len(s.buf)+len(lines) > bufferLimit) {
		s.lost.Lines++
		s.lost.Bytes += len(lines)
		return
	}
	s.add(lines)
}

// Write adds lines, waiting for room while the destination is slow. Once
// the destination is gone it discards them at once, so that a process
// writing to a dead stdout is never blocked.
func (s *Sink) Write(lines []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.err == nil && len(s.buf) > 0 && len(s.buf)+len(lines) > bufferLimit {
		s.room.Wait()
	}
	if s.err != nil {
		s.lost.Bytes += len(lines)
		return
	}
	s.add(lines)
}

// add appends to the buffer and wakes the writer; s.mu is held.
func (s *Sink) add(lines []byte) {
	s.buf = append(s.buf, lines...)
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// run is the writer. It owns its OS thread for good: SIGPIPE is blocked
// on that thread only (see the package documentation), and the goroutine
// never unlocks, so no other goroutine ever runs there.
func (s *Sink) run(started chan<- struct{}) {
	runtime.LockOSThread()
	var pipe unix.Sigset_t
	bit := uint(unix.SIGPIPE - 1)
	pipe.Val[bit/(8*sizeofWord)] |= 1 << (bit % (8 * sizeofWord))
	_ = unix.PthreadSigmask(unix.SIG_BLOCK, &pipe, nil)
	close(started)
	defer close(s.done)
	var spare []byte
	for {
		s.mu.Lock()
		for len(s.buf) == 0 && !s.closing {
			s.mu.Unlock()
			<-s.wake
			s.mu.Lock()
		}
		if len(s.buf) == 0 {
			s.mu.Unlock()
			return
		}
		out := s.buf
		s.buf = spare[:0]
		s.room.Broadcast()
		s.mu.Unlock()

		err := s.writeAll(out)
		spare = out
		if err != nil && s.fail(err) {
			return
		}
	}
}

// writeAll writes b, through the poller when the file is non-blocking.
func (s *Sink) writeAll(b []byte) error {
	if s.f == nil {
		s.mu.Lock()
		s.lost.Bytes += len(b)
		s.mu.Unlock()
		return os.ErrClosed
	}
	for len(b) > 0 {
		n, err := s.f.Write(b)
		b = b[max(n, 0):]
		if n > 0 {
			s.mu.Lock()
			s.written = time.Now()
			s.mu.Unlock()
		}
		if err != nil {
			if errors.Is(err, syscall.EINTR) {
				continue
			}
			if n > 0 || len(b) > 0 {
				s.mu.Lock()
				s.lost.Bytes += len(b)
				s.mu.Unlock()
			}
			return err
		}
	}
	return nil
}

// fail records a write error. A destination that is gone for good (EPIPE
// and the like) ends the sink; any other error (a full disk, EIO from a
// terminal) loses that write only, and writing goes on. Each kind is told
// once. It reports whether the writer must end.
func (s *Sink) fail(err error) bool {
	gone := IsGone(err)
	s.mu.Lock()
	first := s.err == nil && gone || !gone && !s.warned
	s.warned = s.warned || !gone
	if gone {
		s.err = err
		s.lost.Bytes += len(s.buf)
		s.buf = nil
		s.room.Broadcast()
	}
	s.mu.Unlock()
	if s.onFail != nil && first {
		s.onFail(s.name, err)
	}
	return gone
}

// close asks the writer to end once everything is written, and waits for
// that until deadline, or until the writer has made no progress for
// stall. What is still unwritten then is discarded and counted.
func (s *Sink) close(deadline time.Time, stall time.Duration) Lost {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	t := time.NewTimer(min(stall, time.Until(deadline)))
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return s.Lost()
		case <-t.C:
		}
		s.mu.Lock()
		idle := time.Since(s.written)
		s.mu.Unlock()
		if time.Now().After(deadline) || idle >= stall {
			s.mu.Lock()
			s.lost.Bytes += len(s.buf)
			s.buf = nil
			s.mu.Unlock()
			return s.Lost()
		}
		t.Reset(min(stall-idle, time.Until(deadline)))
	}
}

// Lost reports what was not written so far.
func (s *Sink) Lost() Lost {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lost
}

// Gone reports whether the destination has failed for good.
func (s *Sink) Gone() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err != nil
}

// IsGone reports whether a write error means the destination is gone for
// good (its reader closed it, or it was never open), rather than a write
// that failed this time.
func IsGone(err error) bool {
	return errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.EBADF) || errors.Is(err, os.ErrClosed)
}
