package account

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// part is one side of USER[:GROUP].
type part struct {
	text    string
	id      uint32 // valid when numeric
	numeric bool
}

// parseSpec splits and checks USER[:GROUP]; hasGroup reports a GROUP.
func parseSpec(spec string) (usr, grp part, hasGroup bool, err *Error) {
	if spec == "" {
		return usr, grp, false, &Error{Msg: "empty, want USER[:GROUP]"}
	}
	// No account name holds them, and a name with a newline would let the
	// spec match a line that the file parser never sees as one.
	if strings.ContainsFunc(spec, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return usr, grp, false, &Error{Msg: "contains whitespace or a control character"}
	}
	u, g, hasGroup := strings.Cut(spec, ":")
	switch {
	case strings.Contains(g, ":"):
		return usr, grp, false, &Error{Msg: "more than one ':', want USER[:GROUP]"}
	case u == "":
		return usr, grp, false, &Error{Msg: "no user before ':'"}
	case hasGroup && g == "":
		return usr, grp, false, &Error{Msg: "no group after ':'"}
	}
	if usr, err = parsePart(u, "user", "uid"); err != nil {
		return usr, grp, false, err
	}
	if hasGroup {
		if grp, err = parsePart(g, "group", "gid"); err != nil {
			return usr, grp, false, err
		}
	}
	return usr, grp, hasGroup, nil
}

// parsePart classifies one side as a name or an id. A leading sign is
// refused rather than looked up: "-1" is a negative id, not a name, and a
// name starting with '+' or '-' could only match a NIS line, which the
// parser skips.
func parsePart(s, kind, idKind string) (part, *Error) {
	if s[0] == '-' || s[0] == '+' {
		if allDigits(s[1:]) && s[0] == '-' {
			return part{}, &Error{Msg: fmt.Sprintf("%s %s is negative, want 0-%d", idKind, s, maxID)}
		}
		if allDigits(s[1:]) {
			return part{}, &Error{Msg: fmt.Sprintf("%s %s has a sign, want 0-%d", idKind, s, maxID)}
		}
		return part{}, &Error{Msg: fmt.Sprintf("%s name %q starts with %q", kind, s, s[0])}
	}
	if !allDigits(s) {
		return part{text: s}, nil
	}
	id, ok := parseID(s)
	if !ok {
		return part{}, &Error{Msg: fmt.Sprintf("%s %s out of range 0-%d", idKind, s, maxID)}
	}
	return part{text: s, id: id, numeric: true}, nil
}

// maxID is the largest usable id: math.MaxUint32 is (uid_t)-1, which the
// set*id system calls read as "no change". Typed, so that it is never
// taken as an int: it does not fit one on 32-bit architectures.
const maxID uint32 = math.MaxUint32 - 1

// parseID accepts what both the spec and the files may hold as an id:
// ASCII digits only, no sign, at most maxID.
func parseID(s string) (uint32, bool) {
	if !allDigits(s) {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil || v > uint64(maxID) {
		return 0, false
	}
	return uint32(v), true
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// CheckSpec reports whether spec has the form USER[:GROUP] with valid
// names or ids, without reading any file. A command line checks its value
// with it at once, so that a bad one is reported against the flag or the
// variable it came from.
func CheckSpec(spec string) error {
	if _, _, _, err := parseSpec(spec); err != nil {
		return errors.New(err.Msg)
	}
	return nil
}
