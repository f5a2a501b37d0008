package ctl

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// procView reads a procfs mount on behalf of this process. The mount need
// not belong to this process's PID namespace: `nsenter --pid --net`, as
// `docker exec` without a mount namespace would, leaves a client in a
// container's PID namespace with the host's /proc, where /proc/1 is the
// host's init. Pids from the client's namespace (those in socket names
// and in SO_PEERCRED) are translated to the mount's numbering before any
// /proc/PID is read.
type procView struct {
	root string
	// depth counts the PID namespaces from the mount's down to ours:
	// 0 when the mount is ours.
	depth int
	// self is this process's pid in the mount's numbering.
	self int
	// pidns is the inode of this process's PID namespace.
	pidns uint64
}

func openProc(root string, pidns uint64) (*procView, error) {
	nspid, err := readNSpid(root + "/self/status")
	if err != nil {
		return nil, err
	}
	if nspid[len(nspid)-1] != os.Getpid() {
		return nil, fmt.Errorf("read %s/self/status: it shows pid %d, this is pid %d", root, nspid[len(nspid)-1], os.Getpid())
	}
	return &procView{root: root, depth: len(nspid) - 1, self: nspid[0], pidns: pidns}, nil
}

// readNSpid returns the NSpid line of a status file: the process's pid in
// each PID namespace from the mount's down to its own.
func readNSpid(path string) ([]int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		rest, ok := strings.CutPrefix(line, "NSpid:")
		if !ok {
			continue
		}
		var out []int
		for _, f := range strings.Fields(rest) {
			n, err := strconv.Atoi(f)
			if err != nil {
				return nil, fmt.Errorf("read %s: NSpid %q", path, rest)
			}
			out = append(out, n)
		}
		if len(out) == 0 {
			break
		}
		return out, nil
	}
	// Kernels before 4.1 have no NSpid line.
	return nil, fmt.Errorf("read %s: no NSpid line", path)
}

// mountPid translates pid, a pid in this process's PID namespace, to the
// mount's numbering.
func (v *procView) mountPid(pid int) (int, error) {
	if v.depth == 0 {
		return pid, nil
	}
	// No system call maps a pid across namespaces on every kernel a
	// container runs on; the mount's processes list the mapping, each in
	// its NSpid line.
	ents, err := os.ReadDir(v.root)
	if err != nil {
		return 0, fmt.Errorf("list %s: %w", v.root, err)
	}
	for _, e := range ents {
		mp, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		nspid, err := readNSpid(v.root + "/" + e.Name() + "/status")
		if err != nil || len(nspid) != v.depth+1 || nspid[v.depth] != pid {
			continue
		}
		// As deep as we are is not enough: a sibling namespace is as
		// deep, with its own pid 1.
		if ino, err := nsInode(v.root + "/" + e.Name() + "/ns/pid"); err == nil && ino == v.pidns {
			return mp, nil
		}
	}
	return 0, fmt.Errorf("pid %d of this PID namespace is not in %s", pid, v.root)
}

// ppid returns the parent of mp (in the mount's numbering), 0 when the
// parent is outside the mount's PID namespace.
func (v *procView) ppid(mp int) (int, error) {
	b, err := os.ReadFile(v.root + "/" + strconv.Itoa(mp) + "/stat")
	if err != nil {
		return 0, err
	}
	// "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses,
	// the last ')' ends it.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, errors.New("malformed stat")
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 2 {
		return 0, errors.New("malformed stat")
	}
	return strconv.Atoi(f[1])
}

// mntns returns the inode of mp's mount namespace.
func (v *procView) mntns(mp int) (uint64, error) {
	return nsInode(v.root + "/" + strconv.Itoa(mp) + "/ns/mnt")
}
