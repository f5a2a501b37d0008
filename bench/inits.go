package main

import (
	"bufio"
	"bytes"
	"context"
	"debug/buildinfo"
	"debug/elf"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// initSpec describes one init under test.
type initSpec struct {
	name   string
	path   string   // absolute; empty for the bare baseline
	prefix []string // arguments between the init and the command
	peer   bool     // one of the inits pidone is compared with
	// subreaper: the options that make it reap orphans when it is not
	// PID 1 (tini's -s; catatonit and pidone register on their own;
	// dumb-init cannot).
	subreaper []string
	// reapsAsPID1Only: it reaps orphans only as PID 1 (or, for tini, with
	// -s): the bench always runs it as PID 1 of a new PID namespace.
	reapsAsPID1Only bool
}

// argv is the command line that runs cmd under the init.
func (s initSpec) argv(cmd ...string) []string {
	if s.path == "" {
		return cmd
	}
	out := append([]string{s.path}, s.prefix...)
	return append(out, cmd...)
}

// argvNotPID1 is the command line that runs cmd under the init when it is
// not PID 1, with its subreaper option if it has one.
func (s initSpec) argvNotPID1(cmd ...string) []string {
	if s.path == "" {
		return cmd
	}
	out := append([]string{s.path}, s.subreaper...)
	out = append(out, s.prefix...)
	return append(out, cmd...)
}

// bare is no init at all: the command itself is PID 1.
var bare = initSpec{name: "bare"}

// peerTable lists the peers, each with the names to look for in order.
var peerTable = []struct {
	names     []string
	prefix    []string
	subreaper []string
	pid1      bool
}{
	{[]string{"tini-static", "tini"}, []string{"--"}, []string{"-s"}, true},
	{[]string{"dumb-init"}, nil, nil, true},
	{[]string{"catatonit"}, []string{"--"}, nil, false},
}

// searchDirs are looked at after PATH.
var searchDirs = []string{"/usr/bin", "/usr/local/bin", "/bin", "/usr/sbin", "/sbin"}

// findBinary looks name up in PATH, then in searchDirs.
func findBinary(name string) (string, bool) {
	if p, err := exec.LookPath(name); err == nil {
		if abs, err := filepath.Abs(p); err == nil {
			return abs, true
		}
	}
	for _, d := range searchDirs {
		p := filepath.Join(d, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return p, true
		}
	}
	return "", false
}

// discoverPeers returns the peers found and a note for each one missing.
func discoverPeers() ([]initSpec, []string) {
	var found []initSpec
	var notes []string
	for _, p := range peerTable {
		ok := false
		for _, n := range p.names {
			if path, there := findBinary(n); there {
				found = append(found, initSpec{name: n, path: path, prefix: p.prefix, subreaper: p.subreaper, peer: true, reapsAsPID1Only: p.pid1})
				ok = true
				break
			}
		}
		if !ok {
			notes = append(notes, fmt.Sprintf("%s not found in PATH or %s: skipped (apt-get install -y tini dumb-init catatonit)",
				strings.Join(p.names, " / "), strings.Join(searchDirs, ", ")))
		}
	}
	return found, notes
}

// buildPidone builds pidone from the module that holds the working
// directory into dir, the way the README builds it.
func buildPidone(dir string) (string, error) { return build(dir, ".", "pidone") }

// buildFloor builds bench/gofloor the same way.
func buildFloor(dir string) (string, error) { return build(dir, "./bench/gofloor", "gofloor") }

// buildFloorSignals builds bench/gofloor with its signals tag: the floor
// that also registers pidone's signals with os/signal.
func buildFloorSignals(dir string) (string, error) {
	return build(dir, "./bench/gofloor", "gofloor-signals", "-tags", "signals")
}

// build compiles pkg, a path in pidone's module, into dir/name as a
// static, stripped binary; flags go to go build before the package.
func build(dir, pkg, name string, flags ...string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, name)
	args := append([]string{"build", "-trimpath", "-ldflags=-s -w", "-o", out}, flags...)
	cmd := exec.Command("go", append(args, pkg)...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s in %s: %w\n%s", pkg, root, err, b)
	}
	return out, nil
}

// moduleRoot finds the directory of pidone's go.mod, upwards from the
// working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.Contains(b, []byte("module github.com/pidone/pidone")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("pidone's go.mod not found above the working directory: run from the repository or pass -pidone")
		}
		dir = parent
	}
}

// binaryInfo describes a binary file: size, static or not, stripped or not.
type binaryInfo struct {
	size     int64
	static   bool
	stripped bool
	goVer    string
}

func describeBinary(path string) (binaryInfo, error) {
	st, err := os.Stat(path)
	if err != nil {
		return binaryInfo{}, err
	}
	bi := binaryInfo{size: st.Size(), static: true}
	f, err := elf.Open(path)
	if err != nil {
		return bi, err
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			bi.static = false
		}
	}
	bi.stripped = f.Section(".symtab") == nil
	if info, err := buildinfo.ReadFile(path); err == nil {
		bi.goVer = info.GoVersion
	}
	return bi, nil
}

func (b binaryInfo) String() string {
	link := "dynamic (shared libraries not counted)"
	if b.static {
		link = "static"
	}
	strip := "not stripped"
	if b.stripped {
		strip = "stripped"
	}
	s := link + ", " + strip
	if b.goVer != "" {
		s += ", built with " + b.goVer
	}
	return s
}

// version runs `path --version` and returns the first line it prints.
func version(path string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	out, _ := exec.CommandContext(ctx, path, "--version").CombinedOutput()
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(line)
}

// loadAvg reads the load averages.
func loadAvg() string {
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			return strings.Join(f[:3], " ")
		}
	}
	return "unknown"
}

// machine describes where the bench ran; load is the load average before
// the run.
func machine(load string) []string {
	cpu := "unknown"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), ":")
			if ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	kernel := "unknown"
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel = strings.TrimSpace(string(b))
	}
	return []string{
		"CPU: " + cpu,
		fmt.Sprintf("cores: %d", runtime.NumCPU()),
		"kernel: Linux " + kernel + " (" + runtime.GOARCH + ")",
		"Go (bench): " + runtime.Version(),
		"date: " + time.Now().UTC().Format("2006-01-02 15:04 MST"),
		"load average (1, 5, 15 min) before the run: " + load,
	}
}
