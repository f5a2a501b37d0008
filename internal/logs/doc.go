// Package logs writes pidone's own messages: one line per event, on
// stderr only, as "pidone: message key=value ..." in text format or as one
// JSON object (time, level, msg and the fields) in json format.
//
// At the default level (warn) a single wrapped process looks as if pidone
// were not there; -v adds info, -vv debug. Every line pidone writes to
// stderr goes through a Logger once the format is known, error messages
// included, so that in json format every line is JSON.
//
// A Logger hands each line to a Writer that must never wait (the output
// package's Sink drops a line rather than block when stderr is stuck):
// logging can never hold up the supervisor's loop.
package logs
