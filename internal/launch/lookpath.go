package launch

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// lookPath finds the file to execute for name, in the PATH of env; a name
// with a "/" is taken as it is, relative to dir. It differs from
// exec.LookPath in what it reports: a name found in PATH only as something
// that cannot be executed is "permission denied" (126), not "not found"
// (127), as a shell says. With cred, the files are judged as that user
// would find them, as gosu and su-exec search PATH after changing user: an
// entry only root may run is passed over for the next one.
func lookPath(name string, env []string, dir string, cred *syscall.Credential) (string, error) {
	if strings.Contains(name, "/") {
		return name, checkExecutable(inDir(name, dir), cred)
	}
	if name == "" {
		return "", errNotInPath
	}
	var denied error
	for _, d := range filepath.SplitList(pathOf(env)) {
		if d == "" {
			d = "." // an empty PATH element means the working directory
		}
		p := filepath.Join(d, name)
		// A relative PATH entry is resolved in the process's directory.
		err := checkExecutable(inDir(p, dir), cred)
		if err == nil {
			return p, nil
		}
		if denied == nil && !os.IsNotExist(err) && err != syscall.ENOTDIR {
			denied = err
		}
	}
	if denied != nil {
		return "", denied
	}
	return "", errNotInPath
}

// pathOf returns PATH from env, with the default a shell would use.
func pathOf(env []string) string {
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], "PATH="); ok {
			return v
		}
	}
	return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
}

// checkExecutable is what execve would say about path, short of running
// it, for pidone or, with cred, for that user.
func checkExecutable(path string, cred *syscall.Credential) error {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return err
	}
	if st.Mode&unix.S_IFMT == unix.S_IFDIR {
		return syscall.EISDIR
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return syscall.EACCES
	}
	// pidone's own view first: it also sees a noexec mount.
	if err := unix.Access(path, unix.X_OK); err != nil || cred == nil {
		return err
	}
	return searchableBy(path, st, cred)
}

// searchableBy checks, from the mode bits, that cred may execute the file
// path (whose stat is st) and search every directory on the way to it.
// ACLs are not read: the kernel has the last word when the process starts.
func searchableBy(path string, st unix.Stat_t, cred *syscall.Credential) error {
	if !permits(st.Mode, st.Uid, st.Gid, cred) {
		return syscall.EACCES
	}
	// The directories of the path as written, and of the file it leads
	// to through symbolic links: the kernel searches both.
	paths := []string{path}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		paths = append(paths, real)
	}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		for d := filepath.Dir(abs); ; d = filepath.Dir(d) {
			var ds unix.Stat_t
			if unix.Stat(d, &ds) == nil && !permits(ds.Mode, ds.Uid, ds.Gid, cred) {
				return syscall.EACCES
			}
			if d == "/" {
				break
			}
		}
	}
	return nil
}

// permits reports whether cred has execute (for a directory, search)
// permission on a file of the given mode and owners, as the kernel decides
// from the mode bits: root needs one execute bit on a file and nothing on
// a directory; others get the owner's, else the group's, else the others'
// bits.
func permits(mode, uid, gid uint32, cred *syscall.Credential) bool {
	if cred.Uid == 0 {
		return mode&unix.S_IFMT == unix.S_IFDIR || mode&0o111 != 0
	}
	switch {
	case cred.Uid == uid:
		return mode&0o100 != 0
	case cred.Gid == gid || slices.Contains(cred.Groups, gid):
		return mode&0o010 != 0
	}
	return mode&0o001 != 0
}

// inDir is path as the process sees it from its directory dir ("" for
// pidone's own).
func inDir(path, dir string) string {
	if filepath.IsAbs(path) || dir == "" {
		return path
	}
	return filepath.Join(dir, path)
}
