package launch

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// lookPath finds the file to execute for name, in the PATH of env; a name
// with a "/" is taken as it is, relative to dir. It differs from
// exec.LookPath in what it reports: a name found in PATH only as something
// that cannot be executed is "permission denied" (126), not "not found"
// (127), as a shell says.
func lookPath(name string, env []string, dir string) (string, error) {
	if strings.Contains(name, "/") {
		check := name
		if !filepath.IsAbs(name) && dir != "" {
			check = filepath.Join(dir, name)
		}
		return name, checkExecutable(check)
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
		check := p
		if !filepath.IsAbs(p) && dir != "" {
			check = filepath.Join(dir, p) // relative PATH entries are resolved in the process's directory
		}
		err := checkExecutable(check)
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
