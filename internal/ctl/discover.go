package ctl

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// finder looks for the pidone a client should talk to, and talks to it.
// Its fields are what tests change: another procfs, another name prefix
// (so that a test never meets a real pidone on the same machine), shorter
// waits.
type finder struct {
	proc        string
	prefix      string
	dialTimeout time.Duration
	// statusWait bounds the wait for the answer to status.
	statusWait time.Duration
}

func defaultFinder() finder {
	return finder{proc: "/proc", prefix: namePrefix, dialTimeout: 2 * time.Second, statusWait: 10 * time.Second}
}

// listed is a control socket found in the socket table.
type listed struct {
	name string
	pid  int // as its name gives it
}

// candidate is a listed socket whose server the kernel vouches for.
type candidate struct {
	listed
	conn *net.UnixConn
	// Filled in only when several candidates must be ranked:
	mp  int    // pid in the procfs mount's numbering, 0 when unknown
	mnt uint64 // mount namespace inode, 0 when unknown
}

// find returns a connection to the one pidone this client should talk to,
// and its pid.
func (f finder) find() (*net.UnixConn, int, error) {
	pidns, err := nsInode(f.proc + "/self/ns/pid")
	if err != nil {
		return nil, 0, fmt.Errorf("find pidone: %w (is /proc mounted?)", err)
	}
	socks, err := listSockets(f.proc+"/net/unix", f.prefix, pidns)
	if err != nil {
		return nil, 0, fmt.Errorf("find pidone: %w (is /proc mounted?)", err)
	}
	if len(socks) == 0 {
		return nil, 0, errors.New("no pidone is running in this PID namespace")
	}
	var cands []*candidate
	var firstErr error
	for _, l := range socks {
		c, err := f.verify(l)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		cands = append(cands, c)
	}
	if len(cands) == 0 {
		return nil, 0, fmt.Errorf("no pidone answered: %w", firstErr)
	}
	chosen, err := f.choose(pidns, cands)
	for _, c := range cands {
		if c != chosen {
			c.conn.Close()
		}
	}
	if err != nil {
		return nil, 0, err
	}
	return chosen.conn, chosen.pid, nil
}

// verify connects to l and checks that the process that bound it is the
// one its name claims. Anyone in the network namespace can bind any
// abstract name, from any PID namespace; what they cannot choose is the
// pid the kernel reports for them here.
func (f finder) verify(l listed) (*candidate, error) {
	d := net.Dialer{Timeout: f.dialTimeout}
	nc, err := d.Dial("unix", "@"+l.name)
	if err != nil {
		return nil, fmt.Errorf("connect to @%s: %w", l.name, err)
	}
	c := nc.(*net.UnixConn)
	peer, err := peerOf(c)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("@%s: %w", l.name, err)
	}
	if peer.PID != l.pid {
		c.Close()
		return nil, fmt.Errorf("@%s is held by pid %d, not by pid %d: ignored", l.name, peer.PID, l.pid)
	}
	return &candidate{listed: l, conn: c}, nil
}

// listSockets returns the listening control sockets of the given PID
// namespace in this network namespace's socket table, /proc/net/unix,
// where an abstract name shows with a leading '@'.
func listSockets(path, prefix string, pidns uint64) ([]listed, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	var out []listed
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		// Num RefCount Protocol Flags Type St Inode Path
		f := strings.Fields(sc.Text())
		if len(f) != 8 || f[4] != "0001" || !strings.HasPrefix(f[7], "@") { // 0001: SOCK_STREAM
			continue
		}
		flags, err := strconv.ParseUint(f[3], 16, 32)
		if err != nil || flags&0x10000 == 0 { // __SO_ACCEPTCON: listening
			continue
		}
		name := f[7][1:]
		ns, pid, ok := parseName(name, prefix)
		if !ok || ns != pidns || slices.ContainsFunc(out, func(l listed) bool { return l.name == name }) {
			continue
		}
		out = append(out, listed{name: name, pid: pid})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return out, nil
}

