package ctl

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func TestParseName(t *testing.T) {
	for _, tt := range []struct {
		name  string
		pidns uint64
		pid   int
		ok    bool
	}{
		{"pidone-ctl/4026531836/1", 4026531836, 1, true},
		{"pidone-ctl/4026532001/31789", 4026532001, 31789, true},
		{"pidone-ctl/0/1", 0, 1, true},
		{"pidone-ctl/18446744073709551615/1", 1<<64 - 1, 1, true},
		{"pidone-ctl/18446744073709551616/1", 0, 0, false},
		{"pidone-ctl/4026531836/0", 0, 0, false},
		{"pidone-ctl/4026531836/-1", 0, 0, false},
		{"pidone-ctl/4026531836/01", 0, 0, false},
		{"pidone-ctl/04026531836/1", 0, 0, false},
		{"pidone-ctl/+4026531836/1", 0, 0, false},
		{"pidone-ctl/4026531836/1/", 0, 0, false},
		{"pidone-ctl/4026531836/1/2", 0, 0, false},
		{"pidone-ctl/4026531836", 0, 0, false},
		{"pidone-ctl//1", 0, 0, false},
		{"pidone-ctl-x/4026531836/1", 0, 0, false},
		{"other/4026531836/1", 0, 0, false},
		{"pidone-ctl/4026531836/1@", 0, 0, false},
	} {
		ns, pid, ok := parseName(tt.name, "pidone-ctl")
		if ns != tt.pidns || pid != tt.pid || ok != tt.ok {
			t.Errorf("parseName(%q) = %d, %d, %v; want %d, %d, %v", tt.name, ns, pid, ok, tt.pidns, tt.pid, tt.ok)
		}
		if ok {
			if again := socketName("pidone-ctl", ns, pid); again != tt.name {
				t.Errorf("%q written back as %q", tt.name, again)
			}
		}
	}
}

