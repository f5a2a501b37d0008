package account

import "fmt"

// passwdEntry is the part of a passwd line pidone uses.
type passwdEntry struct {
	name     string
	uid, gid uint32
	home     string
}

// findUser returns the first passwd entry for u, nil when none has it.
func findUser(path string, u part) (ent *passwdEntry, exists bool, err *Error) {
	exists, err = scanFile(path, func(line int, f []string) (bool, *Error) {
		if !userMatches(u, f) {
			return false, nil
		}
		e, problem := parsePasswd(f)
		if problem != "" {
			return true, malformed(path, line, problem)
		}
		ent = e
		return true, nil
	})
	if err != nil {
		return nil, exists, err
	}
	return ent, exists, nil
}

// userMatches decides whether a line concerns u before the line is
// checked, so that broken lines for other accounts can be skipped. A line
// whose uid field does not parse cannot be known to hold a uid.
func userMatches(u part, f []string) bool {
	if !u.numeric {
		return f[0] == u.text
	}
	if len(f) < 3 {
		return false
	}
	uid, ok := parseID(f[2])
	return ok && uid == u.id
}

// parsePasswd reads name:passwd:uid:gid:gecos:dir:shell, or says what is
// wrong with it.
func parsePasswd(f []string) (*passwdEntry, string) {
	if len(f) != 7 {
		return nil, fmt.Sprintf("%d fields, want 7", len(f))
	}
	if f[0] == "" {
		return nil, "empty user name"
	}
	uid, ok := parseID(f[2])
	if !ok {
		return nil, fmt.Sprintf("bad uid %q", f[2])
	}
	gid, ok := parseID(f[3])
	if !ok {
		return nil, fmt.Sprintf("bad gid %q", f[3])
	}
	home := f[5]
	// login(1) falls back to "/" as well; an empty HOME breaks programs
	// that build paths from it.
	if home == "" {
		home = "/"
	}
	return &passwdEntry{name: f[0], uid: uid, gid: gid, home: home}, ""
}
