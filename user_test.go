package main

// Integration tests for -u/--user USER[:GROUP]. pidone runs under the
// with-etc helper (helpers_test.go): in a private mount namespace where
// testdata/user/passwd and testdata/user/group are bound over /etc/passwd
// and /etc/group, so it resolves the fixtures' accounts and the machine's
// own files are never touched. The wrapper also starts pidone with
// docker's supplementary groups for root, so that a leak of pidone's
// groups to the processes would show.
//
// The fixture accounts:
//
//	app   1000:1000  home /home/app  listed in web (2000) and data (2001)
//	solo  1001:1001  home /srv/solo  listed in no group
//	ops   1003:1003  home empty      listed in root (0) and data (2001)
//	4242             no passwd entry
//	staff group 50, no members; gids 3000 and 4243 are in no file

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// rootGroups are the supplementary groups pidone starts with in these
// tests: docker's defaults for root.
const rootGroups = "0,1,2,3,4,6,10,11,20,26,27"

// userFixture is the setup every --user test shares.
type userFixture struct {
	passwd, group string // absolute paths of the fixture files
}

// setupUser needs root (unshare, mount, setuid), and checks after the test
// that the machine's /etc/passwd and /etc/group are unchanged and that no
// mount was left on them in the test's own namespace.
func setupUser(t *testing.T) userFixture {
	t.Helper()
	needRoot(t)
	var fx userFixture
	var err error
	if fx.passwd, err = filepath.Abs("testdata/user/passwd"); err != nil {
		t.Fatal(err)
	}
	if fx.group, err = filepath.Abs("testdata/user/group"); err != nil {
		t.Fatal(err)
	}
	before := etcSnapshot(t)
	t.Cleanup(func() {
		if after := etcSnapshot(t); after != before {
			t.Errorf("the machine's account files changed:\nbefore:\n%s\nafter:\n%s", before, after)
		}
	})
	return fx
}

// etcSnapshot is the content of the real /etc/passwd and /etc/group and
// the mounts on them, as the test process sees them.
func etcSnapshot(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, f := range []string{"/etc/passwd", "/etc/group"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "== %s\n%s", f, data)
	}
	mi, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(mi), "\n") {
		if f := strings.Fields(line); len(f) > 4 && (f[4] == "/etc/passwd" || f[4] == "/etc/group") {
			fmt.Fprintf(&b, "mount: %s\n", line)
		}
	}
	return b.String()
}

// wrap is the argv that runs pidone on the fixtures; between is put
// before pidone's path (e.g. env -u HOME).
func (fx userFixture) wrap(between ...string) []string {
	w := helper("with-etc", "-groups", rootGroups, fx.passwd, fx.group, "--")
	return append(w, between...)
}

// worldDir is a fresh directory under /tmp that every uid may write in.
func worldDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pidone-user-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	return dir
}

// userExe returns a copy of the test binary that every uid can execute:
// go test runs the binary from a 0700 build directory, where uid 1000
// could not reach it.
func userExe(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pidone-user-exe-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.Open(selfBin)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	exe := filepath.Join(dir, "pidone.test")
	dst, err := os.OpenFile(exe, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
	return exe
}

// parseStatus reads the "Key:\tvalue" lines of /proc/PID/status, with
// each value's blanks normalised to single spaces.
func parseStatus(text string) map[string]string {
	st := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			st[k] = strings.Join(strings.Fields(v), " ")
		}
	}
	return st
}

// procStatus reads /proc/PID/status.
func procStatus(t *testing.T, pid int) map[string]string {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatalf("read status of %d: %v", pid, err)
	}
	return parseStatus(string(b))
}

// cred is what a process is expected to run as.
type cred struct {
	uid, gid uint32
	groups   []uint32 // sorted
}

func (c cred) String() string {
	return fmt.Sprintf("uid %d gid %d groups %v", c.uid, c.gid, c.groups)
}

// checkCred compares the Uid, Gid (real, effective, saved, filesystem)
// and Groups lines of a status with want.
func checkCred(t *testing.T, who string, st map[string]string, want cred) {
	t.Helper()
	four := func(id uint32) string { return strings.TrimSpace(strings.Repeat(fmt.Sprint(id)+" ", 4)) }
	var groups []string
	for _, g := range want.groups {
		groups = append(groups, fmt.Sprint(g))
	}
	for _, c := range []struct{ key, want string }{
		{"Uid", four(want.uid)},
		{"Gid", four(want.gid)},
		{"Groups", strings.Join(groups, " ")},
	} {
		got, ok := st[c.key]
		if !ok {
			t.Errorf("%s: no %s line in status", who, c.key)
			continue
		}
		if got != c.want {
			t.Errorf("%s: %s: %q, want %q (%v)", who, c.key, got, c.want, want)
		}
	}
}

