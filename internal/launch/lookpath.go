package supervisor

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// lookPath finds the file to execute for name, in the PATH of env. It
// differs from exec.LookPath in what it reports: a name found in PATH only
// as something that cannot be executed is "permission denied" (126), not
// "not found" (127), as a shell says.
func lookPath(name string, env []string) (string, error) {
	if strings.Contains(name, "/") {
		return name, checkExecutable(name)
	}
	if name == "" {
		return "", errNotInPath
	}
	var denied error
	for _, dir := range filepath.SplitList(pathOf(env)) {
		if dir == "" {
			dir = "." // an empty PATH element means the working directory
		}
		p := filepath.Join(dir, name)
		err := checkExecutable(p)
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

// checkExecutable is what execve would say about path, short of running it.
func checkExecutable(path string) error {
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
	return unix.Access(path, unix.X_OK)
}
