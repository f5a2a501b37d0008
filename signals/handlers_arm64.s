//go:build linux

#include "textflag.h"

// Signal handlers that pidone installs itself, outside the Go runtime. They
// run on the thread's signal stack (SA_ONSTACK), touch no Go state and
// make at most one system call, so they are safe whatever the interrupted
// thread was doing. The C calling convention applies: the signal number
// is in R0, and the link register holds the restorer.

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
	CMPW	$17, R0	// SIGCHLD
	BNE	route
	MOVD	$·chldPending(SB), R9
	MOVW	$1, R11
swap:
	LDAXRW	(R9), R10
	STLXRW	R11, (R9), R12
	CBNZW	R12, swap
	CBZW	R10, write
	RET
route:
	// A routed signal is sent on from here, before the loop has even
	// woken up (see Inbox.Route): kill(routeTo[sig], routeAs[sig]), and
	// when a group is gone, kill(-routeTo[sig]) for its leader.
	// Load-acquire: route stores routeAs before routeTo, so a handler
	// that sees a target also sees the signal to send (a plain load here
	// could be reordered with the one of routeAs and send signal 0).
	MOVD	$·routeTo(SB), R9
	ADD	R0<<3, R9, R9
	LDAR	(R9), R13
	CBZ	R13, write
	MOVD	$·routeAs(SB), R9
	MOVD	(R9)(R0<<3), R1
	MOVD	R0, R14	// the signal; SVC keeps every register but R0
	MOVD	R13, R0
	MOVD	$129, R8	// SYS_kill
	SVC
	CMP	$0, R0
	BGE	sent
	CMP	$0, R13
	BGE	sent
	NEG	R13, R0
	SVC	// R1 and R8 are as they were
sent:
	MOVD	$·routeRecords(SB), R9
	MOVW	(R9), R10
	CBNZW	R10, record
	RET	// the loop has nothing to do: it sleeps on
record:
	ORR	$0x80, R14, R0	// tell the loop it is done
write:
	SUB	$16, RSP
	MOVB	R0, 0(RSP)
	MOVD	·pipeFD(SB), R0
	MOVD	RSP, R1
	MOVD	$1, R2
	MOVD	$64, R8	// SYS_write
	SVC
	CMP	$0, R0
	BGE	done
	// The write failed (the pipe is full): a SIGCHLD is owed, and Read
	// hands it out once the loop has caught up.
	MOVBU	0(RSP), R10
	CMPW	$17, R10
	BNE	done
	MOVD	$·chldPending(SB), R9
	MOVW	$2, R11
	STLRW	R11, (R9)
done:
	ADD	$16, RSP
	RET

// faultHandler is for the signals the CPU raises (SIGSEGV and the like).
// One raised by the kernel (si_code > 0) is a fault in pidone itself and
// goes on to the Go runtime's handler, which turns it into a panic; one
// sent with kill (si_code <= 0) is piped like any other. The jump leaves
// every argument register and the stack as the kernel set them up.
TEXT faultHandler<>(SB),NOSPLIT|NOFRAME,$0
	MOVW	8(R1), R9	// siginfo.si_code
	CMPW	$0, R9
	BGT	kernel
	B	pipeHandler<>(SB)
kernel:
	MOVD	$·goHandlers(SB), R9
	MOVD	(R9)(R0<<3), R9
	JMP	(R9)

// The restorer hands the saved context back to the kernel.
TEXT restorer<>(SB),NOSPLIT|NOFRAME,$0
	MOVD	$139, R8	// SYS_rt_sigreturn
	SVC
	BRK

// func handlerAddrs() (empty, pipe, fault, restorer uintptr)
TEXT ·handlerAddrs(SB),NOSPLIT,$0-32
	MOVD	$emptyHandler<>(SB), R0
	MOVD	R0, empty+0(FP)
	MOVD	$pipeHandler<>(SB), R0
	MOVD	R0, pipe+8(FP)
	MOVD	$faultHandler<>(SB), R0
	MOVD	R0, fault+16(FP)
	MOVD	$restorer<>(SB), R0
	MOVD	R0, restorer+24(FP)
	RET
