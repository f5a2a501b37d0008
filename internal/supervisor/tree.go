package supervisor

import (
	"bytes"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// descendants lists every process below self, walking parent links in
// /proc. As a subreaper, pidone may signal only these: anything else on
// the machine is not its business. As PID 1 it lists every other process
// of the namespace, since they all descend from it.
func descendants(self int) []int {
	if !ownProc() {
		return nil
	}
	d, err := os.Open("/proc")
	if err != nil {
		return nil
	}
	defer d.Close()
	names, _ := d.Readdirnames(-1)
	children := make(map[int][]int, len(names))
	for _, name := range names {
		pid, err := strconv.Atoi(name)
		if err != nil {
			continue
		}
		if ppid, ok := parentOf(pid); ok {
			children[ppid] = append(children[ppid], pid)
		}
	}
	var out []int
	queue := children[self]
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		out = append(out, pid)
		queue = append(queue, children[pid]...)
	}
	return out
}

// ownProc reports whether /proc shows pidone's own PID namespace. A PID 1
// started with a new namespace but the old /proc would otherwise read
// another namespace's processes as its own.
func ownProc() bool {
	self, err := os.Readlink("/proc/self")
	return err == nil && self == strconv.Itoa(os.Getpid())
}

// parentOf reads the parent pid from /proc/PID/stat. The command name in
// that line is in parentheses and may itself contain ") ", so the fields
// are counted from the last ')'.
func parentOf(pid int) (int, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 || i+4 > len(b) {
		return 0, false
	}
	fields := bytes.Fields(b[i+1:])
	if len(fields) < 2 {
		return 0, false
	}
	ppid, err := strconv.Atoi(string(fields[1]))
	return ppid, err == nil
}

// signalTree sends sig to every descendant of self, or, as PID 1, to every
// process of the namespace with one kill(-1): the kernel then does it
// atomically with respect to fork, which a walk cannot.
func signalTree(self int, sig unix.Signal) {
	if self == 1 {
		_ = unix.Kill(-1, sig)
		return
	}
	for _, pid := range descendants(self) {
		_ = unix.Kill(pid, sig)
	}
}
