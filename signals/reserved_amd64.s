//go:build linux

#include "textflag.h"

// The handler returns at once; the kernel pushed the restorer as its
// return address.
TEXT emptyHandler<>(SB),NOSPLIT|NOFRAME,$0
	RET

// The restorer hands the saved context back to the kernel.
TEXT restorer<>(SB),NOSPLIT|NOFRAME,$0
	MOVQ	$15, AX	// SYS_rt_sigreturn
	SYSCALL
	INT	$3

// func handlerAddrs() (handler, restorer uintptr)
TEXT ·handlerAddrs(SB),NOSPLIT,$0-16
	LEAQ	emptyHandler<>(SB), AX
	MOVQ	AX, handler+0(FP)
	LEAQ	restorer<>(SB), AX
	MOVQ	AX, restorer+8(FP)
	RET
