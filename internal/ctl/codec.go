package ctl

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/pidone/pidone/internal/signals"
)

// The codec is canonical: every value has exactly one encoding, and a
// decoder accepts only encodings the encoder could have written. The fuzz
// tests hold it to that (decode, encode again, compare bytes), which
// catches a lenient decoder as surely as a crashing one.

// EncodeRequest returns the one line that carries r, newline included.
func EncodeRequest(r Request) ([]byte, error) {
	if err := r.Validate(); err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	b := make([]byte, 0, 64)
	b = append(b, protocolTag...)
	b = append(b, ' ')
	b = append(b, r.Verb...)
	if r.Name != "" {
		b = append(b, ' ')
		b = append(b, r.Name...)
	}
	if r.Signal != 0 {
		b = append(b, ' ')
		b = append(b, signals.Name(r.Signal)...)
	}
	b = append(b, '\n')
	if len(b) > MaxRequest {
		return nil, fmt.Errorf("encode request: %d bytes, more than %d", len(b), MaxRequest)
	}
	return b, nil
}

// DecodeRequest reads the request in b, which must be exactly one line:
// at most MaxRequest bytes, ending in its only newline.
func DecodeRequest(b []byte) (Request, error) {
	r, err := decodeRequest(b)
	if err != nil {
		return Request{}, fmt.Errorf("decode request: %w", err)
	}
	return r, nil
}

func decodeRequest(b []byte) (Request, error) {
	if len(b) > MaxRequest {
		return Request{}, fmt.Errorf("%d bytes, more than %d", len(b), MaxRequest)
	}
	words, err := splitLine(b)
	if err != nil {
		return Request{}, err
	}
	if words[0] != protocolTag {
		return Request{}, fmt.Errorf("not a %s request: starts with %s", protocolTag, quote(words[0]))
	}
	words = words[1:]
	if len(words) == 0 {
		return Request{}, errors.New("no verb")
	}
	r := Request{Verb: words[0]}
	n, ok := arity(r.Verb)
	if !ok {
		return Request{}, fmt.Errorf("unknown verb %s", quote(r.Verb))
	}
	if len(words)-1 != n {
		return Request{}, fmt.Errorf("%s takes %d arguments, got %d", r.Verb, n, len(words)-1)
	}
	if n >= 1 {
		r.Name = words[1]
	}
	if n == 2 {
		sig, err := signals.Parse(words[2])
		// Only the spelling EncodeRequest writes: "SIGTERM", not "term"
		// or "15".
		if err != nil || signals.Name(sig) != words[2] {
			return Request{}, fmt.Errorf("%s: signal %s is not a canonical signal name", r.Verb, quote(words[2]))
		}
		r.Signal = sig
	}
	if err := r.Validate(); err != nil {
		return Request{}, err
	}
	return r, nil
}

// splitLine checks that b is one line of printable ASCII words separated
// by single spaces, and returns the words.
func splitLine(b []byte) ([]string, error) {
	if len(b) == 0 || b[len(b)-1] != '\n' {
		return nil, errors.New("not a line ended by a newline")
	}
	line := b[:len(b)-1]
	for i, c := range line {
		if c < 0x20 || c > 0x7e {
			return nil, fmt.Errorf("byte %#02x at %d, not printable ASCII", c, i)
		}
	}
	words := strings.Split(string(line), " ")
	for _, w := range words {
		if w == "" {
			return nil, errors.New("words not separated by single spaces")
		}
	}
	return words, nil
}

// A response is a few lines, always in this order:
//
//	pidone-ctl/1 STATUS
//	message TEXT                                     (when there is one)
//	phase PHASE                                      (when there is a snapshot)
//	process NAME PID STATE RESTARTS UPTIME_NS LAST   (one per process)
//	end
//
// The closing "end" tells a complete answer from one cut short by a server
// that died mid-write.

// EncodeResponse returns the lines that carry r.
func EncodeResponse(r Response) ([]byte, error) {
	if err := r.Validate(); err != nil {
		return nil, fmt.Errorf("encode response: %w", err)
	}
	b := make([]byte, 0, 128)
	b = append(b, protocolTag...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(r.Status), 10)
	b = append(b, '\n')
	if r.Message != "" {
		b = append(b, "message "...)
		b = append(b, r.Message...)
		b = append(b, '\n')
	}
	if s := r.Snapshot; s != nil {
		b = append(b, "phase "...)
		b = append(b, s.Phase...)
		b = append(b, '\n')
		for _, p := range s.Processes {
			b = append(b, "process "...)
			b = append(b, p.Name...)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(p.Pid), 10)
			b = append(b, ' ')
			b = append(b, p.State...)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(p.Restarts), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(p.Uptime), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(p.LastStatus), 10)
			b = append(b, '\n')
		}
	}
	b = append(b, "end\n"...)
	if len(b) > MaxResponse {
		return nil, fmt.Errorf("encode response: %d bytes, more than %d", len(b), MaxResponse)
	}
	return b, nil
}