// choose picks among several verified pidones of one PID namespace (a
// nested pidone, or a pod whose containers share it): the nearest one
// this client descends from, else those in the client's mount namespace
// (its container), of those the nearest relatives of the client, and of
// those the outermost. It fails rather than guess when that leaves more
// than one.
func (f finder) choose(pidns uint64, cands []*candidate) (*candidate, error) {
	if len(cands) == 1 {
		return cands[0], nil
	}
	ambiguous := func(why string) error {
		var pids []string
		for _, c := range slices.SortedFunc(slices.Values(cands), func(a, b *candidate) int { return a.pid - b.pid }) {
			pids = append(pids, strconv.Itoa(c.pid))
		}
		return fmt.Errorf("several pidones answer in this PID namespace (pids %s) and %s", strings.Join(pids, ", "), why)
	}
	v, err := openProc(f.proc, pidns)
	if err != nil {
		return nil, ambiguous(fmt.Sprintf("none can be preferred: %v", err))
	}
	for _, c := range cands {
		if c.mp, err = v.mountPid(c.pid); err == nil {
			c.mnt, _ = v.mntns(c.mp) // unknown when unreadable: never preferred
		}
	}
	selfMnt, _ := v.mntns(v.self)
	left := rank(cands, v.self, selfMnt, v.ppid)
	if len(left) == 1 {
		return left[0], nil
	}
	return nil, ambiguous("none of them is this process's ancestor, the only one in its mount namespace, its nearest relative, or the outermost")
}

// rank applies choose's preferences to candidates whose mp and mnt are
// filled in, given the client's own pid and mount namespace in the same
// numbering and a way to read a process's parent.
func rank(cands []*candidate, self int, selfMnt uint64, ppid func(int) (int, error)) []*candidate {
	byMP := make(map[int]*candidate, len(cands))
	for _, c := range cands {
		if c.mp > 0 {
			byMP[c.mp] = c
		}
	}
	// A process started by a pidone (a Procfile line that runs
	// `pidone --ctl restart worker`) means the pidone that started it.
	for _, a := range ancestors(self, ppid) {
		if c, ok := byMP[a]; ok {
			return []*candidate{c}
		}
	}
	set := cands
	if selfMnt != 0 {
		var same []*candidate
		for _, c := range cands {
			if c.mnt == selfMnt {
				same = append(same, c)
			}
		}
		if len(same) > 0 {
			set = same
		}
	}
	set = nearestRelatives(set, self, ppid)
	inSet := make(map[int]bool, len(set))
	for _, c := range set {
		if c.mp > 0 {
			inSet[c.mp] = true
		}
	}
	var outer []*candidate
	for _, c := range set {
		if c.mp == 0 || !slices.ContainsFunc(ancestors(c.mp, ppid), func(a int) bool { return inSet[a] }) {
			outer = append(outer, c)
		}
	}
	return outer
}

// nearestRelatives keeps the candidates whose closest common ancestor
// with the client is nearest to the client: `pidone --ctl` run by the
// script or test harness that started a pidone as a subreaper means that
// pidone, not one that a stranger on the same machine started. Candidates
// that cannot be placed in the tree are kept, as they may be nearer; when
// the client's ancestors are unknown (its parent is outside the
// namespace, as for docker exec) nothing is dropped.
func nearestRelatives(set []*candidate, self int, ppid func(int) (int, error)) []*candidate {
	mine := ancestors(self, ppid)
	best := len(mine)
	dist := make(map[*candidate]int, len(set))
	for _, c := range set {
		dist[c] = len(mine) // unrelated, or unknown
		if c.mp == 0 {
			continue
		}
		line := append([]int{c.mp}, ancestors(c.mp, ppid)...)
		if i := slices.IndexFunc(mine, func(a int) bool { return slices.Contains(line, a) }); i >= 0 {
			dist[c] = i
			best = min(best, i)
		}
	}
	var out []*candidate
	for _, c := range set {
		if dist[c] == best || c.mp == 0 {
			out = append(out, c)
		}
	}
	return out
}

// ancestors returns the parents of mp, nearest first, as far as ppid can
// read them.
func ancestors(mp int, ppid func(int) (int, error)) []int {
	var out []int
	// The bound only guards against a chain that the reads, racing
	// with exits and pid reuse, turn into a loop.
	for i := 0; i < 1024; i++ {
		p, err := ppid(mp)
		if err != nil || p <= 0 || p == mp {
			break
		}
		out = append(out, p)
		mp = p
	}
	return out
}
