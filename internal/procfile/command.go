package procfile

import (
	"fmt"
	"os"
	"strings"
)

// ShellPath is the shell that runs a command needing one.
const ShellPath = "/bin/sh"

// optionPrefix starts the assignments that set a per-process option.
const optionPrefix = "PIDONE_"

// Command is one command after splitting: what to execute, and the
// variables its leading assignments set.
type Command struct {
	// Argv is what to execute; Argv[0] is never empty. A program name
	// without a '/' is meant to be looked up in PATH, the PATH of Env when
	// the command sets one, as sh does. For a command that needs a shell,
	// Argv is {ShellPath, "-c", Text}.
	Argv []string
	// Shell is true when Argv runs Text through ShellPath.
	Shell bool
	// Why names what made the command need a shell, for log lines, as in
	// `a pipe ("|")`; it is "" when Shell is false.
	Why string
	// Text is the command as written, without surrounding blanks, after
	// the leading assignments that pidone handles: all of them for a
	// command pidone runs itself, the PIDONE_ ones for a command that
	// needs a shell, which expands Text and does its assignments.
	Text string
	// Env holds the leading assignments other than PIDONE_ ones of a
	// command pidone runs itself, as "NAME=value" after expansion, in
	// order. A name assigned twice appears once, where it was first
	// assigned, with its last value. They add to or replace variables of
	// the environment the command runs in. It is nil for a command that
	// needs a shell.
	Env []string
	// Assigned holds the same assignments whoever does them: pidone (then
	// they are Env) or the shell. A readiness check runs with them.
	Assigned []string
}

// Config holds what splitting consults beyond the text itself. Its zero
// value reads pidone's own environment and file system.
type Config struct {
	// Getenv looks up the variables that expansions read. nil means
	// os.LookupEnv.
	Getenv func(name string) (value string, ok bool)
	// HaveShell reports whether ShellPath exists and can be executed.
	// nil means a look at the file system. It is called at most once per
	// Parse, ParseFile or Split, and only when a command needs a shell.
	HaveShell func() bool
}

// conf is a Config with its defaults filled in.
type conf struct {
	get       lookupFunc
	haveShell func() bool
	known     bool // haveShell has been asked
	shell     bool // its answer
}

func newConf(cfg Config) *conf {
	c := &conf{get: cfg.Getenv, haveShell: cfg.HaveShell}
	if c.get == nil {
		c.get = os.LookupEnv
	}
	if c.haveShell == nil {
		c.haveShell = shellExists
	}
	return c
}

func (c *conf) hasShell() bool {
	if !c.known {
		c.shell, c.known = c.haveShell(), true
	}
	return c.shell
}

