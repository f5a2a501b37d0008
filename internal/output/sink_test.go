package output

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// A reader that stopped reading must never block a log line: the line is
// dropped and counted instead.
func TestLogNeverBlocksOnAStuckReader(t *testing.T) {
	sink, _ := pipeSink(t) // nobody reads
	line := []byte(strings.Repeat("x", 1023) + "\n")
	done := make(chan struct{})
	go func() {
		for i := 0; i < 4096; i++ { // 4 MiB: more than the pipe and the buffer
			sink.Log(line)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Log blocked on a stuck reader")
	}
	if lost := sink.Lost(); lost.Lines == 0 || lost.Bytes < lost.Lines*len(line) {
		t.Errorf("lost %+v, want dropped lines counted", lost)
	}
	start := time.Now()
	sink.close(time.Now().Add(10*time.Second), 100*time.Millisecond)
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("close waited %v for a reader that makes no progress", d)
	}
}

// Write waits for a slow reader and loses nothing.
func TestWriteWaitsAndLosesNothing(t *testing.T) {
	sink, r := pipeSink(t)
	var got bytes.Buffer
	read := make(chan struct{})
	go func() {
		time.Sleep(100 * time.Millisecond) // a slow reader, not synchronisation
		io.Copy(&got, r)
		close(read)
	}()
	var want bytes.Buffer
	chunk := []byte(strings.Repeat("y", 64<<10-1) + "\n")
	for i := 0; i < 64; i++ { // 4 MiB
		sink.Write(chunk)
		want.Write(chunk)
	}
	sink.close(time.Now().Add(10*time.Second), 5*time.Second)
	sink.f.Close()
	<-read
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Errorf("read %d bytes, wrote %d", got.Len(), want.Len())
	}
	if lost := sink.Lost(); lost != (Lost{}) {
		t.Errorf("lost %+v", lost)
	}
}

// A write to a pipe whose reader is gone fails with EPIPE. The SIGPIPE the
// kernel sends for it must not reach os/signal (pidone would forward it),
// and the destination is then discarded without blocking writers.
func TestBrokenPipeIsNoSignal(t *testing.T) {
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs, syscall.SIGPIPE)
	defer signal.Stop(sigs)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	var mu sync.Mutex
	var failed []error
	sink := newSink("test", w, func(_ string, err error) { mu.Lock(); failed = append(failed, err); mu.Unlock() })
	sink.Log([]byte("first\n"))
	deadline := time.Now().Add(5 * time.Second)
	for !sink.Gone() {
		if time.Now().After(deadline) {
			t.Fatal("the sink never noticed the broken pipe")
		}
		time.Sleep(time.Millisecond) // polling a condition
	}
	sink.Write([]byte("after\n")) // must not block
	select {
	case s := <-sigs:
		t.Fatalf("os/signal got %v from pidone's own write", s)
	case <-time.After(200 * time.Millisecond):
	}
	mu.Lock()
	defer mu.Unlock()
	if len(failed) != 1 || !errors.Is(failed[0], syscall.EPIPE) {
		t.Errorf("onFail got %v, want one EPIPE", failed)
	}
	// A SIGPIPE sent with kill still arrives: it is the user's, to forward.
	syscall.Kill(os.Getpid(), syscall.SIGPIPE)
	select {
	case <-sigs:
	case <-time.After(5 * time.Second):
		t.Error("a SIGPIPE sent with kill did not arrive")
	}
}

// stdout and stderr on one pipe share one Sink, so that lines never mix.
func TestSameDestination(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	other, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	dup, err := syscall.Dup(int(w.Fd()))
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(dup)
	if !sameDest(int(w.Fd()), dup) {
		t.Error("a pipe and its duplicate are not the same destination")
	}
	if sameDest(int(w.Fd()), int(other.Fd())) {
		t.Error("a pipe and /dev/null are the same destination")
	}
}
