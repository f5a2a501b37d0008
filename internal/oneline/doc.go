// Package oneline keeps a message on one line. pidone prints every error
// as a single line (one log event a line, one JSON object a line), and a
// message may quote what a user gave it: an argument, a file name, a line
// of a file, any of which can hold a newline or another control character.
package oneline
