package launch

import (
	"errors"
	"strings"
	"syscall"
	"testing"

	"github.com/pidone/pidone/internal/account"
)

func TestPlanUser(t *testing.T) {
	all := uint64(1<<capKill | 1<<capSetgid | 1<<capSetuid)
	root := Self{caps: all}
	app := &account.Credential{Uid: 1000, Gid: 1000, Groups: []uint32{1000, 27}}
	cases := []struct {
		name    string
		self    Self
		want    *syscall.Credential
		missing string // "" for no error
	}{
		{"root changes to app", root, &syscall.Credential{Uid: 1000, Gid: 1000, Groups: []uint32{1000, 27}}, ""},
		{"already app, may set groups", Self{1000, 1000, 1000, 1000, 1 << capSetgid}, &syscall.Credential{Uid: 1000, Gid: 1000, Groups: []uint32{1000, 27}}, ""},
		{"already app, no capability", Self{1000, 1000, 1000, 1000, 0}, nil, ""},
		{"root without CAP_KILL", Self{caps: 1<<capSetgid | 1<<capSetuid}, nil, "CAP_KILL"},
		{"root without SETUID", Self{caps: 1<<capKill | 1<<capSetgid}, nil, "CAP_SETUID"},
		{"nobody to app", Self{65534, 65534, 65534, 65534, 0}, nil, "CAP_SETUID and CAP_SETGID"},
		{"same uid, other gid", Self{1000, 1000, 0, 0, 0}, nil, "changing from gid 0 to gid 1000 needs CAP_SETGID,"},
		// The user's groups need CAP_SETGID: without it the process would
		// keep pidone's, root's among them.
		{"other uid, same gid, no SETGID", Self{0, 0, 1000, 1000, 1<<capKill | 1<<capSetuid}, nil, "changing from uid 0 to uid 1000 needs CAP_SETGID,"},
		{"real and effective differ", Self{0, 1000, 1000, 1000, 0}, nil, "changing from uid 1000 (real 0) to uid 1000 needs CAP_SETUID and CAP_SETGID"},
		{"both, neither capability", Self{65534, 65534, 65534, 65534, 0}, nil, "changing from uid 65534 to uid 1000 and from gid 65534 to gid 1000 needs CAP_SETUID and CAP_SETGID"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.self.PlanUser("app", app)
			if c.missing != "" {
				var ue *UserError
				if !errors.As(err, &ue) || !strings.Contains(err.Error(), c.missing) || !strings.Contains(err.Error(), `"app"`) {
					t.Fatalf("got %v, %v; want a refusal naming %s and the user", got, err, c.missing)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (got == nil) != (c.want == nil) || got != nil && (got.Uid != c.want.Uid || got.Gid != c.want.Gid || len(got.Groups) != len(c.want.Groups) || got.NoSetGroups != c.want.NoSetGroups) {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}
