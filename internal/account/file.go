package account

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"strings"
	"syscall"
)

// maxLine bounds one entry: a group with thousands of members stays far
// below it, and a longer line is not an account database.
const maxLine = 1 << 20

// scanFile calls fn with the ':'-separated fields and the 1-based number
// of every entry line of path, until fn asks to stop or fails. A missing
// file is exists == false rather than an error: whether it matters depends
// on what is looked up.
func scanFile(path string, fn func(line int, fields []string) (stop bool, err *Error)) (exists bool, err *Error) {
	// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	// writer, and pidone would hang at start, deaf to signals. What is not
	// a regular file is refused below, before any read.
	f, oerr := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if errors.Is(oerr, fs.ErrNotExist) {
		return false, nil
	}
	if oerr != nil {
		return true, ioError(path, oerr)
	}
	defer f.Close()
	if st, serr := f.Stat(); serr != nil {
		return true, ioError(path, serr)
	} else if !st.Mode().IsRegular() {
		return true, &Error{File: path, Msg: "cannot read " + path + ": not a regular file"}
	}

	sc := bufio.NewScanner(f)
	sc.Buffer(nil, maxLine)
	n := 0
	for sc.Scan() {
		n++
		line := strings.Trim(sc.Text(), " \t\r\v\f")
		if line == "" || line[0] == '#' || line[0] == '+' || line[0] == '-' {
			continue
		}
		stop, err := fn(n, strings.Split(line, ":"))
		if err != nil {
			return true, err
		}
		if stop {
			return true, nil
		}
	}
	if serr := sc.Err(); errors.Is(serr, bufio.ErrTooLong) {
		return true, &Error{File: path, Line: n + 1, Msg: "line longer than 1 MiB", Err: serr}
	} else if serr != nil {
		return true, ioError(path, serr)
	}
	return true, nil
}

// ioError keeps the path out of the message twice: os.PathError repeats it.
func ioError(path string, err error) *Error {
	cause := err
	var pe *fs.PathError
	if errors.As(err, &pe) {
		cause = pe.Err
	}
	return &Error{File: path, Msg: "cannot read " + path + ": " + cause.Error(), Err: err}
}

// malformed reports a matching entry that cannot be used.
func malformed(path string, line int, what string) *Error {
	return &Error{File: path, Line: line, Msg: "malformed entry: " + what}
}
