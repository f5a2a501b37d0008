package ctl

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/pidone/pidone/internal/signals"
)

// sendTimeout bounds the sending of a request. Only status has a deadline
// for its answer too (finder.statusWait): the other verbs answer once
// their work is done, and a restart takes as long as the process's stop
// and start.
const sendTimeout = 2 * time.Second

// usageLine lists the verbs, for a usage error.
const usageLine = "status [--json], restart NAME, stop NAME, start NAME or signal NAME SIG"

// command is a parsed command line: the request, and how to show the
// answer.
type command struct {
	req  Request
	json bool
}

// Main runs `pidone --ctl VERB [ARG...]`; args are the words after --ctl.
// It finds the pidone of this container, asks, writes the answer, and
// returns the exit status: the server's, 2 for a usage error, 1 when no
// pidone answered. Every error is one line on stderr, starting "pidone: ".
// It reads no environment variable: PIDONE_* configure a run, and a client
// that obeyed them would act on the configuration of whoever runs it.
func Main(args []string, stdout, stderr io.Writer) int {
	return defaultFinder().main(args, stdout, stderr)
}

func (f finder) main(args []string, stdout, stderr io.Writer) int {
	cmd, err := parseArgs(args)
	if err != nil {
		complain(stderr, "--ctl "+err.Error())
		return StatusUsage
	}
	conn, pid, err := f.find()
	if err != nil {
		complain(stderr, err.Error())
		return StatusFailed
	}
	wait := time.Duration(0)
	if cmd.req.Verb == VerbStatus {
		wait = f.statusWait
	}
	resp, err := exchange(conn, pid, cmd.req, wait)
	if err != nil {
		complain(stderr, err.Error())
		return StatusFailed
	}
	switch {
	case cmd.json:
		err = RenderJSON(stdout, resp)
	case resp.Snapshot != nil:
		err = RenderTable(stdout, resp.Snapshot)
	}
	if err != nil {
		complain(stderr, "write the status: "+err.Error())
		return StatusFailed
	}
	if resp.Message != "" {
		if resp.Status != 0 {
			complain(stderr, resp.Message)
		} else if !cmd.json { // the document holds it
			fmt.Fprintln(stdout, resp.Message)
		}
	}
	return resp.Status
}

// complain writes one error line.
func complain(w io.Writer, msg string) {
	fmt.Fprintf(w, "pidone: %s\n", fitMessage(msg))
}

// parseArgs reads VERB [ARG...]. Its errors start with the verb, ready to
// follow "--ctl ".
func parseArgs(args []string) (command, error) {
	if len(args) == 0 {
		return command{}, errors.New("needs a verb: " + usageLine)
	}
	verb, rest := args[0], args[1:]
	cmd := command{req: Request{Verb: verb}}
	n, ok := arity(verb)
	if !ok {
		return command{}, fmt.Errorf("%s: unknown verb; the verbs are %s", quote(verb), usageLine)
	}
	if verb == VerbStatus && len(rest) == 1 && rest[0] == "--json" {
		cmd.json, rest = true, nil
	}
	switch {
	case len(rest) < n:
		return command{}, fmt.Errorf("%s: missing %s", verb, [...]string{"NAME", "SIG"}[len(rest)])
	case len(rest) > n:
		return command{}, fmt.Errorf("%s: unexpected argument %s", verb, quote(rest[n]))
	}
	if n >= 1 {
		if !ValidName(rest[0]) {
			return command{}, fmt.Errorf("%s: invalid process name %s", verb, quote(rest[0]))
		}
		cmd.req.Name = rest[0]
	}
	if n == 2 {
		sig, err := signals.Parse(rest[1])
		if err != nil {
			return command{}, fmt.Errorf("%s: %w", verb, err)
		}
		cmd.req.Signal = sig
	}
	return cmd, nil
}

// exchange sends req on c and reads the answer, waiting at most wait for
// it (0: as long as it takes). c is closed.
func exchange(c *net.UnixConn, pid int, req Request, wait time.Duration) (Response, error) {
	defer c.Close()
	b, err := EncodeRequest(req)
	if err != nil {
		return Response{}, err
	}
	var sendErr error
	if err := c.SetWriteDeadline(time.Now().Add(sendTimeout)); err != nil {
		sendErr = err
	} else {
		sendErr = send(c, b)
	}
	// Read even when the send failed: a server that refuses a peer
	// answers without reading, and its answer may be waiting.
	if wait > 0 {
		if err := c.SetReadDeadline(time.Now().Add(wait)); err != nil {
			return Response{}, fmt.Errorf("ask pidone (pid %d): %w", pid, err)
		}
	}
	data, readErr := io.ReadAll(io.LimitReader(c, MaxResponse+1))
	resp, err := DecodeResponse(data)
	switch {
	case err == nil:
		return resp, nil
	case errors.Is(readErr, os.ErrDeadlineExceeded):
		return Response{}, fmt.Errorf("no answer from pidone (pid %d) within %v", pid, wait)
	case len(data) == 0 && sendErr != nil:
		return Response{}, fmt.Errorf("ask pidone (pid %d): %w", pid, sendErr)
	case len(data) == 0 && readErr != nil:
		return Response{}, fmt.Errorf("read the answer of pidone (pid %d): %w", pid, readErr)
	case len(data) == 0:
		return Response{}, fmt.Errorf("pidone (pid %d) hung up without answering", pid)
	}
	return Response{}, fmt.Errorf("pidone (pid %d) answered: %w", pid, err)
}
