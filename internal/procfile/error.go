package procfile

import (
	"github.com/pidone/pidone/internal/oneline"
	"strconv"
	"strings"
)

// Error is every error this package returns. Callers treat any *Error as a
// usage error (exit status 2): it is always about the file's content or the
// file's absence, never about pidone itself.
type Error struct {
	// File is the name given to Parse or the path given to ParseFile; it is
	// empty for an error from Split.
	File string
	// Line is the 1-based line the error is about, or 0 when it is about the
	// file as a whole (missing, unreadable, no process declared) or comes
	// from Split.
	Line int
	// Msg says what is wrong, on one line, without the file and line prefix.
	Msg string
}

// Error returns one line, "procfile FILE:LINE: MSG", leaving out FILE or
// LINE when they are unset.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("procfile")
	if e.File != "" {
		b.WriteByte(' ')
		b.WriteString(oneline.Escape(e.File))
	}
	if e.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	b.WriteString(oneline.Escape(e.Msg))
	return b.String()
}
