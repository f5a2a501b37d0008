package ctl

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"sync"
	"time"
)

// Defaults of a Config left at zero.
const (
	DefaultReadTimeout  = 2 * time.Second
	DefaultWriteTimeout = 2 * time.Second
	DefaultMaxConns     = 8
)

// Config is how Listen serves. The zero value is what pidone uses.
type Config struct {
	// Name is the abstract socket name, without the leading '@';
	// empty means DefaultName. Tests give names of their own.
	Name string
	// ReadTimeout bounds the wait for a request once connected.
	ReadTimeout time.Duration
	// WriteTimeout bounds the writing of an answer.
	WriteTimeout time.Duration
	// MaxConns bounds the connections served at once, those waiting
	// for the loop's answer included; more are refused.
	MaxConns int
}

// Server accepts control connections and hands their requests to the loop
// as Calls.
type Server struct {
	cfg   Config
	name  string
	ln    *net.UnixListener
	euid  int
	calls chan *Call
	slots chan struct{}
	done  chan struct{}

	closeOnce sync.Once
	wg        sync.WaitGroup
	mu        sync.Mutex
	conns     map[*net.UnixConn]struct{} // open ones, closed by Close
}

// Listen binds the control socket and starts accepting in a goroutine of
// its own, which waits in the runtime's poller: an idle server costs no
// wake-up and arms no timer.
func Listen(cfg Config) (*Server, error) {
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = DefaultReadTimeout
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = DefaultWriteTimeout
	}
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = DefaultMaxConns
	}
	name := cfg.Name
	if name == "" {
		var err error
		if name, err = DefaultName(); err != nil {
			return nil, err
		}
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: "@" + name, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("bind the control socket @%s: %w", name, err)
	}
	s := &Server{
		cfg:  cfg,
		name: name,
		ln:   ln,
		euid: os.Geteuid(),
		// Each connection holds a slot until it is answered and sends
		// at most one call, so the channel never holds more than
		// MaxConns: a connection never waits to hand its call over.
		calls: make(chan *Call, cfg.MaxConns),
		slots: make(chan struct{}, cfg.MaxConns),
		done:  make(chan struct{}),
		conns: make(map[*net.UnixConn]struct{}),
	}
	s.wg.Add(1)
	go s.accept()
	return s, nil
}

// Name returns the abstract name the server is bound to, without '@'.
func (s *Server) Name() string { return s.name }

// Calls delivers each request a permitted client sent. The loop must
// answer every call with Reply, failures included: until it does, the
// call holds one of the MaxConns slots. The channel is never closed, so a
// loop can keep it in a select after Close.
func (s *Server) Calls() <-chan *Call { return s.calls }

// Close stops accepting and disconnects every client, those waiting for
// an answer included, then waits for the server's goroutines to end.
// Replying to a call afterwards is harmless.
func (s *Server) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.done)
		err = s.ln.Close()
		s.mu.Lock()
		for c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return err
}

func (s *Server) accept() {
	defer s.wg.Done()
	var pause time.Duration
	for {
		c, err := s.ln.AcceptUnix()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of descriptors or memory: back off rather than
			// spin, and only while it lasts.
			pause = min(max(2*pause, 5*time.Millisecond), time.Second)
			select {
			case <-time.After(pause):
			case <-s.done:
				return
			}
			continue
		}
		pause = 0
		// Credentials first, before the connection may take a slot:
		// otherwise anyone in the network namespace (another
		// container of the pod) could hold every slot, two seconds at
		// a time, and starve root's health checks.
		peer, err := peerOf(c)
		if err != nil {
			c.Close()
			continue
		}
		if !s.permitted(peer.UID) {
			s.refuse(c, s.denial(peer.UID))
			continue
		}
		select {
		case s.slots <- struct{}{}:
		default:
			s.refuse(c, "busy: "+strconv.Itoa(s.cfg.MaxConns)+" control connections are open already")
			continue
		}
		if !s.track(c) {
			c.Close()
			<-s.slots
			return
		}
		s.wg.Add(1)
		go s.serve(c, peer)
	}
}

// track records c for Close, or reports false when the server is closing.
func (s *Server) track(c *net.UnixConn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.done:
		return false
	default:
	}
	s.conns[c] = struct{}{}
	return true
}

// untrack closes c and gives its slot back.
func (s *Server) untrack(c *net.UnixConn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	c.Close()
	<-s.slots // last: a free slot means the connection is gone
}

// refuse answers c from the accepting goroutine. The connection is new and
// its send buffer empty, so the short answer goes out at once.
func (s *Server) refuse(c *net.UnixConn, why string) {
	s.write(c, mustEncode(Response{Status: StatusFailed, Message: why}))
	c.Close()
}

// serve reads the request of a permitted peer, hands it to the loop and
// writes the answer.
func (s *Server) serve(c *net.UnixConn, peer Peer) {
	defer s.wg.Done()
	defer s.untrack(c)
	req, err := s.read(c)
	if err != nil {
		if !errors.Is(err, io.EOF) { // EOF: a client that looked and left
			s.write(c, mustEncode(Response{Status: StatusUsage, Message: fitMessage(err.Error())}))
		}
		return
	}
	call := newCall(req, peer)
	select {
	case s.calls <- call:
	case <-s.done:
		return
	}
	select {
	case b := <-call.answer:
		s.write(c, b)
	case <-s.done:
	}
}

// permitted reports whether uid may use the control socket: root, and the
// user pidone runs as, who could signal its processes anyway.
func (s *Server) permitted(uid int) bool {
	return uid == 0 || uid == s.euid
}

// denial is the refusal a peer with uid gets.
func (s *Server) denial(uid int) string {
	who := "root"
	if s.euid != 0 {
		who = "root and uid " + strconv.Itoa(s.euid)
	}
	return fmt.Sprintf("permission denied: uid %d may not control this pidone (only %s may)", uid, who)
}

// read reads one request within the read timeout.
func (s *Server) read(c *net.UnixConn) (Request, error) {
	if err := c.SetReadDeadline(time.Now().Add(s.cfg.ReadTimeout)); err != nil {
		return Request{}, fmt.Errorf("set the read deadline: %w", err)
	}
	// Clear the deadline once done, so no timer stays armed while the
	// call waits for the loop.
	defer c.SetReadDeadline(time.Time{})
	buf := make([]byte, MaxRequest)
	n := 0
	for {
		m, err := c.Read(buf[n:])
		n += m
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			if i != n-1 {
				return Request{}, errors.New("bad request: bytes after the request line")
			}
			req, err := DecodeRequest(buf[:n])
			if err != nil {
				return Request{}, fmt.Errorf("bad request: %w", err)
			}
			return req, nil
		}
		switch {
		case n == len(buf):
			return Request{}, fmt.Errorf("bad request: longer than %d bytes", MaxRequest)
		case errors.Is(err, os.ErrDeadlineExceeded):
			return Request{}, fmt.Errorf("no request within %v", s.cfg.ReadTimeout)
		case errors.Is(err, io.EOF) && n == 0:
			return Request{}, io.EOF
		case errors.Is(err, io.EOF):
			return Request{}, errors.New("bad request: no newline before the end")
		case err != nil:
			return Request{}, fmt.Errorf("read the request: %w", err)
		}
	}
}

// write sends an answer within the write timeout; a client that has gone
// or stopped reading is dropped.
func (s *Server) write(c *net.UnixConn, b []byte) {
	if c.SetWriteDeadline(time.Now().Add(s.cfg.WriteTimeout)) != nil {
		return
	}
	_ = send(c, b)
}
