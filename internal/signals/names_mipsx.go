//go:build mips || mipsle || mips64 || mips64le

package signals

import "golang.org/x/sys/unix"

// Max is the highest signal number: the MIPS kernel has 128 signals.
const Max = 128

// rtMax is SIGRTMAX as glibc and musl show it on MIPS: 127, not 128,
// because a wait status keeps only 7 bits for the signal that killed a
// process, and 128 would read as a normal exit.
const rtMax = 127

// SIGEMT is 7 on MIPS, which has no SIGSTKFLT.
const (
	archSig  = unix.SIGEMT
	archName = "EMT"
)
