package ctl

import (
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"
)

// Call is one request waiting for the loop's answer.
type Call struct {
	// Request is what the client asks.
	Request Request
	// Peer is the client, for the loop's log.
	Peer Peer

	replied atomic.Bool
	answer  chan []byte // capacity 1: the one Reply that counts never waits
}

func newCall(r Request, p Peer) *Call {
	return &Call{Request: r, Peer: p, answer: make(chan []byte, 1)}
}

// Reply answers the call. It never blocks, whether the client is still
// there or long gone, and may come from any goroutine, any time later; the
// first Reply counts and later ones are ignored.
//
// r is encoded at once, so the loop may reuse its snapshot afterwards. Its
// Message is made to fit: control characters and non-ASCII runes are
// escaped and a long message is cut. A response that still cannot be
// encoded (an unknown state, say) reaches the client as a failure naming
// the problem, rather than leave it waiting.
func (c *Call) Reply(r Response) {
	if !c.replied.CompareAndSwap(false, true) {
		return
	}
	r.Message = fitMessage(r.Message)
	b, err := EncodeResponse(r)
	if err != nil {
		b = mustEncode(Response{Status: StatusFailed, Message: fitMessage("pidone cannot answer: " + err.Error())})
	}
	c.answer <- b
}

// mustEncode encodes a response built here, which has no way to be
// invalid.
func mustEncode(r Response) []byte {
	b, err := EncodeResponse(r)
	if err != nil {
		panic("ctl: " + err.Error())
	}
	return b
}

// fitMessage makes m one line of printable ASCII no longer than
// MaxMessage: the loop's messages quote paths and commands, which may hold
// anything. Other bytes are escaped as Go would quote them, and a message
// that is too long is cut between escapes and marked with "...".
func fitMessage(m string) string {
	var b strings.Builder
	cut := -1 // where to cut, once the message proves too long
	for i := 0; i < len(m); {
		r, size := utf8.DecodeRuneInString(m[i:])
		switch {
		case r >= 0x20 && r <= 0x7e:
			b.WriteByte(m[i])
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(m[i])|0x100, 16)[1:])
		default:
			q := strconv.QuoteRuneToASCII(r) // 'x' with the escape inside
			b.WriteString(q[1 : len(q)-1])
		}
		i += size
		if b.Len() <= MaxMessage-len("...") {
			cut = b.Len()
		}
		if b.Len() > MaxMessage {
			return b.String()[:cut] + "..."
		}
	}
	return b.String()
}
