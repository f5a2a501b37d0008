package catch

import (
	"os"
	"strings"
	"testing"
)

// A parent that died while Prepare re-executed pidone was lost: the new
// image read its new parent (1, or a subreaper) as the one it started
// with, and -p never fired. Prepare carries the first reading across.
func TestParentCarriedAcrossTheReExecution(t *testing.T) {
	if emu := os.Getenv("PIDONE_TEST_EMULATOR"); emu != "" {
		// qemu user mode makes up /proc/self/stat at each read, with a
		// start time that drifts; Parent then falls back to the parent it
		// reads itself, as it does without /proc.
		t.Skipf("under %s the start time in /proc/self/stat is made up at each read", emu)
	}
	if _, ok := parentToken(1); !ok {
		t.Skip("no /proc/self/stat")
	}
	env := withParent([]string{"A=1", parentVar + "=stale"}, 4242)
	var carried string
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, parentVar+"="); ok {
			if carried != "" {
				t.Fatalf("the variable twice in %q", env)
			}
			carried = v
		}
	}
	t.Setenv(parentVar, carried)
	if got := Parent(1); got != 4242 {
		t.Errorf("Parent = %d, want the carried 4242", got)
	}
	if _, ok := os.LookupEnv(parentVar); ok {
		t.Errorf("%s is left for the processes to inherit", parentVar)
	}
}

// The variable is honoured only for the process it was made for: one set
// by a user, or inherited from another pidone, is dropped.
func TestParentIgnoresAForeignToken(t *testing.T) {
	for _, v := range []string{"4242", "4242:1", "x:y", ""} {
		t.Setenv(parentVar, v)
		if got := Parent(7); got != 7 {
			t.Errorf("%s=%q: Parent = %d, want 7", parentVar, v, got)
		}
		if _, ok := os.LookupEnv(parentVar); ok {
			t.Errorf("%s=%q is left in the environment", parentVar, v)
		}
	}
}
