package account

import (
	"fmt"
	"strings"

	"github.com/pidone/pidone/internal/oneline"
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
	return oneline.Escape(b.String())
}

// Unwrap gives errors.Is access to the I/O error, e.g. fs.ErrPermission.
func (e *Error) Unwrap() error { return e.Err }
