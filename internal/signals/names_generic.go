//go:build !(mips || mipsle || mips64 || mips64le)

package signals

import "golang.org/x/sys/unix"

// Max is the highest signal number: 64 on every Linux architecture but
// MIPS.
const Max = 64

// rtMax is SIGRTMAX as the C libraries show it.
const rtMax = 64

// SIGSTKFLT is 16 here; MIPS has no such signal.
const (
	archSig  = unix.SIGSTKFLT
	archName = "STKFLT"
)
