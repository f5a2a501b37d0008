package procfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"unicode/utf8"
)

// Entry is one declared process.
type Entry struct {
	// Name is the process name, unique within the file.
	Name string
	// Line is the 1-based line of the file that declares the process.
	Line int
	// Command is what the line runs; its fields (Argv, Shell, Why, Text,
	// Env) are promoted.
	Command
	// Options are the line's PIDONE_ settings.
	Options Options
}

// maxSize bounds what Parse reads, so that a --procfile pointed at a
// device or a log by mistake fails at once instead of filling memory.
const maxSize = 1 << 20

// Parse reads a Procfile from r and returns its entries in file order.
// file names the input in error messages only. Every error is an *Error,
// and nothing is returned with it: one bad line rejects the file.
func Parse(file string, r io.Reader, cfg Config) ([]Entry, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxSize+1))
	if err != nil {
		return nil, &Error{File: file, Msg: "cannot read: " + cause(err)}
	}
	if len(data) > maxSize {
		return nil, &Error{File: file, Msg: fmt.Sprintf("larger than %d bytes; is it a Procfile?", maxSize)}
	}
	entries, perr := parse(string(data), newConf(cfg))
	if perr != nil {
		perr.File = file
		return nil, perr
	}
	return entries, nil
}

// cause drops the operation and path that *fs.PathError repeats, since
// *Error already names the file.
func cause(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func parse(text string, c *conf) ([]Entry, *Error) {
	// Editors that write CRLF often write a byte order mark too.
	text = strings.TrimPrefix(text, "\uFEFF")
	var entries []Entry
	first := map[string]int{} // name → line that declared it
	for n, line := range strings.Split(text, "\n") {
		lineNo := n + 1
		e, err := parseLine(strings.TrimSuffix(line, "\r"), c)
		if err != nil {
			err.Line = lineNo
			return nil, err
		}
		if e == nil {
			continue
		}
		if prev, dup := first[e.Name]; dup {
			return nil, &Error{Line: lineNo, Msg: fmt.Sprintf("duplicate name %q, first declared on line %d", e.Name, prev)}
		}
		first[e.Name] = lineNo
		e.Line = lineNo
		entries = append(entries, *e)
	}
	if len(entries) == 0 {
		return nil, &Error{Msg: "no process declared"}
	}
	if err := checkAfter(entries); err != nil {
		return nil, err
	}
	return entries, nil
}

// parseLine returns nil and no error for a blank or comment line.
func parseLine(line string, c *conf) (*Entry, *Error) {
	// Checked before anything is skipped: a NUL or a broken byte sequence,
	// even in a comment, means the file is not the text it is taken for.
	if strings.IndexByte(line, 0) >= 0 {
		return nil, errorf("NUL byte")
	}
	if !utf8.ValidString(line) {
		return nil, errorf("invalid UTF-8")
	}
	t := strings.TrimLeft(line, " \t")
	if t == "" || t[0] == '#' {
		return nil, nil
	}
	colon := strings.IndexByte(t, ':')
	if colon < 0 {
		return nil, errorf("no \":\" after a process name; a line is NAME: COMMAND")
	}
	name := strings.TrimRight(t[:colon], " \t")
	if name == "" {
		return nil, errorf("no process name before \":\"")
	}
	if !ValidName(name) {
		return nil, errorf("bad process name %q: use only ASCII letters, digits, \"_\" and \"-\"", name)
	}
	command := t[colon+1:]
	if strings.Trim(command, " \t") == "" {
		return nil, errorf("empty command for %q", name)
	}
	cmd, settings, err := splitCommand(command, c, fmt.Sprintf("command for %q", name), true)
	if err != nil {
		return nil, err
	}
	opts, err := parseOptions(settings, c, cmd.Assigned)
	if err != nil {
		return nil, err
	}
	return &Entry{Name: name, Command: cmd, Options: opts}, nil
}

// ValidName reports whether s can name a process: ASCII letters, digits,
// '_' and '-', which keeps a name one word in a Procfile, on the --ctl
// wire and in a table.
func ValidName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
