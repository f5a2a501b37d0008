package account

import (
	"fmt"
	"strings"
)

// groupQuery is what one pass over the group file looks for.
type groupQuery struct {
	name   string // group name to resolve, "" for none
	member string // user whose memberships to collect, "" for none
}

// groupResult is what the pass found.
type groupResult struct {
	gid     uint32 // gid of the named group, when found
	found   bool
	members []uint32 // gids of the groups listing the member, unsorted
}

// scanGroups resolves the group name and collects the memberships in a
// single pass. The first entry with the name wins; every entry listing the
// member counts.
func scanGroups(path string, q groupQuery) (res groupResult, exists bool, err *Error) {
	exists, err = scanFile(path, func(line int, f []string) (bool, *Error) {
		byName := q.name != "" && !res.found && f[0] == q.name
		byMember := q.member != "" && len(f) >= 4 && listed(f[3], q.member)
		if !byName && !byMember {
			return false, nil
		}
		gid, problem := parseGroup(f)
		if problem != "" {
			return true, malformed(path, line, problem)
		}
		if byName {
			res.gid, res.found = gid, true
		}
		if byMember {
			res.members = append(res.members, gid)
		}
		// Memberships can be anywhere in the file.
		return q.member == "" && res.found, nil
	})
	return res, exists, err
}

// listed reports whether name is in a comma-separated member list. Blanks
// around members are tolerated as glibc does; names never contain them.
func listed(list, name string) bool {
	for m := range strings.SplitSeq(list, ",") {
		if strings.Trim(m, " \t") == name {
			return true
		}
	}
	return false
}

// parseGroup checks name:passwd:gid:members and returns the gid, or says
// what is wrong with the line.
func parseGroup(f []string) (uint32, string) {
	if len(f) != 4 {
		return 0, fmt.Sprintf("%d fields, want 4", len(f))
	}
	if f[0] == "" {
		return 0, "empty group name"
	}
	gid, ok := parseID(f[2])
	if !ok {
		return 0, fmt.Sprintf("bad gid %q", f[2])
	}
	return gid, ""
}
