package procfs

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
)

// ErrUnavailable means /proc cannot tell about pidone's own namespace.
var ErrUnavailable = errors.New("/proc is not mounted for this PID namespace")

// Stat is the part of /proc/PID/stat pidone uses.
type Stat struct {
	Pid   int
	Comm  string // the command name, as the kernel keeps it
	State byte   // R, S, D, Z, T, …
	Ppid  int
	Pgid  int
	// Utime and Stime are the CPU time in user and system mode, in clock
	// ticks; 0 when the line is too short to tell.
	Utime, Stime uint64
	// Start is when the process started, in clock ticks after boot; 0
	// when the line is too short to tell. An execve keeps it.
	Start uint64
}

// ReadStat reads /proc/PID/stat.
func ReadStat(pid int) (Stat, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return Stat{}, fmt.Errorf("read the state of process %d: %w", pid, err)
	}
	return ParseStat(b)
}

// ParseStat parses the content of a /proc/PID/stat file.
func ParseStat(b []byte) (Stat, error) {
	open := bytes.IndexByte(b, '(')
	end := bytes.LastIndexByte(b, ')')
	if open < 1 || end < open {
		return Stat{}, fmt.Errorf("parse /proc stat %q: no command name", b)
	}
	pid, err := strconv.Atoi(string(bytes.TrimSpace(b[:open])))
	if err != nil {
		return Stat{}, fmt.Errorf("parse /proc stat: pid: %w", err)
	}
	f := bytes.Fields(b[end+1:])
	if len(f) < 3 || len(f[0]) != 1 {
		return Stat{}, fmt.Errorf("parse /proc stat %q: too few fields", b)
	}
	ppid, err1 := strconv.Atoi(string(f[1]))
	pgid, err2 := strconv.Atoi(string(f[2]))
	if err1 != nil || err2 != nil {
		return Stat{}, fmt.Errorf("parse /proc stat %q: bad parent or group", b)
	}
	st := Stat{Pid: pid, Comm: string(b[open+1 : end]), State: f[0][0], Ppid: ppid, Pgid: pgid}
	if len(f) >= 13 {
		st.Utime, _ = strconv.ParseUint(string(f[11]), 10, 64)
		st.Stime, _ = strconv.ParseUint(string(f[12]), 10, 64)
	}
	if len(f) >= 20 {
		st.Start, _ = strconv.ParseUint(string(f[19]), 10, 64)
	}
	return st, nil
}