// runAs starts pidone with -u spec on the fixtures, running argv.
func (fx userFixture) runAs(t *testing.T, m mode, spec string, argv ...string) *pidoneRun {
	t.Helper()
	args := append([]string{"-u", spec, "--"}, argv...)
	return start(t, m, args, opts{wrap: fx.wrap()})
}

// waitOK waits for pidone and fails the test unless it exits 0.
func waitOK(t *testing.T, r *pidoneRun) {
	t.Helper()
	if got := r.wait(10 * time.Second); got != 0 {
		t.Fatalf("status %d, want 0; stderr:\n%s", got, r.stderr.String())
	}
}

// TestUserFixturesInPlace checks the premise of every other test here:
// under the wrapper pidone reads the fixtures as /etc/passwd and
// /etc/group, and without --user its process has pidone's groups.
func TestUserFixturesInPlace(t *testing.T) {
	fx := setupUser(t)
	want, err := os.ReadFile(fx.passwd)
	if err != nil {
		t.Fatal(err)
	}
	r := start(t, asSubreaper, []string{"cat", "/etc/passwd"}, opts{wrap: fx.wrap()})
	waitOK(t, r)
	if got := r.stdout.String(); got != string(want) {
		t.Fatalf("/etc/passwd under the wrapper:\n%s\nwant the fixture:\n%s", got, want)
	}
	r = start(t, asSubreaper, []string{"cat", "/proc/self/status"}, opts{wrap: fx.wrap()})
	waitOK(t, r)
	checkCred(t, "without --user", parseStatus(r.stdout.String()),
		cred{0, 0, []uint32{0, 1, 2, 3, 4, 6, 10, 11, 20, 26, 27}})
}

// TestUserCredentials: the process runs with exactly the uid, gid and
// supplementary groups the spec resolves to, in all four id slots.
func TestUserCredentials(t *testing.T) {
	fx := setupUser(t)
	appGroups := []uint32{2000, 2001}
	cases := []struct {
		name, spec string
		want       cred
	}{
		{"name", "app", cred{1000, 1000, appGroups}},
		{"name:group", "app:staff", cred{1000, 50, appGroups}},
		{"name:gid", "app:3000", cred{1000, 3000, appGroups}},
		{"name:own supplementary group", "app:web", cred{1000, 2000, appGroups}},
		{"name in no group", "solo", cred{1001, 1001, nil}},
		{"name listed in root", "ops", cred{1003, 1003, []uint32{0, 2001}}},
		{"uid", "1000", cred{1000, 1000, appGroups}},
		{"uid:gid", "1001:2002", cred{1001, 2002, nil}},
		{"uid:group", "1000:staff", cred{1000, 50, appGroups}},
		{"uid not in passwd", "4242", cred{4242, 0, nil}},
		{"uid not in passwd:gid", "4242:4243", cred{4242, 4243, nil}},
		{"uid not in passwd:group", "4242:staff", cred{4242, 50, nil}},
	}
	eachMode(t, func(t *testing.T, m mode) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := fx.runAs(t, m, c.spec, "cat", "/proc/self/status")
				waitOK(t, r)
				checkCred(t, "-u "+c.spec, parseStatus(r.stdout.String()), c.want)
			})
		}
	})
}