// DecodeResponse reads the response in b, which must hold exactly one
// response, at most MaxResponse bytes.
func DecodeResponse(b []byte) (Response, error) {
	r, err := decodeResponse(b)
	if err != nil {
		return Response{}, fmt.Errorf("decode response: %w", err)
	}
	return r, nil
}

func decodeResponse(b []byte) (Response, error) {
	if len(b) > MaxResponse {
		return Response{}, fmt.Errorf("%d bytes, more than %d", len(b), MaxResponse)
	}
	var r Response
	line, rest, err := nextLine(b)
	if err != nil {
		return r, err
	}
	tag, status, _ := strings.Cut(line, " ")
	if tag != protocolTag {
		return r, fmt.Errorf("not a %s response: starts with %s", protocolTag, quote(line))
	}
	if r.Status, err = number(status, 0, 255); err != nil {
		return r, fmt.Errorf("status: %w", err)
	}
	if line, rest, err = nextLine(rest); err != nil {
		return r, err
	}
	if text, ok := strings.CutPrefix(line, "message "); ok {
		if text == "" {
			return r, errors.New("empty message line")
		}
		r.Message = text
		if line, rest, err = nextLine(rest); err != nil {
			return r, err
		}
	}
	if phase, ok := strings.CutPrefix(line, "phase "); ok {
		r.Snapshot = &Snapshot{Phase: phase}
		for {
			if line, rest, err = nextLine(rest); err != nil {
				return r, err
			}
			fields, ok := strings.CutPrefix(line, "process ")
			if !ok {
				break
			}
			p, err := decodeProcess(fields)
			if err != nil {
				return r, fmt.Errorf("process line %d: %w", len(r.Snapshot.Processes)+1, err)
			}
			r.Snapshot.Processes = append(r.Snapshot.Processes, p)
		}
	}
	if line != "end" {
		return r, fmt.Errorf("unexpected line %s", quote(line))
	}
	if len(rest) != 0 {
		return r, errors.New("bytes after the end of the response")
	}
	if err := r.Validate(); err != nil {
		return Response{}, err
	}
	return r, nil
}

// nextLine returns the first line of b, checked to be printable ASCII,
// and what follows it.
func nextLine(b []byte) (string, []byte, error) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return "", nil, errors.New("response cut short")
	}
	for j, c := range b[:i] {
		if c < 0x20 || c > 0x7e {
			return "", nil, fmt.Errorf("byte %#02x at %d of a line, not printable ASCII", c, j)
		}
	}
	return string(b[:i]), b[i+1:], nil
}

func decodeProcess(fields string) (ProcessStatus, error) {
	var p ProcessStatus
	w := strings.Split(fields, " ")
	if len(w) != 6 {
		return p, fmt.Errorf("%d fields, want 6", len(w))
	}
	p.Name, p.State = w[0], w[2]
	var err error
	if p.Pid, err = number(w[1], 0, math.MaxInt32); err != nil {
		return p, fmt.Errorf("pid: %w", err)
	}
	if p.Restarts, err = number(w[3], 0, math.MaxInt32); err != nil {
		return p, fmt.Errorf("restarts: %w", err)
	}
	up, err := number64(w[4], 0, math.MaxInt64)
	if err != nil {
		return p, fmt.Errorf("uptime: %w", err)
	}
	p.Uptime = time.Duration(up)
	if p.LastStatus, err = number(w[5], -1, 255); err != nil {
		return p, fmt.Errorf("last status: %w", err)
	}
	return p, nil
}

// number reads a decimal integer in [lo, hi] written as
// strconv.AppendInt writes it: no '+', no leading zeros, no "-0".
func number(s string, lo, hi int) (int, error) {
	n, err := number64(s, int64(lo), int64(hi))
	return int(n), err
}

func number64(s string, lo, hi int64) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != s {
		return 0, fmt.Errorf("%s is not a decimal number", quote(s))
	}
	if n < lo || n > hi {
		return 0, fmt.Errorf("%d outside %d-%d", n, lo, hi)
	}
	return n, nil
}

// quote shows a piece of peer input in an error: quoted, so that it stays
// on one line, and cut, so that a 4 KiB word does not become a 4 KiB
// message.
func quote(s string) string {
	const max = 40
	if len(s) > max {
		return strconv.Quote(s[:max]) + "..."
	}
	return strconv.Quote(s)
}
