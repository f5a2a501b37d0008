package procfile

import (
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// ParseFile is Parse on the file at path, which also names it in messages.
// The file must be a regular file (a symbolic link to one will do): a
// missing file, a directory, a named pipe, a device or a socket is an
// *Error, and is refused without waiting on it or reading from it.
func ParseFile(path string, cfg Config) ([]Entry, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(path, f, cfg)
}

// openRegular opens path for reading only if it is a regular file. The
// look before opening spares a device the side effects of an open; the
// look after it, on the open file, is the one that counts, since the path
// may have changed in between. O_NONBLOCK keeps the open of a named pipe
// from waiting for a writer, which would hang pidone before it starts
// anything; it changes nothing for a regular file.
func openRegular(path string) (*os.File, *Error) {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, notRegular(path, fi.Mode())
	}
	f, err := os.OpenFile(path, os.O_RDONLY|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &Error{File: path, Msg: "cannot open: " + cause(err)}
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &Error{File: path, Msg: "cannot read: " + cause(err)}
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, notRegular(path, fi.Mode())
	}
	return f, nil
}

func notRegular(path string, mode fs.FileMode) *Error {
	what := "not a regular file"
	switch {
	case mode.IsDir():
		what = "a directory, not a regular file"
	case mode&fs.ModeNamedPipe != 0:
		what = "a named pipe, not a regular file"
	case mode&fs.ModeSocket != 0:
		what = "a socket, not a regular file"
	case mode&fs.ModeCharDevice != 0:
		what = "a character device, not a regular file"
	case mode&fs.ModeDevice != 0:
		what = "a block device, not a regular file"
	}
	return &Error{File: path, Msg: what}
}