// shellExists is the default HaveShell: a file that the kernel could
// execute, following symbolic links, as /bin/sh usually is one.
func shellExists() bool {
	fi, err := os.Stat(ShellPath)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// Split splits one command the way the command of a Procfile line is
// split (see the package documentation): leading assignments, quoting,
// parameter expansion, and a shell for whatever needs one. A PIDONE_
// assignment is an error here, since options belong to a Procfile line.
// Errors are *Error with File and Line unset.
func Split(s string, cfg Config) (Command, error) {
	cmd, _, err := splitCommand(s, newConf(cfg), "command", false)
	if err != nil {
		return Command{}, err
	}
	return cmd, nil
}

// setting is a PIDONE_ assignment after expansion.
type setting struct {
	name, value string
}

// splitCommand does the work of Split for a command that subject names in
// messages. With options, PIDONE_ assignments are returned as settings
// rather than refused.
func splitCommand(s string, c *conf, subject string, options bool) (Command, []setting, *Error) {
	var cmd Command
	if strings.IndexByte(s, 0) >= 0 {
		return cmd, nil, errorf("NUL byte in command")
	}
	l, err := lex(s)
	if err != nil {
		return cmd, nil, err
	}
	if len(l.words) == 0 && !l.opFirst {
		if len(l.assigns) > 0 {
			return cmd, nil, errorf("%s has assignments but no command to apply them to", subject)
		}
		return cmd, nil, errorf("%s is empty once comments and empty variables are removed", subject)
	}
	assigns, from, why, err := handled(s, l, options)
	if err != nil {
		return cmd, nil, err
	}
	cmd.Why = why
	cmd.Text = strings.TrimRight(s[from:], " \t")

	// A simple command (no operator, no construct only a shell expands)
	// is expanded by pidone even when sh will run it, for a first word
	// such as echo: sh would expand it the same way, so a failing ${X:?}
	// is a usage error before anything starts rather than sh's exit 2 at
	// run time. Otherwise what sh runs before an expansion may change
	// it, so sh reports it.
	simple := cmd.Why == ""
	// The words come first, as in sh, which matters for which of two
	// failing ${X:?} is reported. They see none of the assignments.
	var argv []string
	if simple {
		if argv, err = direct(&cmd, l.words, c.get, subject); err != nil {
			return cmd, nil, err
		}
	}
	// Each value sees the assignments to its left, as in sh.
	scope := map[string]string{}
	get := overlay(c.get, scope)
	place := map[string]int{} // name → its index in cmd.Env
	var settings []setting
	var shellsToReport *Error // a failed assignment that sh will do
	for _, a := range assigns {
		v, err := expandString(a.nodes, get)
		switch {
		case err != nil && !simple && !isOption(a.name):
			// sh does this assignment and reports it, unless an option
			// pidone reads after it depends on it.
			if shellsToReport == nil {
				shellsToReport = err
			}
			continue
		case err != nil:
			return cmd, nil, err
		case isOption(a.name) && shellsToReport != nil:
			return cmd, nil, shellsToReport
		}
		scope[a.name] = v
		if isOption(a.name) {
			settings = append(settings, setting{a.name, v})
			continue
		}
		// A name assigned twice keeps its first place, for a shorter Env.
		if i, ok := place[a.name]; ok {
			cmd.Env[i] = a.name + "=" + v
		} else {
			place[a.name] = len(cmd.Env)
			cmd.Env = append(cmd.Env, a.name+"="+v)
		}
	}
	cmd.Assigned = cmd.Env
	if cmd.Why == "" {
		cmd.Argv = argv
		return cmd, settings, nil
	}
	if !c.hasShell() {
		return cmd, nil, errorf("%s needs a shell for %s, and %s does not exist; run a program directly or use an image with a shell", subject, cmd.Why, ShellPath)
	}
	// sh does the assignments itself, as it would for foreman: they apply
	// to the first command of TEXT and not to its expansions.
	cmd.Shell = true
	cmd.Text = strings.TrimRight(withoutOptions(s, assigns, from), " \t")
	cmd.Env = nil
	cmd.Argv = []string{ShellPath, "-c", cmd.Text}
	return cmd, settings, nil
}

// withoutOptions is the text of a command from its first assignment on,
// less the PIDONE_ assignments among assigns, which end before from.
func withoutOptions(s string, assigns []word, from int) string {
	if len(assigns) == 0 {
		return s[from:]
	}
	var b strings.Builder
	pos := assigns[0].start
	for _, a := range assigns {
		if isOption(a.name) {
			b.WriteString(s[pos:a.start])
			pos = a.end
			for pos < len(s) && (s[pos] == ' ' || s[pos] == '\t') {
				pos++
			}
		}
	}
	b.WriteString(s[pos:])
	return b.String()
}

// handled picks the leading assignments that pidone does itself and
// where the text left for the command starts. The shell takes over from
// the first assignment whose value needs one, or from the first one when
// an operator instead of a command follows them (A=1; cmd): those are not
// the assignments of a command, so sh must see them as written. Options
// must come before that point, since sh would not know them.
func handled(s string, l lexed, options bool) (assigns []word, from int, why string, err *Error) {
	assigns, from, why = l.assigns, l.cmdStart, l.why
	shellFrom := -1
	for k, a := range l.assigns {
		if !isOption(a.name) && a.why != "" {
			shellFrom, why = k, fmt.Sprintf("%s in the assignment to %s", a.why, a.name)
			break
		}
	}
	if shellFrom < 0 && l.opFirst && len(l.assigns) > 0 && s[l.cmdStart] != '<' && s[l.cmdStart] != '>' {
		for k, a := range l.assigns {
			if !isOption(a.name) {
				shellFrom = k
				break
			}
		}
		if shellFrom < 0 {
			last := l.assigns[len(l.assigns)-1].name
			return nil, 0, "", errorf("%s must be followed by the command it applies to, not by %q", last, s[l.cmdStart:l.cmdStart+1])
		}
	}
	for k, a := range l.assigns {
		if !isOption(a.name) {
			continue
		}
		switch {
		case !options:
			return nil, 0, "", errorf("%s cannot be set here: options go on a Procfile line, before its command", a.name)
		case a.why != "":
			return nil, 0, "", errorf("the value of %s uses %s, which needs a shell; pidone reads options itself", a.name, a.why)
		case shellFrom >= 0 && k > shellFrom:
			return nil, 0, "", errorf("%s must come before the assignment to %s, from which on the shell runs the line (for %s)", a.name, l.assigns[shellFrom].name, why)
		}
	}
	if shellFrom >= 0 {
		assigns, from = l.assigns[:shellFrom], l.assigns[shellFrom].start
	}
	return assigns, from, why, nil
}

// direct expands the words of a simple command, one that needs no shell
// so far. It sets cmd.Why when the result still needs one: a first word
// that only a shell runs, or a value that sh would match against file
// names. sh would expand the words as pidone does, so an expansion that
// fails is an error either way.
func direct(cmd *Command, words []word, get lookupFunc, subject string) ([]string, *Error) {
	var argv []string
	var failed *Error
	globWhy := ""
	for _, w := range words {
		fields, why, err := expandFields(w.nodes, get)
		if err != nil {
			if failed == nil {
				failed = err
			}
			continue
		}
		if globWhy == "" {
			globWhy = why
		}
		argv = append(argv, fields...)
	}
	if len(argv) > 0 {
		cmd.Why = shellWordWhy(argv[0])
	}
	if cmd.Why == "" {
		cmd.Why = globWhy
	}
	switch {
	case failed != nil:
		return nil, failed
	case cmd.Why != "":
		return nil, nil
	case len(argv) == 0:
		return nil, errorf("%s is empty once comments and empty variables are removed", subject)
	case argv[0] == "":
		return nil, errorf("%s has an empty program name", subject)
	}
	return argv, nil
}

func isOption(name string) bool { return strings.HasPrefix(name, optionPrefix) }

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