// TestUserNoRootLeak: nothing of root reaches a process run as another
// uid: no group pidone had (0 only when /etc/group lists the user in
// it), no capability. pidone sets no no_new_privs either.
func TestUserNoRootLeak(t *testing.T) {
	fx := setupUser(t)
	eachMode(t, func(t *testing.T, m mode) {
		for _, spec := range []string{"app", "solo", "ops", "4242", "4242:staff", "1001:0"} {
			t.Run(spec, func(t *testing.T) {
				r := fx.runAs(t, m, spec, "cat", "/proc/self/status")
				waitOK(t, r)
				st := parseStatus(r.stdout.String())
				for _, k := range []string{"CapInh", "CapPrm", "CapEff", "CapAmb"} {
					if st[k] != "0000000000000000" {
						t.Errorf("%s: %q, want 0000000000000000", k, st[k])
					}
				}
				if st["NoNewPrivs"] != "0" {
					t.Errorf("NoNewPrivs: %q, want 0", st["NoNewPrivs"])
				}
				groups := strings.Fields(st["Groups"])
				// Only ops is listed in group root.
				if has0, want0 := slices.Contains(groups, "0"), spec == "ops"; has0 != want0 {
					t.Errorf("Groups %q: has group 0: %v, want %v", st["Groups"], has0, want0)
				}
				for _, g := range []string{"1", "2", "3", "4", "6", "10", "11", "20", "26", "27"} {
					if slices.Contains(groups, g) {
						t.Errorf("Groups %q: pidone's group %s leaked", st["Groups"], g)
					}
				}
			})
		}
	})
}

// TestUserHome: HOME becomes the user's home when the environment has
// none or an empty one; a HOME that is set is kept.
func TestUserHome(t *testing.T) {
	fx := setupUser(t)
	cases := []struct {
		name  string
		spec  string   // "" for no --user
		unset bool     // start pidone without HOME
		env   []string // added to the environment (os/exec keeps the last of duplicates)
		want  []string // the HOME lines of the process's environment
	}{
		{"unset", "app", true, nil, []string{"HOME=/home/app"}},
		{"empty", "app", false, []string{"HOME="}, []string{"HOME=/home/app"}},
		{"set is kept", "app", false, []string{"HOME=/custom"}, []string{"HOME=/custom"}},
		{"uid in passwd", "1001", true, nil, []string{"HOME=/srv/solo"}},
		{"empty home field", "ops", true, nil, []string{"HOME=/"}},
		{"uid not in passwd", "4242", true, nil, []string{"HOME=/"}},
		{"uid not in passwd, empty", "4242:50", false, []string{"HOME="}, []string{"HOME=/"}},
		// Controls: the environment reaches pidone as the test means it
		// to, and without --user pidone leaves HOME alone.
		{"no --user, empty", "", false, []string{"HOME="}, []string{"HOME="}},
		{"no --user, unset", "", true, nil, nil},
	}
	eachMode(t, func(t *testing.T, m mode) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				var between []string
				if c.unset {
					between = []string{"/usr/bin/env", "-u", "HOME"}
				}
				var args []string
				if c.spec != "" {
					args = []string{"-u", c.spec}
				}
				args = append(args, "--", "env")
				r := start(t, m, args, opts{wrap: fx.wrap(between...), env: c.env})
				waitOK(t, r)
				var got []string
				for _, line := range strings.Split(r.stdout.String(), "\n") {
					if strings.HasPrefix(line, "HOME=") {
						got = append(got, line)
					}
				}
				if !slices.Equal(got, c.want) {
					t.Errorf("HOME lines %q, want %q", got, c.want)
				}
			})
		}
	})
}

