package procfs

import (
	"os"
	"strconv"
)

// Own reports whether /proc shows pidone's own PID namespace.
func Own() bool {
	self, err := os.Readlink("/proc/self")
	return err == nil && self == strconv.Itoa(os.Getpid())
}

// All lists every process /proc shows, with its stat; processes that end
// while they are read are left out.
func All() ([]Stat, error) {
	if !Own() {
		return nil, ErrUnavailable
	}
	d, err := os.Open("/proc")
	if err != nil {
		return nil, ErrUnavailable
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil, ErrUnavailable
	}
	out := make([]Stat, 0, len(names))
	for _, name := range names {
		pid, err := strconv.Atoi(name)
		if err != nil {
			continue
		}
		if st, err := ReadStat(pid); err == nil {
			out = append(out, st)
		}
	}
	return out, nil
}

// Descendants lists every process below root, breadth first, walking the
// parent links of All. As PID 1 that is every other process pidone can
// see whose ancestry leads to it; processes entered from outside the
// namespace (docker exec) have parent 0 and are not among them.
func Descendants(root int) ([]int, error) {
	all, err := All()
	if err != nil {
		return nil, err
	}
	return below(all, root), nil
}

func below(all []Stat, root int) []int {
	children := make(map[int][]int, len(all))
	for _, st := range all {
		children[st.Ppid] = append(children[st.Ppid], st.Pid)
	}
	var out []int
	queue := children[root]
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		out = append(out, pid)
		queue = append(queue, children[pid]...)
	}
	return out
}
