//go:build linux

#include "textflag.h"

// The handler returns at once through the link register, which the kernel
// set to the restorer.
TEXT emptyHandler<>(SB),NOSPLIT|NOFRAME,$0
	RET

// The restorer hands the saved context back to the kernel.
TEXT restorer<>(SB),NOSPLIT|NOFRAME,$0
	MOVD	$139, R8	// SYS_rt_sigreturn
	SVC
	BRK

// func handlerAddrs() (handler, restorer uintptr)
TEXT ·handlerAddrs(SB),NOSPLIT,$0-16
	MOVD	$emptyHandler<>(SB), R0
	MOVD	R0, handler+0(FP)
	MOVD	$restorer<>(SB), R0
	MOVD	R0, restorer+8(FP)
	RET