// TestUserResolveErrors: a user or group that does not resolve, or a
// malformed spec, from the flag or PIDONE_USER, is a usage error: status
// 2, one line on stderr naming the problem, and nothing started.
func TestUserResolveErrors(t *testing.T) {
	fx := setupUser(t)
	cases := []struct {
		name  string
		args  []string
		env   []string
		names []string // the message must contain each
	}{
		{"unknown user", []string{"-u", "nosuch"}, nil, []string{`"nosuch"`, "no such user"}},
		{"unknown user with group", []string{"-u", "nosuch:staff"}, nil, []string{`"nosuch`, "no such user"}},
		{"unknown group", []string{"-u", "app:nosuch"}, nil, []string{`nosuch"`, "no such group"}},
		{"unknown group of bare uid", []string{"-u", "4242:nosuch"}, nil, []string{`nosuch"`, "no such group"}},
		{"two colons", []string{"-u", "a:b:c"}, nil, []string{`"a:b:c"`, "':'"}},
		{"no user", []string{"-u", ":grp"}, nil, []string{`":grp"`, "no user"}},
		{"no group", []string{"--user", "app:"}, nil, []string{`"app:"`, "no group"}},
		{"negative uid", []string{"--user=-1"}, nil, []string{`"-1"`, "negative"}},
		{"uid out of range", []string{"-u", "4294967295"}, nil, []string{"4294967295", "range"}},
		// An explicit empty value must not quietly leave the processes
		// root: `-u "$APP_USER"` with the variable unset.
		{"empty flag", []string{"--user="}, nil, []string{"user"}},
		{"env unknown user", nil, []string{"PIDONE_USER=nosuch"}, []string{`"nosuch"`, "no such user"}},
		{"env unknown group", nil, []string{"PIDONE_USER=app:nosuch"}, []string{`nosuch"`, "no such group"}},
		// SPEC: "a variable whose value does not parse is a usage error
		// that names the variable".
		{"env malformed", nil, []string{"PIDONE_USER=a:b:c"}, []string{"PIDONE_USER", "a:b:c"}},
	}
	eachMode(t, func(t *testing.T, m mode) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				marker := filepath.Join(worldDir(t), "started")
				args := append(append([]string(nil), c.args...), "--", "sh", "-c", "touch "+marker)
				r := start(t, m, args, opts{wrap: fx.wrap(), env: c.env})
				got := r.wait(10 * time.Second)
				if _, err := os.Stat(marker); err == nil {
					t.Errorf("the command ran")
				}
				if got != 2 {
					t.Fatalf("status %d, want 2; stderr %q", got, r.stderr.String())
				}
				msg := r.stderr.String()
				if strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "pidone: ") {
					t.Errorf("want one line starting %q, got %q", "pidone: ", msg)
				}
				for _, n := range c.names {
					if !strings.Contains(msg, n) {
						t.Errorf("message %q does not name %q", msg, n)
					}
				}
				if r.stdout.String() != "" {
					t.Errorf("stdout %q, want nothing", r.stdout.String())
				}
			})
		}
	})
}

// TestUserFromEnv: PIDONE_USER works like the flag, the flag wins over
// it, and an empty PIDONE_USER counts as unset. The command leaves a file
// whose owner is the uid it ran as.
func TestUserFromEnv(t *testing.T) {
	fx := setupUser(t)
	cases := []struct {
		name    string
		args    []string
		env     []string
		wantUID uint32
	}{
		{"flag", []string{"-u", "app"}, nil, 1000},
		{"variable", nil, []string{"PIDONE_USER=solo"}, 1001},
		{"variable numeric", nil, []string{"PIDONE_USER=4242:50"}, 4242},
		{"flag wins", []string{"-u", "app"}, []string{"PIDONE_USER=nosuch"}, 1000},
		{"empty variable is unset", nil, []string{"PIDONE_USER="}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			marker := filepath.Join(worldDir(t), "started")
			args := append(append([]string(nil), c.args...), "--", "sh", "-c", "touch "+marker)
			r := start(t, asSubreaper, args, opts{wrap: fx.wrap(), env: c.env})
			waitOK(t, r)
			fi, err := os.Stat(marker)
			if err != nil {
				t.Fatalf("the command did not run: %v", err)
			}
			if uid := fi.Sys().(*syscall.Stat_t).Uid; uid != c.wantUID {
				t.Errorf("the command ran as uid %d, want %d", uid, c.wantUID)
			}
		})
	}
}

// TestUserSignals: signals still reach a process that pidone no longer
// shares a uid with, and its status comes back.
func TestUserSignals(t *testing.T) {
	fx := setupUser(t)
	exe := userExe(t)
	eachMode(t, func(t *testing.T, m mode) {
		rec := filepath.Join(worldDir(t), "rec")
		r := fx.runAs(t, m, "app", exe, "record", rec)
		waitReady(t, rec)
		kids := descendantsOf(r.pid())
		if len(kids) != 1 {
			t.Fatalf("pidone has descendants %v, want the recorder alone", kids)
		}
		checkCred(t, "recorder", procStatus(t, kids[0]), cred{1000, 1000, []uint32{2000, 2001}})
		r.signal(syscall.SIGUSR1)
		waitSignal(t, rec, syscall.SIGUSR1, 5*time.Second)
		r.signal(syscall.SIGTERM)
		if got := r.wait(10 * time.Second); got != 143 {
			t.Errorf("status %d, want 143; stderr:\n%s", got, r.stderr.String())
		}
		if got := readRecord(rec).got(); !slices.Equal(got, []syscall.Signal{syscall.SIGUSR1, syscall.SIGTERM}) {
			t.Errorf("recorder got %v, want [USR1 TERM]", got)
		}
	})
}

