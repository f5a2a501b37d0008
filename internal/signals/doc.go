// Package signals is what pidone knows about Linux signals, and nothing
// that talks to the kernel (package catch receives them): their names in
// both directions, the set pidone forwards, which ones begin a stop or ask
// for job control, what a stop signal or -p may be, the --rewrite map, and
// the 128+N exit-status convention.
//
// Signals are plain [unix.Signal] values; 0 means "no signal" (a dropped
// rewrite). Only Linux is supported: pidone is a container init.
package signals
