package launch

import (
	"fmt"
	"strconv"
	"strings"
	"syscall"

	"github.com/pidone/pidone/internal/account"
	"golang.org/x/sys/unix"
)

// Capabilities PlanUser checks, by their numbers in the kernel's sets.
const (
	capKill   = 5
	capSetgid = 6
	capSetuid = 7
)

// UserError reports a user pidone may not run processes as: a change of
// ids it is not allowed to make, or processes it could not signal
// afterwards. pidone starts nothing and exits 1.
type UserError struct {
	User    string   // the USER[:GROUP] as given
	Missing []string // the capabilities pidone lacks, e.g. "CAP_KILL"
	Why     string   // what they are needed for
}

func (e *UserError) Error() string {
	return fmt.Sprintf("cannot run processes as %q: %s needs %s, which pidone does not have",
		e.User, e.Why, strings.Join(e.Missing, " and "))
}

// Self is the ids and capabilities pidone runs with.
type Self struct {
	Uid, Euid, Gid, Egid int
	caps                 uint64 // the effective set
}

// CurrentSelf reads pidone's ids and effective capabilities.
func CurrentSelf() Self {
	s := Self{Uid: unix.Getuid(), Euid: unix.Geteuid(), Gid: unix.Getgid(), Egid: unix.Getegid()}
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	if unix.Capget(&hdr, &data[0]) == nil {
		s.caps = uint64(data[0].Effective) | uint64(data[1].Effective)<<32
	}
	return s
}

func (s Self) has(c uint) bool { return s.caps&(1<<c) != 0 }

// PlanUser decides how to start processes as c, given as spec: the ids
// change only where they differ from pidone's, so that a pidone already
// running as that user (docker run --user, Kubernetes runAsUser) needs no
// capability; supplementary groups are set to the user's only where
// pidone may set them, else the processes keep pidone's. It returns nil
// when nothing is to change, and a *UserError when the change needs a
// capability pidone lacks, or when pidone could not signal the processes
// afterwards.
func (s Self) PlanUser(spec string, c *account.Credential) (*syscall.Credential, error) {
	same := uint32(s.Uid) == c.Uid && uint32(s.Euid) == c.Uid && uint32(s.Gid) == c.Gid && uint32(s.Egid) == c.Gid
	groups := c.Groups
	if groups == nil {
		// An empty, non-nil list still clears pidone's groups: NoSetGroups
		// stays false and setgroups(0) runs.
		groups = []uint32{}
	}
	if same {
		if s.has(capSetgid) {
			return &syscall.Credential{Uid: c.Uid, Gid: c.Gid, Groups: groups}, nil
		}
		return nil, nil
	}
	// Go's fork sets the groups, then the gid, then the uid. Another uid
	// needs CAP_SETUID, and CAP_SETGID for the user's groups (without it
	// the process would keep pidone's, root's among them); another gid
	// alone needs CAP_SETGID.
	var missing, change []string
	uidChange := uint32(s.Uid) != c.Uid || uint32(s.Euid) != c.Uid
	if uidChange {
		change = append(change, "uid "+ids(s.Uid, s.Euid)+" to uid "+strconv.FormatUint(uint64(c.Uid), 10))
		if !s.has(capSetuid) {
			missing = append(missing, "CAP_SETUID")
		}
	}
	if uint32(s.Gid) != c.Gid || uint32(s.Egid) != c.Gid {
		change = append(change, "gid "+ids(s.Gid, s.Egid)+" to gid "+strconv.FormatUint(uint64(c.Gid), 10))
	}
	if len(change) > 0 && !s.has(capSetgid) {
		missing = append(missing, "CAP_SETGID")
	}
	if len(missing) > 0 {
		return nil, &UserError{User: spec, Missing: missing, Why: "changing from " + strings.Join(change, " and from ")}
	}
	if uint32(s.Euid) != c.Uid && !s.has(capKill) {
		return nil, &UserError{User: spec, Missing: []string{"CAP_KILL"},
			Why: "signalling processes of uid " + strconv.FormatUint(uint64(c.Uid), 10) + " (to forward signals and stop them)"}
	}
	return &syscall.Credential{Uid: c.Uid, Gid: c.Gid, Groups: groups}, nil
}

// ids shows an id for messages: the effective one, and the real one when
// it differs.
func ids(real, effective int) string {
	if real == effective {
		return strconv.Itoa(effective)
	}
	return strconv.Itoa(effective) + " (real " + strconv.Itoa(real) + ")"
}