// TestUserProcfile: every Procfile entry runs as the user.
func TestUserProcfile(t *testing.T) {
	fx := setupUser(t)
	pf := filepath.Join(t.TempDir(), "Procfile")
	if err := os.WriteFile(pf, []byte("one: cat /proc/self/status\ntwo: cat /proc/self/status\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	eachMode(t, func(t *testing.T, m mode) {
		// on-failure: each entry finishes with 0 and stays down, and
		// neither stops the other before it has printed.
		r := start(t, m, []string{"-u", "app", "--restart", "on-failure", "--procfile", pf}, opts{wrap: fx.wrap()})
		waitOK(t, r)
		out := map[string]*bytes.Buffer{"one": {}, "two": {}}
		for _, line := range strings.Split(strings.TrimSuffix(r.stdout.String(), "\n"), "\n") {
			name, rest, ok := strings.Cut(line, " | ")
			if !ok || out[name] == nil {
				t.Fatalf("stdout line %q is not prefixed with an entry's name", line)
			}
			fmt.Fprintln(out[name], rest)
		}
		for name, b := range out {
			checkCred(t, name, parseStatus(b.String()), cred{1000, 1000, []uint32{2000, 2001}})
		}
	})
}

// TestUserPidoneStaysRoot: pidone itself keeps its uid, gids and groups
// while its process runs as the user.
func TestUserPidoneStaysRoot(t *testing.T) {
	fx := setupUser(t)
	self := procStatus(t, os.Getpid())
	eachMode(t, func(t *testing.T, m mode) {
		r := fx.runAs(t, m, "app", "sleep", "60")
		var kids []int
		waitFor(t, 10*time.Second, "sleep to run under pidone", func() bool {
			kids = descendantsOf(r.pid())
			comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", kids0(kids)))
			return len(kids) == 1 && string(comm) == "sleep\n"
		})
		if exe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", r.pid())); exe != pidoneBin {
			t.Fatalf("pid %d runs %q, want pidone %q", r.pid(), exe, pidoneBin)
		}
		st := procStatus(t, r.pid())
		checkCred(t, "pidone", st, cred{0, 0, []uint32{0, 1, 2, 3, 4, 6, 10, 11, 20, 26, 27}})
		if st["CapEff"] != self["CapEff"] {
			t.Errorf("pidone's CapEff %s, want the test's %s", st["CapEff"], self["CapEff"])
		}
		checkCred(t, "process", procStatus(t, kids[0]), cred{1000, 1000, []uint32{2000, 2001}})
		r.signal(syscall.SIGTERM)
		if got := r.wait(10 * time.Second); got != 143 {
			t.Errorf("status %d, want 143; stderr:\n%s", got, r.stderr.String())
		}
	})
}

// kids0 is the first pid of kids, or 0.
func kids0(kids []int) int {
	if len(kids) == 0 {
		return 0
	}
	return kids[0]
}

// The PATH was searched with pidone's permissions: a root-only program
// early in PATH made "pidone -u app tool" fail with 126, where gosu and
// su-exec, which search after changing user, run the tool app may run.
func TestUserPathSearchedAsTheUser(t *testing.T) {
	fx := setupUser(t)
	dir := worldDir(t)
	for _, d := range []struct{ name, mode string }{{"private", "700"}, {"public", "755"}} {
		sub := filepath.Join(dir, d.name)
		os.Mkdir(sub, 0o755)
		tool := filepath.Join(sub, "tool")
		os.WriteFile(tool, []byte("#!/bin/sh\necho "+d.name+"\n"), 0o755)
		mode, _ := strconv.ParseUint(d.mode, 8, 32)
		os.Chmod(tool, os.FileMode(mode))
	}
	path := "PATH=" + filepath.Join(dir, "private") + ":" + filepath.Join(dir, "public") + ":/usr/bin:/bin"
	eachMode(t, func(t *testing.T, m mode) {
		r := start(t, m, []string{"-u", "app", "--", "tool"}, opts{wrap: fx.wrap(), env: []string{path}})
		waitOK(t, r)
		if got := r.stdout.String(); got != "public\n" {
			t.Errorf("as app: stdout %q, want the tool app may run", got)
		}
		r = start(t, m, []string{"--", "tool"}, opts{wrap: fx.wrap(), env: []string{path}})
		waitOK(t, r)
		if got := r.stdout.String(); got != "private\n" {
			t.Errorf("as root: stdout %q, want the first tool in PATH", got)
		}
	})
}
