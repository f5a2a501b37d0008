//go:build linux

#include "textflag.h"

// Signal handlers that pidone installs itself, outside the Go runtime. They
// run on the thread's signal stack (SA_ONSTACK), touch no Go state and
// make at most one system call, so they are safe whatever the interrupted
// thread was doing. The C calling convention applies: the signal number
// is in DI, and the kernel pushed the restorer as the return address.

// emptyHandler ignores the signal while keeping it "caught", so that
// execve resets it to the default in the children.
TEXT emptyHandler<>(SB),NOSPLIT|NOFRAME,$0
	RET

// pipeHandler writes the signal number, one byte, to the pipe whose write
// end is ·pipeFD. The write end is non-blocking: when the pipe is full the
// signal is dropped rather than the thread stopped.
//
// A SIGCHLD is written only when no earlier one is waiting unread
// (·chldPending, swapped atomically): one means "drain", a thousand mean
// the same, and in a storm of exits they would cost a write and a wake-up
// each. A SIGCHLD that finds the pipe full is not dropped but owed
// (·chldPending = 2), since the exits it stands for must still be reaped.
TEXT pipeHandler<>(SB),NOSPLIT|NOFRAME,$0
	CMPL	DI, $17	// SIGCHLD
	JNE	route
	MOVL	$1, AX
	XCHGL	AX, ·chldPending(SB)
	CMPL	AX, $0
	JEQ	write
	RET
route:
	// A routed signal is sent on from here, before the loop has even
	// woken up (see Inbox.Route): kill(routeTo[sig], routeAs[sig]), and
	// when a group is gone, kill(-routeTo[sig]) for its leader.
	LEAQ	·routeTo(SB), AX
	MOVQ	(AX)(DI*8), R8
	TESTQ	R8, R8
	JEQ	write
	LEAQ	·routeAs(SB), AX
	MOVQ	(AX)(DI*8), SI
	MOVQ	DI, R9	// the signal; SYSCALL keeps R8 and R9
	MOVQ	R8, DI
	MOVQ	$62, AX	// SYS_kill
	SYSCALL
	CMPQ	AX, $0
	JGE	sent
	CMPQ	R8, $0
	JGE	sent
	MOVQ	R8, DI
	NEGQ	DI
	MOVQ	$62, AX	// SYS_kill
	SYSCALL
sent:
	CMPL	·routeRecords(SB), $0
	JNE	record
	RET	// the loop has nothing to do: it sleeps on
record:
	MOVQ	R9, DI
	ORQ	$0x80, DI	// tell the loop it is done
write:
	SUBQ	$8, SP
	MOVB	DI, 0(SP)
	MOVQ	·pipeFD(SB), DI
	MOVQ	SP, SI
	MOVQ	$1, DX
	MOVQ	$1, AX	// SYS_write
	SYSCALL
	CMPQ	AX, $0
	JGE	done
	// The write failed (the pipe is full): a SIGCHLD is owed, and Read
	// hands it out once the loop has caught up.
	CMPB	0(SP), $17
	JNE	done
	MOVL	$2, AX
	XCHGL	AX, ·chldPending(SB)
done:
	ADDQ	$8, SP
	RET

// faultHandler is for the signals the CPU raises (SIGSEGV and the like).
// One raised by the kernel (si_code > 0) is a fault in pidone itself and
// goes on to the Go runtime's handler, which turns it into a panic; one
// sent with kill (si_code <= 0) is piped like any other. The jump leaves
// every register and the stack as the kernel set them up.
TEXT faultHandler<>(SB),NOSPLIT|NOFRAME,$0
	MOVL	8(SI), AX	// siginfo.si_code
	CMPL	AX, $0
	JGT	kernel
	JMP	pipeHandler<>(SB)
kernel:
	LEAQ	·goHandlers(SB), AX
	MOVQ	(AX)(DI*8), AX
	JMP	AX

// The restorer hands the saved context back to the kernel.
TEXT restorer<>(SB),NOSPLIT|NOFRAME,$0
	MOVQ	$15, AX	// SYS_rt_sigreturn
	SYSCALL
	INT	$3

// func handlerAddrs() (empty, pipe, fault, restorer uintptr)
TEXT ·handlerAddrs(SB),NOSPLIT,$0-32
	LEAQ	emptyHandler<>(SB), AX
	MOVQ	AX, empty+0(FP)
	LEAQ	pipeHandler<>(SB), AX
	MOVQ	AX, pipe+8(FP)
	LEAQ	faultHandler<>(SB), AX
	MOVQ	AX, fault+16(FP)
	LEAQ	restorer<>(SB), AX
	MOVQ	AX, restorer+24(FP)
	RET
