package signals

import (
	"testing"

	"golang.org/x/sys/unix"
)

func TestExitCode(t *testing.T) {
	cases := []struct {
		ws   unix.WaitStatus
		want int
	}{
		{unix.WaitStatus(0), 0},
		{unix.WaitStatus(3 << 8), 3},
		{unix.WaitStatus(255 << 8), 255},
		{unix.WaitStatus(unix.SIGTERM), 143},
		{unix.WaitStatus(unix.SIGKILL), 137},
		{unix.WaitStatus(unix.SIGSEGV | 0x80), 139}, // core dumped
	}
	for _, c := range cases {
		if got := ExitCode(c.ws); got != c.want {
			t.Errorf("ExitCode(%#x) = %d, want %d", uint32(c.ws), got, c.want)
		}
	}
}
