package oneline

import (
	"strconv"
	"strings"
	"unicode"
)

// Escape returns s with every character that could break a line or a
// terminal (control characters, and the Unicode line and paragraph
// separators) written as a Go escape (\n, \x00, \u2028); s itself when it
// has none.
func Escape(s string) string {
	if !strings.ContainsFunc(s, breaks) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if breaks(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Error is an error whose message is escaped by Escape.
type Error struct{ Err error }

func (e Error) Error() string { return Escape(e.Err.Error()) }

// Unwrap gives errors.Is and errors.As the error inside.
func (e Error) Unwrap() error { return e.Err }

func breaks(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}
