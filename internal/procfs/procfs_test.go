package procfs

import (
	"os"
	"slices"
	"testing"
)

func TestParseStat(t *testing.T) {
	cases := []struct {
		in   string
		want Stat
		err  bool
	}{
		{"42 (sleep) S 1 42 42 0 -1", Stat{42, 'S', 1, 42}, false},
		{"7 (a) b) c) Z 3 5 5 0", Stat{7, 'Z', 3, 5}, false},
		{"9 (x (y)) R 0 9 9", Stat{9, 'R', 0, 9}, false},
		{"9 ( ) T 2 3 3", Stat{9, 'T', 2, 3}, false},
		{"", Stat{}, true},
		{"42 sleep S 1 42", Stat{}, true},
		{"42 (sleep) S 1", Stat{}, true},
		{"x (sleep) S 1 2", Stat{}, true},
		{"42 (sleep) S one 2", Stat{}, true},
		{"42 (sleep) SS 1 2", Stat{}, true},
	}
	for _, c := range cases {
		got, err := ParseStat([]byte(c.in))
		if (err != nil) != c.err || got != c.want {
			t.Errorf("ParseStat(%q) = %+v, %v; want %+v, error %v", c.in, got, err, c.want, c.err)
		}
	}
}

func TestReadStatSelf(t *testing.T) {
	st, err := ReadStat(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if st.Ppid != os.Getppid() || st.Pid != os.Getpid() {
		t.Errorf("ReadStat(self) = %+v, want parent %d", st, os.Getppid())
	}
	if _, err := ReadStat(-5); err == nil {
		t.Error("ReadStat(-5) succeeded")
	}
}

func TestBelow(t *testing.T) {
	all := []Stat{{Pid: 1, Ppid: 0}, {Pid: 2, Ppid: 1}, {Pid: 3, Ppid: 2}, {Pid: 4, Ppid: 1}, {Pid: 5, Ppid: 0}, {Pid: 6, Ppid: 5}}
	if got := below(all, 1); !slices.Equal(got, []int{2, 4, 3}) {
		t.Errorf("below(1) = %v", got)
	}
	if got := below(all, 3); len(got) != 0 {
		t.Errorf("below(3) = %v", got)
	}
}
