package procfile

import (
	"fmt"
	"os"
	"strings"
)

// Split splits one command into words the way a POSIX shell would, limited
// to quoting and parameter expansion (see the package documentation).
// getenv looks variables up, nil meaning os.LookupEnv; an unset variable
// expands like an empty one, as in sh. A command of only blanks or a
// comment gives no words and no error. Errors are *Error with File and Line
// unset.
func Split(s string, getenv func(string) (string, bool)) ([]string, error) {
	if getenv == nil {
		getenv = os.LookupEnv
	}
	words, err := split(s, getenv)
	if err != nil {
		return nil, err
	}
	return words, nil
}

// split returns *Error rather than error so that Parse can fill in the
// file and line without a type assertion.
func split(s string, getenv func(string) (string, bool)) ([]string, *Error) {
	if strings.IndexByte(s, 0) >= 0 {
		return nil, errorf("NUL byte in command")
	}
	if token, name, ok := leadingAssignment(s); ok {
		return nil, errorf("%q is a variable assignment, which needs a shell; use env %s=... COMMAND, or sh -c '...'", token, name)
	}
	sp := splitter{s: s, getenv: getenv}
	if err := sp.run(); err != nil {
		return nil, err
	}
	return sp.words, nil
}

type splitter struct {
	s      string
	i      int // next byte of s to read
	getenv func(string) (string, bool)
	words  []string
	cur    strings.Builder
	// field is true when cur holds a word to emit, even an empty one: a
	// quoted "" makes a word, an unquoted expansion to nothing does not.
	field bool
	// token is true from the first byte of a blank-separated token to the
	// next blank. It differs from field after an empty expansion, and
	// decides whether '#' starts a comment, which it does only at a
	// token's start, as in sh.
	token bool
}

func (sp *splitter) run() *Error {
	for sp.i < len(sp.s) {
		c := sp.s[sp.i]
		switch c {
		case ' ', '\t':
			sp.endField()
			sp.token = false
			sp.i++
			continue
		case '#':
			if !sp.token {
				sp.i = len(sp.s)
				continue
			}
		}
		sp.token = true
		var err *Error
		switch c {
		case '\\':
			err = sp.backslash()
		case '\'':
			err = sp.single()
		case '"':
			err = sp.double()
		case '$':
			err = sp.dollar(false)
		default:
			if what := shellOnly(c); what != "" {
				return errorf("unquoted %q is shell syntax (%s), which pidone does not run; quote it to pass it on as it is, or use sh -c '...'", c, what)
			}
			sp.cur.WriteByte(c)
			sp.field = true
			sp.i++
		}
		if err != nil {
			return err
		}
	}
	sp.endField()
	return nil
}

// shellOnly names the shell feature an unquoted byte would start, or
// returns "" for a byte that is a plain word character here. Globbing and
// '~' are not listed: their characters stay literal, which is also what sh
// does with a pattern that matches nothing, while the features below would
// silently change what runs if taken literally.
func shellOnly(c byte) string {
	switch c {
	case '|':
		return "pipe"
	case '&':
		return "background job or &&"
	case ';', '\n':
		return "command separator"
	case '<', '>':
		return "redirection"
	case '(', ')':
		return "subshell"
	case '`':
		return "command substitution"
	}
	return ""
}

func (sp *splitter) endField() {
	if sp.field {
		sp.words = append(sp.words, sp.cur.String())
	}
	sp.cur.Reset()
	sp.field = false
}

func (sp *splitter) backslash() *Error {
	if sp.i+1 == len(sp.s) {
		return errorf("trailing backslash: a command cannot continue on the next line")
	}
	sp.i++
	if sp.s[sp.i] == '\n' {
		// A line continuation: sh removes both bytes.
		sp.i++
		return nil
	}
	sp.cur.WriteByte(sp.s[sp.i])
	sp.field = true
	sp.i++
	return nil
}

func (sp *splitter) single() *Error {
	end := strings.IndexByte(sp.s[sp.i+1:], '\'')
	if end < 0 {
		return errorf("unterminated single quote (')")
	}
	sp.cur.WriteString(sp.s[sp.i+1 : sp.i+1+end])
	sp.field = true
	sp.i += end + 2
	return nil
}

