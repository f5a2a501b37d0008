// Package signals holds what pidone knows about Linux signals: their names
// in both directions, the set pidone forwards, the --rewrite map, the
// 128+N exit-status convention, and the start-up work that lets a Go
// program act as an init without handing odd signal state to its children.
//
// Signals are plain [unix.Signal] values; 0 means "no signal" (a dropped
// rewrite). Only Linux is supported: pidone is a container init.
package signals
