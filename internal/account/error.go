package account

import (
	"fmt"
	"strings"
	"unicode"
)

// Error is why a --user value could not be resolved: a malformed spec, an
// unknown user or group, or an account file that cannot be read or whose
// matching entry is malformed.
type Error struct {
	Spec string // the USER[:GROUP] value as given
	File string // the account file at fault, "" when the spec itself is
	Line int    // 1-based line of File at fault, 0 when no single line is
	Msg  string // what is wrong, without Spec, File or Line
	Err  error  // the underlying I/O error, if any; its text is in Msg
}

// Error returns one line: `user "SPEC": [FILE:LINE: ]MSG`.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "user %q: ", e.Spec)
	if e.File != "" && e.Line > 0 {
		fmt.Fprintf(&b, "%s:%d: ", e.File, e.Line)
	}
	b.WriteString(e.Msg)
	return oneLine(b.String())
}

// Unwrap gives errors.Is access to the I/O error, e.g. fs.ErrPermission.
func (e *Error) Unwrap() error { return e.Err }

// oneLine escapes control characters, which can only come from a file
// name or an OS error text: the message ends up as a single log line.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, breaksLine) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if breaksLine(r) {
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func breaksLine(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}
