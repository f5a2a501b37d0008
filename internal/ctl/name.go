package ctl

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// namePrefix starts the abstract name of every pidone's control socket.
const namePrefix = "pidone-ctl"

// DefaultName returns the abstract socket name this process serves on:
// "pidone-ctl/<inode of its PID namespace>/<its pid in it>", without the
// leading NUL (or '@') that marks an abstract name.
func DefaultName() (string, error) {
	ino, err := nsInode("/proc/self/ns/pid")
	if err != nil {
		return "", fmt.Errorf("name the control socket: %w", err)
	}
	return socketName(namePrefix, ino, os.Getpid()), nil
}

func socketName(prefix string, pidns uint64, pid int) string {
	return prefix + "/" + strconv.FormatUint(pidns, 10) + "/" + strconv.Itoa(pid)
}

// parseName reads a name socketName wrote with prefix. Only the canonical
// spelling counts, so one server cannot hide behind several names.
func parseName(name, prefix string) (pidns uint64, pid int, ok bool) {
	rest, found := strings.CutPrefix(name, prefix+"/")
	if !found {
		return 0, 0, false
	}
	ns, p, found := strings.Cut(rest, "/")
	if !found {
		return 0, 0, false
	}
	pidns, err := strconv.ParseUint(ns, 10, 64)
	if err != nil || strconv.FormatUint(pidns, 10) != ns {
		return 0, 0, false
	}
	pid, err = strconv.Atoi(p)
	if err != nil || pid < 1 || strconv.Itoa(pid) != p {
		return 0, 0, false
	}
	return pidns, pid, true
}

// nsInode returns the inode of the namespace file at path, the number
// `readlink` shows in "pid:[4026531836]", which identifies the namespace
// for as long as it exists.
func nsInode(path string) (uint64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, fmt.Errorf("stat %s: no inode", path)
	}
	return uint64(st.Ino), nil
}
