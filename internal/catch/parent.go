package catch

import (
	"os"
	"strconv"
	"strings"

	"github.com/pidone/pidone/internal/procfs"
)

// parentVar carries pidone's parent across Prepare's re-execution: a
// parent that dies in that instant leaves pidone re-parented before the
// new image can look, and -p must still see the change.
const parentVar = "PIDONE_INTERNAL_PARENT"

// parentToken is "PARENT:START", START being this process's start time,
// which execve keeps: the token holds for this process only, so a value
// set by anyone else (or inherited) is never taken for pidone's own.
func parentToken(parent int) (string, bool) {
	// self, not the pid: a /proc of another PID namespace would show
	// another process under pidone's number.
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return "", false
	}
	st, err := procfs.ParseStat(b)
	if err != nil || st.Start == 0 {
		return "", false
	}
	return strconv.Itoa(parent) + ":" + strconv.FormatUint(st.Start, 10), true
}

// withParent returns env without parentVar, and with it set to the token
// for parent when there is one.
func withParent(env []string, parent int) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !strings.HasPrefix(kv, parentVar+"=") {
			out = append(out, kv)
		}
	}
	if tok, ok := parentToken(parent); ok {
		out = append(out, parentVar+"="+tok)
	}
	return out
}

// Parent returns the parent pidone had when it started: the one Prepare
// carried across its re-execution, else now, the parent main read first
// thing. It removes the variable from the environment, so that no process
// pidone starts inherits it, and honours it only when its token is this
// process's.
func Parent(now int) int {
	v, ok := os.LookupEnv(parentVar)
	if !ok {
		return now
	}
	os.Unsetenv(parentVar)
	p, _, ok := strings.Cut(v, ":")
	if !ok {
		return now
	}
	parent, err := strconv.Atoi(p)
	if tok, ok := parentToken(parent); err != nil || !ok || tok != v {
		return now
	}
	return parent
}
