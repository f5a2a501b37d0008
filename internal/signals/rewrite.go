package signals

import (
	"fmt"
	"strings"

	"golang.org/x/sys/unix"
)

// Rewrite maps a received signal to the one forwarded. The zero value
// forwards every signal unchanged.
type Rewrite struct {
	to map[unix.Signal]unix.Signal
}

// RewriteError reports a --rewrite value that cannot be used.
type RewriteError struct {
	Input string
	Why   string
}

func (e *RewriteError) Error() string {
	return fmt.Sprintf("invalid rewrite %q: %s", e.Input, e.Why)
}

// Add reads one FROM:TO rule and adds it; a later rule for the same FROM
// replaces an earlier one. FROM must be a signal pidone forwards (a rule
// for anything else could never fire); TO is any signal, or 0/none to drop.
func (r *Rewrite) Add(rule string) error {
	from, to, ok := strings.Cut(rule, ":")
	if !ok {
		return &RewriteError{rule, "want FROM:TO"}
	}
	f, err := Parse(from)
	if err != nil {
		return &RewriteError{rule, err.Error()}
	}
	if !Forwardable(f) {
		return &RewriteError{rule, Name(f) + " is not forwarded by pidone"}
	}
	t, err := ParseTarget(to)
	if err != nil {
		return &RewriteError{rule, err.Error()}
	}
	if r.to == nil {
		r.to = make(map[unix.Signal]unix.Signal)
	}
	r.to[f] = t
	return nil
}

// Apply returns what sig is forwarded as; 0 means it is dropped.
func (r *Rewrite) Apply(sig unix.Signal) unix.Signal {
	if t, ok := r.to[sig]; ok {
		return t
	}
	return sig
}

// String lists the rules as FROM:TO pairs, for --help and logs.
func (r *Rewrite) String() string {
	var b strings.Builder
	for n := unix.Signal(1); n <= Max; n++ {
		t, ok := r.to[n]
		if !ok {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		target := "none"
		if t != 0 {
			target = Name(t)
		}
		fmt.Fprintf(&b, "%s:%s", Name(n), target)
	}
	return b.String()
}