func (sp *splitter) double() *Error {
	sp.field = true
	sp.i++
	for sp.i < len(sp.s) {
		c := sp.s[sp.i]
		switch c {
		case '"':
			sp.i++
			return nil
		case '\\':
			// Inside double quotes a backslash escapes only these; before
			// anything else it is an ordinary character.
			if sp.i+1 < len(sp.s) {
				switch next := sp.s[sp.i+1]; next {
				case '$', '`', '"', '\\':
					sp.cur.WriteByte(next)
					sp.i += 2
					continue
				case '\n':
					sp.i += 2
					continue
				}
			}
			sp.cur.WriteByte(c)
			sp.i++
		case '$':
			if err := sp.dollar(true); err != nil {
				return err
			}
		case '`':
			return errorf("%q inside double quotes is shell syntax (command substitution), which pidone does not run; write \\` for a literal one, or use sh -c '...'", c)
		default:
			sp.cur.WriteByte(c)
			sp.i++
		}
	}
	return errorf("unterminated double quote (\")")
}

// dollar handles the '$' at sp.i.
func (sp *splitter) dollar(quoted bool) *Error {
	rest := sp.s[sp.i+1:]
	if rest == "" {
		sp.cur.WriteByte('$')
		sp.field = true
		sp.i++
		return nil
	}
	c := rest[0]
	switch {
	case c == '{':
		end := strings.IndexByte(rest, '}')
		if end < 0 {
			return errorf("unterminated ${: expected ${NAME}")
		}
		name := rest[1:end]
		if !isVarName(name) {
			return errorf("bad expansion %q: only ${NAME} is supported, NAME being ASCII letters, digits and _, not starting with a digit", "$"+rest[:end+1])
		}
		sp.i += 1 + end + 1
		return sp.expand(name, quoted)
	case isVarStart(c):
		n := 1
		for n < len(rest) && isVarByte(rest[n]) {
			n++
		}
		sp.i += 1 + n
		return sp.expand(rest[:n], quoted)
	case c == '(':
		return errorf("\"$(\" is shell syntax (command or arithmetic substitution), which pidone does not run; use sh -c '...'")
	case c >= '0' && c <= '9' || strings.IndexByte("@*#?-$!", c) >= 0:
		return errorf("\"$%c\" is a shell special parameter, which a Procfile command does not have; write \\$%c for a literal one", c, c)
	case c == '\'' && !quoted:
		return errorf("$'...' quoting is not supported; use '...' or \"...\"")
	}
	// sh leaves a '$' that starts no expansion as it is.
	sp.cur.WriteByte('$')
	sp.field = true
	sp.i++
	return nil
}

// expand appends the value of name. Unquoted, the value is split into
// fields at blanks and newlines, as sh does with the default IFS; IFS from
// the environment is deliberately ignored, since it would change how every
// later command line splits.
func (sp *splitter) expand(name string, quoted bool) *Error {
	v, _ := sp.getenv(name)
	if strings.IndexByte(v, 0) >= 0 {
		return errorf("variable %s holds a NUL byte, which no argument can carry", name)
	}
	if quoted {
		sp.cur.WriteString(v)
		return nil
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case ' ', '\t', '\n':
			sp.endField()
		default:
			sp.cur.WriteByte(c)
			sp.field = true
		}
	}
	return nil
}

// leadingAssignment reports whether the command's first token starts with
// NAME=, which sh would take as an environment assignment rather than the
// program to run. Taken literally it would fail later as "command not
// found", far from the cause, so it is refused here.
func leadingAssignment(s string) (token, name string, ok bool) {
	s = strings.TrimLeft(s, " \t")
	eq := strings.IndexByte(s, '=')
	if eq <= 0 || !isVarName(s[:eq]) {
		return "", "", false
	}
	if end := strings.IndexAny(s, " \t"); end >= 0 {
		s = s[:end]
	}
	return s, s[:eq], true
}

func isVarStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isVarByte(c byte) bool {
	return isVarStart(c) || c >= '0' && c <= '9'
}

func isVarName(s string) bool {
	if s == "" || !isVarStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isVarByte(s[i]) {
			return false
		}
	}
	return true
}

func errorf(format string, args ...any) *Error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}
