// Package jsontext writes the little JSON pidone emits (its json log
// lines, --ctl status --json) by hand: encoding/json and reflection would
// add to the binary, and every page of it counts in the resident memory
// of an init that does little else.
package jsontext
