package account

import (
	"fmt"
	"slices"
)

// Credential is what the processes run as.
type Credential struct {
	Uid, Gid uint32
	// Groups are the supplementary groups: sorted, deduplicated, never
	// nil, and empty for a uid without a passwd entry.
	Groups []uint32
	// Home is the passwd home directory, "/" when it is empty or the uid
	// has no entry.
	Home string
	// Name is the user name, "" for a numeric uid not in passwd.
	Name string
}

// Files names the account database. An empty field means the image's
// file, so the zero value is /etc/passwd and /etc/group.
type Files struct {
	Passwd, Group string
}

// Lookup resolves USER[:GROUP] against /etc/passwd and /etc/group. Errors
// are *Error.
func Lookup(spec string) (*Credential, error) {
	return Files{}.Lookup(spec)
}

// Lookup resolves USER[:GROUP] against the files f names, so that tests
// can point at fixtures. Errors are *Error.
func (f Files) Lookup(spec string) (*Credential, error) {
	c, err := f.lookup(spec)
	if err != nil {
		err.Spec = spec
		return nil, err
	}
	return c, nil
}

func (f Files) lookup(spec string) (*Credential, *Error) {
	usr, grp, hasGroup, err := parseSpec(spec)
	if err != nil {
		return nil, err
	}
	passwdPath, groupPath := f.Passwd, f.Group
	if passwdPath == "" {
		passwdPath = "/etc/passwd"
	}
	if groupPath == "" {
		groupPath = "/etc/group"
	}

	ent, exists, err := findUser(passwdPath, usr)
	if err != nil {
		return nil, err
	}
	c := &Credential{Groups: []uint32{}}
	switch {
	case ent != nil:
		c.Uid, c.Gid, c.Home, c.Name = ent.uid, ent.gid, ent.home, ent.name
	case usr.numeric:
		c.Uid, c.Home = usr.id, "/"
	case !exists:
		return nil, &Error{File: passwdPath, Msg: passwdPath + " does not exist, so user names cannot be resolved"}
	default:
		what := "no such user"
		if hasGroup {
			what = fmt.Sprintf("no such user %q", usr.text)
		}
		return nil, &Error{File: passwdPath, Msg: what + " in " + passwdPath}
	}

	q := groupQuery{member: c.Name}
	if hasGroup {
		if grp.numeric {
			c.Gid = grp.id
		} else {
			q.name = grp.text
		}
	}
	if q.name == "" && q.member == "" {
		return c, nil
	}
	res, exists, err := scanGroups(groupPath, q)
	if err != nil {
		return nil, err
	}
	if q.name != "" {
		if !exists {
			return nil, &Error{File: groupPath, Msg: groupPath + " does not exist, so group names cannot be resolved"}
		}
		if !res.found {
			return nil, &Error{File: groupPath, Msg: fmt.Sprintf("no such group %q in %s", q.name, groupPath)}
		}
		c.Gid = res.gid
	}
	slices.Sort(res.members)
	c.Groups = append(c.Groups, slices.Compact(res.members)...)
	return c, nil
}
