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
		{"42 (sleep) S 1 42 42 0 -1", Stat{Pid: 42, Comm: "sleep", State: 'S', Ppid: 1, Pgid: 42}, false},
		{"7 (a) b) c) Z 3 5 5 0", Stat{Pid: 7, Comm: "a) b) c", State: 'Z', Ppid: 3, Pgid: 5}, false},
		{"9 (x (y)) R 0 9 9", Stat{Pid: 9, Comm: "x (y)", State: 'R', Pgid: 9}, false},
		{"9 ( ) T 2 3 3", Stat{Pid: 9, Comm: " ", State: 'T', Ppid: 2, Pgid: 3}, false},
		{"4242 (a) b (c)) Z 1 4242 4242 0 -1 4194560 0 0 0 0 17 3 0 0 20 0 1 0", Stat{Pid: 4242, Comm: "a) b (c)", State: 'Z', Ppid: 1, Pgid: 4242, Utime: 17, Stime: 3}, false},
		{"7 (sleep) S 1 7 7 0 -1 4194560 0 0 0 0 17 3 0 0 20 0 1 0 123456 2338816 128", Stat{Pid: 7, Comm: "sleep", State: 'S', Ppid: 1, Pgid: 7, Utime: 17, Stime: 3, Start: 123456}, false},
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
