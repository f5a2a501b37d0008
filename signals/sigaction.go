package signals

// sigaction mirrors the kernel's struct sigaction for rt_sigaction(2) on
// the architectures pidone builds for (amd64, arm64): handler, flags,
// restorer, then a 64-bit mask.
type sigaction struct {
	handler  uintptr
	flags    uint64
	restorer uintptr
	mask     uint64
}