func TestListSockets(t *testing.T) {
	const table = `Num       RefCount Protocol Flags    Type St Inode Path
0000000000000000: 00000002 00000000 00010000 0001 01 1001 @pidone-ctl/4026532001/1
0000000000000000: 00000003 00000000 00000000 0001 03 1002 @pidone-ctl/4026532001/1
0000000000000000: 00000002 00000000 00010000 0001 01 1003 @pidone-ctl/4026532001/77
0000000000000000: 00000002 00000000 00010000 0001 01 1004 @pidone-ctl/4026532999/1
0000000000000000: 00000002 00000000 00000000 0001 01 1005 @pidone-ctl/4026532001/5
0000000000000000: 00000002 00000000 00010000 0001 01 1006 @pidone-ctl/4026532001/05
0000000000000000: 00000002 00000000 00010000 0001 01 1007 @pidone-ctl/4026532001/8 x
0000000000000000: 00000002 00000000 00010000 0001 01 1008 /run/pidone-ctl/4026532001/9
0000000000000000: 00000002 00000000 00010000 0001 01 1009 @pidone-ctl/4026532001/10@
0000000000000000: 00000002 00000000 00010000 0001 01 1010 @other/4026532001/11
0000000000000000: 00000002 00000000 00010000 0001 01 1011
0000000000000000: 00000002 00000000 0001zzzz 0001 01 1012 @pidone-ctl/4026532001/12
0000000000000000: 00000002 00000000 00010000 0005 01 1013 @pidone-ctl/4026532001/13
`
	path := filepath.Join(t.TempDir(), "unix")
	if err := os.WriteFile(path, []byte(table), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := listSockets(path, "pidone-ctl", 4026532001)
	if err != nil {
		t.Fatal(err)
	}
	want := []listed{{"pidone-ctl/4026532001/1", 1}, {"pidone-ctl/4026532001/77", 77}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestRank(t *testing.T) {
	// A process tree, in the procfs mount's numbering: pid -> parent.
	//
	//	1 (pause)
	//	├── 10 pidone A (mnt 100)
	//	│   └── 11 app
	//	│       └── 12 pidone A2, nested (mnt 100)
	//	│           └── 13 client of A2's tree
	//	├── 20 pidone B (mnt 200)
	//	│   └── 21 client of B's tree
	//	└── 30 pidone C (mnt 200)
	//	├── 50 test harness (mnt 300)
	//	│   ├── 51 pidone D, a subreaper (mnt 300)
	//	│   ├── 52 pidone D2, a subreaper (mnt 300)
	//	│   └── 53 nsenter
	//	│       └── 54 client
	//	└── 60 a stranger's shell
	//	    └── 61 pidone E, a subreaper (mnt 300)
	//	99 client from outside (docker exec), parent outside: 0
	parent := map[int]int{1: 0, 10: 1, 11: 10, 12: 11, 13: 12, 20: 1, 21: 20, 30: 1, 99: 0,
		50: 1, 51: 50, 52: 50, 53: 50, 54: 53, 60: 1, 61: 60}
	ppid := func(p int) (int, error) {
		pp, ok := parent[p]
		if !ok {
			return 0, errors.New("no such process")
		}
		return pp, nil
	}
	cand := func(mp int, mnt uint64) *candidate {
		return &candidate{listed: listed{pid: mp}, mp: mp, mnt: mnt}
	}
	a, a2, b, c := cand(10, 100), cand(12, 100), cand(20, 200), cand(30, 200)
	d, d2, e := cand(51, 300), cand(52, 300), cand(61, 300)
	unknown := &candidate{listed: listed{pid: 40}}
	for _, tt := range []struct {
		name    string
		cands   []*candidate
		self    int
		selfMnt uint64
		want    []int
	}{
		{"inside A2's tree: its own pidone", []*candidate{a, a2, b, c}, 13, 100, []int{12}},
		{"inside A's tree: the nearest ancestor", []*candidate{a, a2, b, c}, 11, 100, []int{10}},
		{"inside B's tree, from another mount namespace", []*candidate{a, b}, 21, 100, []int{20}},
		{"docker exec into A's container: the outermost of A's", []*candidate{a, a2, b, c}, 99, 100, []int{10}},
		{"docker exec into B's mount namespace, shared with C", []*candidate{a, b, c}, 99, 200, []int{20, 30}},
		{"docker exec into B's container", []*candidate{a, b}, 99, 200, []int{20}},
		{"mount namespace unknown", []*candidate{a, a2}, 99, 0, []int{10}},
		{"mount namespace matching none", []*candidate{a, a2, b}, 99, 300, []int{10, 20}},
		{"a candidate that cannot be placed is never dropped", []*candidate{a, unknown}, 99, 0, []int{10, 40}},
		{"the harness's own subreaper, not a stranger's", []*candidate{d, e}, 54, 300, []int{51}},
		{"two subreapers of one harness", []*candidate{d, d2, e}, 54, 300, []int{51, 52}},
		{"nearest relative, or one that cannot be placed", []*candidate{d, e, unknown}, 54, 0, []int{51, 40}},
		{"mount namespace matching none: the nearest relative", []*candidate{d, e}, 54, 400, []int{51}},
		{"a nearer relative in another mount namespace is not preferred", []*candidate{b, c, d}, 54, 200, []int{20, 30}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []int
			for _, c := range rank(tt.cands, tt.self, tt.selfMnt, ppid) {
				got = append(got, c.pid)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAncestorsStopsOnALoop(t *testing.T) {
	got := ancestors(5, func(p int) (int, error) { return p%3 + 5, nil })
	if len(got) > 1024 {
		t.Errorf("%d ancestors", len(got))
	}
}

// testFinder finds servers under prefix only.
func testFinder(prefix string) finder {
	f := defaultFinder()
	f.prefix = prefix
	return f
}

// serveHere serves under prefix in this process, named as pidone would
// name itself, answering every call with token.
func serveHere(t *testing.T, prefix, token string) *Server {
	t.Helper()
	ino, err := nsInode("/proc/self/ns/pid")
	if err != nil {
		t.Fatal(err)
	}
	s := listen(t, Config{Name: socketName(prefix, ino, os.Getpid())})
	go func() {
		for c := range s.Calls() {
			c.Reply(Response{Message: token})
		}
	}()
	return s
}

func TestFindWithoutProc(t *testing.T) {
	f := testFinder(testPrefix())
	f.proc = t.TempDir()
	_, _, err := f.find()
	if err == nil || !strings.Contains(err.Error(), "is /proc mounted?") {
		t.Fatalf("find without /proc: %v", err)
	}
	checkOneLine(t, err)
}

func TestFindNone(t *testing.T) {
	_, _, err := testFinder(testPrefix()).find()
	if err == nil || err.Error() != "no pidone is running in this PID namespace" {
		t.Fatalf("find with no server: %v", err)
	}
}

// TestFindNested runs a second server as a child of this process, in the
// same PID and mount namespaces, as a nested pidone would be: a client
// from outside reaches the outer one, a client that the inner one
// started reaches the inner one.
func TestFindNested(t *testing.T) {
	prefix := testPrefix()
	serveHere(t, prefix, "outer")
	inner := start(t, helperCmd("serve", "prefix:"+prefix, "inner", "--", "client", prefix, "restart", "web"))
	inner.ready(t)
	if line := inner.expect(t, ""); line != "inner" {
		t.Errorf("the inner server's child printed %q; stderr: %s", line, inner.stderr())
	}
	if line := inner.expect(t, ""); line != "child exit 0" {
		t.Errorf("the inner server's child: %s", line)
	}

	var out, errOut strings.Builder
	if code := testFinder(prefix).main([]string{"status"}, &out, &errOut); code != 0 || out.String() != "outer\n" {
		t.Errorf("client from outside: status %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}

// inNewPIDNamespace makes cmd pid 1 of a new PID namespace.
func inNewPIDNamespace(cmd *exec.Cmd) *exec.Cmd {
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWPID}
	return cmd
}

// TestFindTellsNamespacesApart serves from this process and from pid 1 of
// a new PID namespace in the same network namespace, as two containers of
// a pod do: each side's client finds its own. The client in the new
// namespace enters only its PID and network namespaces, and so reads the
// host's /proc.
func TestFindTellsNamespacesApart(t *testing.T) {
	needRoot(t)
	nsenter := needCommand(t, "nsenter")
	prefix := testPrefix()
	serveHere(t, prefix, "here")
	other := start(t, inNewPIDNamespace(helperCmd("serve", "prefix:"+prefix, "there")))
	other.ready(t)

	c, pid, err := testFinder(prefix).find()
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if pid != os.Getpid() {
		t.Errorf("found pid %d, want %d", pid, os.Getpid())
	}

	host := strconv.Itoa(other.cmd.Process.Pid)
	self, _ := os.Executable()
	client := exec.Command(nsenter, "--target", host, "--pid", "--net", "--", self, prefix, "status")
	client.Env = append(os.Environ(), helperEnv+"=client")
	p := start(t, client)
	code, out := p.wait(t)
	if code != 0 || out != "there\n" {
		t.Errorf("client in the other namespace: status %d, stdout %q, stderr %q", code, out, p.stderr())
	}
}

// TestFindIgnoresSquatter binds, from another PID namespace, names that
// claim pids of this one: the client must not take them for a pidone.
func TestFindIgnoresSquatter(t *testing.T) {
	needRoot(t)
	ino, err := nsInode("/proc/self/ns/pid")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("alone", func(t *testing.T) {
		prefix := testPrefix()
		name := socketName(prefix, ino, os.Getpid()) // this test's pid
		sq := start(t, inNewPIDNamespace(helperCmd("serve", "name:"+name, "squatter")))
		sq.ready(t)
		_, _, err := testFinder(prefix).find()
		want := fmt.Sprintf("no pidone answered: @%s is held by pid %d, not by pid %d: ignored", name, sq.cmd.Process.Pid, os.Getpid())
		if err == nil || err.Error() != want {
			t.Errorf("find: %v\nwant: %s", err, want)
		}
	})

	t.Run("beside a pidone", func(t *testing.T) {
		prefix := testPrefix()
		serveHere(t, prefix, "honest")
		// Pid 1 of this namespace is an ancestor of every process in it,
		// the best claim a squatter could make.
		sq := start(t, inNewPIDNamespace(helperCmd("serve", "name:"+socketName(prefix, ino, 1), "squatter")))
		sq.ready(t)
		var out, errOut strings.Builder
		code := testFinder(prefix).main([]string{"status"}, &out, &errOut)
		if code != 0 || out.String() != "honest\n" {
			t.Errorf("status %d, stdout %q, stderr %q", code, out.String(), errOut.String())
		}
	})
}

// nsenterClient runs the client helper (or Main, with prefix "") in the
// namespaces of pid target, as `nsenter --target PID FLAGS`.
func nsenterClient(t *testing.T, nsenter, target string, flags []string, prefix string, args ...string) *proc {
	t.Helper()
	self, _ := os.Executable()
	argv := append([]string{"--target", target}, flags...)
	argv = append(argv, "--", self)
	helper := "main"
	if prefix != "" {
		helper = "client"
		argv = append(argv, prefix)
	}
	cmd := exec.Command(nsenter, append(argv, args...)...)
	cmd.Env = append(os.Environ(), helperEnv+"="+helper)
	return start(t, cmd)
}

// TestPodScenario builds a pod by hand: two PID namespaces sharing one new
// network namespace, each with a server under the real name, and asks each
// through `nsenter --pid --net`, the way the harness and docker exec enter
// a container, with Main as pidone --ctl runs it. In the first, pid 1 is
// not a server (it stands for pause) and the server has a nested one, so
// the client must place both in the host's /proc, which numbers them
// otherwise, to pick the outer one.
func TestPodScenario(t *testing.T) {
	needRoot(t)
	nsenter := needCommand(t, "nsenter")
	a := helperCmd("serve", "prefix:"+testPrefix(), "pause",
		"--", "serve", "prefix:"+namePrefix, "container-a",
		"--", "serve", "prefix:"+namePrefix, "nested-in-a")
	a.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWPID | syscall.CLONE_NEWNET}
	pa := start(t, a)
	pause := pa.ready(t)
	pa.ready(t)
	pa.ready(t)
	netns := "/proc/" + pause + "/ns/net"

	// nsenter with only --net does not fork: the helper it executes is
	// the pid 1 that CLONE_NEWPID made of nsenter.
	self, _ := os.Executable()
	b := exec.Command(nsenter, "--net="+netns, "--", self, "prefix:"+namePrefix, "container-b")
	b.Env = append(os.Environ(), helperEnv+"=serve")
	b.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWPID}
	pb := start(t, b)
	serverB := pb.ready(t)

	for _, tt := range []struct{ target, token string }{{pause, "container-a"}, {serverB, "container-b"}} {
		for _, args := range [][]string{{"status"}, {"signal", "main", "HUP"}} {
			p := nsenterClient(t, nsenter, tt.target, []string{"--pid", "--net"}, "", args...)
			code, out := p.wait(t)
			if code != 0 || out != tt.token+"\n" || p.stderr() != "" {
				t.Errorf("%s %v: status %d, stdout %q, stderr %q", tt.token, args, code, out, p.stderr())
			}
		}
	}
}

// TestFindPrefersOwnMountNamespace shares one PID namespace between two
// servers in different mount namespaces, as a pod with a shared PID
// namespace does: a client that enters one's mount namespace finds that
// one, even when the other is outside it.
func TestFindPrefersOwnMountNamespace(t *testing.T) {
	needRoot(t)
	nsenter := needCommand(t, "nsenter")
	prefix := testPrefix()
	p := start(t, inNewPIDNamespace(helperCmd("serve", "prefix:"+testPrefix(), "pause",
		"--", "serve", "prefix:"+prefix, "one",
		"--", "+mnt", "serve", "prefix:"+prefix, "two")))
	p.ready(t)
	one := p.ready(t)
	two := p.ready(t)
	for _, tt := range []struct {
		target string
		flags  []string
		want   string
	}{
		{two, []string{"--pid", "--net", "--mount"}, "two"},
		{one, []string{"--pid", "--net", "--mount"}, "one"},
		{one, []string{"--pid", "--net"}, "one"}, // the test's own mount namespace is one's
	} {
		c := nsenterClient(t, nsenter, tt.target, tt.flags, prefix, "status")
		code, out := c.wait(t)
		if code != 0 || out != tt.want+"\n" {
			t.Errorf("%v into %s: status %d, stdout %q, stderr %q", tt.flags, tt.want, code, out, c.stderr())
		}
	}
}

// TestFindAmbiguous runs two servers side by side, neither above the
// other nor above the client: the client must say so, not pick one.
func TestFindAmbiguous(t *testing.T) {
	prefix := testPrefix()
	var pids []int
	for _, token := range []string{"left", "right"} {
		p := start(t, helperCmd("serve", "prefix:"+prefix, token))
		p.ready(t)
		pids = append(pids, p.cmd.Process.Pid)
	}
	var out, errOut strings.Builder
	code := testFinder(prefix).main([]string{"status"}, &out, &errOut)
	want := fmt.Sprintf("pidone: several pidones answer in this PID namespace (pids %d, %d) and none of them is this process's ancestor, the only one in its mount namespace, its nearest relative, or the outermost\n",
		min(pids[0], pids[1]), max(pids[0], pids[1]))
	if code != 1 || out.String() != "" || errOut.String() != want {
		t.Errorf("status %d, stdout %q, stderr %q\nwant stderr %q", code, out.String(), errOut.String(), want)
	}
}
