package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pidone/pidone/internal/account"
	"github.com/pidone/pidone/internal/signals"
	"golang.org/x/sys/unix"
)

// The flag types below check their value when it is set, so the same
// message comes back for a flag and for its PIDONE_* variable.

// choiceFlag accepts one of a fixed set of words.
type choiceFlag struct {
	v       *string
	allowed []string
}

func choice(v *string, def string, allowed ...string) choiceFlag {
	*v = def
	return choiceFlag{v, allowed}
}

func (c choiceFlag) String() string { return *c.v }
func (c choiceFlag) Type() string   { return "string" }
func (c choiceFlag) Set(s string) error {
	for _, a := range c.allowed {
		if s == a {
			*c.v = s
			return nil
		}
	}
	return fmt.Errorf("want %s", strings.Join(c.allowed, " or "))
}

// durationFlag is a time.Duration that may not be negative.
type durationFlag struct{ v *time.Duration }

func (d durationFlag) String() string { return d.v.String() }
func (d durationFlag) Type() string   { return "duration" }
func (d durationFlag) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		return errors.New("want a duration such as 500ms, 10s or 1m30s")
	}
	if v < 0 {
		return errors.New("want a duration that is not negative")
	}
	*d.v = v
	return nil
}

// signalFlag is a signal by name or number, checked by check (when set)
// for what the option means: -p needs one pidone can receive, a stop
// signal one a process can handle.
type signalFlag struct {
	v     *unix.Signal
	check func(unix.Signal) error
}

func (f signalFlag) String() string {
	if *f.v == 0 {
		return ""
	}
	return signals.Name(*f.v)
}
func (f signalFlag) Type() string { return "signal" }
func (f signalFlag) Set(s string) error {
	sig, err := signals.Parse(s)
	if err != nil {
		return err
	}
	if f.check != nil {
		if err := f.check(sig); err != nil {
			return err
		}
	}
	*f.v = sig
	return nil
}

// rewriteFlag collects FROM:TO rules; a comma separates several in one value.
type rewriteFlag struct {
	r     *signals.Rewrite
	rules *[]string
}

func (f rewriteFlag) String() string { return strings.Join(*f.rules, ",") }
func (f rewriteFlag) Type() string   { return "rules" }
func (f rewriteFlag) Set(s string) error {
	for _, rule := range strings.Split(s, ",") {
		if err := f.r.Add(rule); err != nil {
			return err
		}
		*f.rules = append(*f.rules, rule)
	}
	return nil
}

// codesFlag collects exit codes 0–255; a comma separates several.
type codesFlag struct{ v *[]string }

func (f codesFlag) String() string { return strings.Join(*f.v, ",") }
func (f codesFlag) Type() string   { return "codes" }
func (f codesFlag) Set(s string) error {
	for _, c := range strings.Split(s, ",") {
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 || n > 255 || c != strconv.Itoa(n) {
			return fmt.Errorf("%q is not an exit code between 0 and 255", c)
		}
		*f.v = append(*f.v, c)
	}
	return nil
}

// userFlag is USER[:GROUP]. Its syntax is checked when it is set; the
// names are resolved later, against the image's files. An explicit empty
// value is an error, not "no user": a command line built from an unset
// variable must not run the processes as root.
type userFlag struct{ v **string }

func (f userFlag) String() string {
	if *f.v == nil {
		return ""
	}
	return **f.v
}
func (f userFlag) Type() string { return "user" }
func (f userFlag) Set(s string) error {
	if err := account.CheckSpec(s); err != nil {
		return err
	}
	*f.v = &s
	return nil
}

// countFlag is a non-negative integer.
type countFlag struct{ v *int }

func (f countFlag) String() string { return strconv.Itoa(*f.v) }
func (f countFlag) Type() string   { return "number" }
func (f countFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || s != strconv.Itoa(n) {
		return errors.New("want a number such as 0, 3 or 10")
	}
	*f.v = n
	return nil
}
