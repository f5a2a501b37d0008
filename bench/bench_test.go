package main

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{5, 5, 1, 9, 7}, 5},
	} {
		in := append([]float64(nil), c.in...)
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
		for i := range in {
			if in[i] != c.in[i] {
				t.Fatalf("median modified its input: %v", c.in)
			}
		}
	}
	if !math.IsNaN(median(nil)) {
		t.Error("median(nil) is not NaN")
	}
}

func TestPercentile(t *testing.T) {
	xs := make([]float64, 100)
	for i := range xs {
		xs[len(xs)-1-i] = float64(i + 1) // 100 … 1
	}
	for _, c := range []struct{ p, want float64 }{
		{50, 50}, {99, 99}, {100, 100}, {1, 1}, {0.5, 1},
	} {
		if got := percentile(xs, c.p); got != c.want {
			t.Errorf("percentile(1..100, %v) = %v, want %v", c.p, got, c.want)
		}
	}
	if got := percentile([]float64{7, 3}, 99); got != 7 {
		t.Errorf("p99 of two samples = %v, want the larger", got)
	}
	if !math.IsNaN(percentile(nil, 50)) || !math.IsNaN(percentile(xs, 0)) {
		t.Error("percentile of nothing, or p=0, is not NaN")
	}
}

func TestConversions(t *testing.T) {
	if got := ms([]time.Duration{1500 * time.Microsecond}); got[0] != 1.5 {
		t.Errorf("ms = %v", got)
	}
	if got := us([]time.Duration{1500 * time.Nanosecond}); got[0] != 1.5 {
		t.Errorf("us = %v", got)
	}
}

func TestRatioAndFormat(t *testing.T) {
	for _, c := range []struct {
		v, best float64
		want    string
	}{
		{2, 1, "2.00×"}, {1, 1, "1.00×"}, {0, 0, "1.00×"}, {3, 0, "∞ (best is 0)"}, {math.NaN(), 1, ""},
	} {
		if got := ratio(c.v, c.best); got != c.want {
			t.Errorf("ratio(%v, %v) = %q, want %q", c.v, c.best, got, c.want)
		}
	}
	for _, c := range []struct {
		v    float64
		d    int
		want string
	}{
		{2633890, 0, "2,633,890"}, {999, 0, "999"}, {1234.5678, 2, "1,234.57"}, {-1234, 0, "-1,234"}, {0.052, 3, "0.052"}, {math.NaN(), 1, "n/a"},
	} {
		if got := formatNum(c.v, c.d); got != c.want {
			t.Errorf("formatNum(%v, %d) = %q, want %q", c.v, c.d, got, c.want)
		}
	}
}

func TestRenderTable(t *testing.T) {
	lower := newRow("start", "ms", 1)
	lower.set("tini", 1)
	lower.set("catatonit", 2)
	lower.set("pidone", 3)
	higher := newRow("speed", "MB/s", 0)
	higher.higherBest = true
	higher.set("tini", 100)
	higher.set("catatonit", 200)
	higher.fail("pidone", errors.New("boom"))
	none := newRow("nothing", "", 0)
	none.set("pidone", 1)

	inits := []string{"tini", "catatonit", "pidone"}
	got := renderTable([]*row{lower, higher, none}, inits, []string{"tini", "catatonit"})
	want := strings.Join([]string{
		"| measurement | unit | tini | catatonit | pidone | best peer |",
		"|---|---|---:|---:|---:|---|",
		"| start | ms | 1.0 (1.00×) | 2.0 (2.00×) | 3.0 (3.00×) | tini |",
		"| speed | MB/s | 100 (0.50×) | 200 (1.00×) | n/a¹ | catatonit |",
		"| nothing |  | — | — | 1 | — |",
		"",
	}, "\n")
	if got != want {
		t.Errorf("renderTable:\n%s\nwant:\n%s", got, want)
	}
	errs := rowErrors([]*row{lower, higher}, inits)
	if len(errs) != 1 || errs[0] != "speed, pidone: boom" {
		t.Errorf("rowErrors = %q", errs)
	}
}

func TestParseStat(t *testing.T) {
	st, err := parseStat([]byte("4242 (a) b (c)) Z 1 4242 4242 0 -1 4194560 0 0 0 0 17 3 0 0 20 0 1 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	if st.pid != 4242 || st.comm != "a) b (c)" || st.state != 'Z' || st.ppid != 1 || st.utime != 17 || st.stime != 3 {
		t.Errorf("parseStat = %+v", st)
	}
	if _, err := parseStat([]byte("12 no parens")); err == nil {
		t.Error("parseStat accepted a line without comm")
	}
}

func TestParseKV(t *testing.T) {
	m := parseKV([]byte("Name:\tpidone\nVmRSS:\t    3124 kB\nThreads:\t4\n"))
	if v, err := kB(m["VmRSS"]); err != nil || v != 3124 {
		t.Errorf("VmRSS = %v, %v", v, err)
	}
	if m["Threads"] != "4" || m["Name"] != "pidone" {
		t.Errorf("parseKV = %q", m)
	}
	if _, err := kB(""); err == nil {
		t.Error("kB accepted an empty value")
	}
}

func TestArgv(t *testing.T) {
	s := initSpec{name: "tini", path: "/usr/bin/tini", prefix: []string{"--"}}
	if got := strings.Join(s.argv("true", "x"), " "); got != "/usr/bin/tini -- true x" {
		t.Errorf("argv = %q", got)
	}
	d := initSpec{name: "dumb-init", path: "/usr/bin/dumb-init"}
	if got := strings.Join(d.argv("true"), " "); got != "/usr/bin/dumb-init true" {
		t.Errorf("argv = %q", got)
	}
	if got := strings.Join(bare.argv("/bin/true"), " "); got != "/bin/true" {
		t.Errorf("bare argv = %q", got)
	}
}

func TestDiscoverPeersSkipsMissing(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "dumb-init"), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tini"), []byte("not executable"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", t.TempDir())
	saved := searchDirs
	searchDirs = []string{dir}
	defer func() { searchDirs = saved }()

	found, notes := discoverPeers()
	if len(found) != 1 || found[0].name != "dumb-init" || found[0].path != filepath.Join(dir, "dumb-init") || !found[0].peer {
		t.Errorf("found = %+v, want dumb-init alone", found)
	}
	if len(notes) != 2 || !strings.Contains(notes[0], "tini-static / tini") || !strings.Contains(notes[1], "catatonit") {
		t.Errorf("notes = %q", notes)
	}
}

func TestParseSigQ(t *testing.T) {
	q, l, err := parseSigQ("\t12/96365 ")
	if err != nil || q != 12 || l != 96365 {
		t.Errorf("parseSigQ = %d, %d, %v", q, l, err)
	}
	for _, bad := range []string{"", "12", "a/1", "1/b", "-1/5"} {
		if _, _, err := parseSigQ(bad); err == nil {
			t.Errorf("parseSigQ(%q) accepted", bad)
		}
	}
}

func TestRenderPlainRow(t *testing.T) {
	r := newRow("queued", "", 0)
	r.plain = true
	r.set("tini", 100)
	r.set("pidone", 2000)
	got := renderTable([]*row{r}, []string{"tini", "pidone"}, []string{"tini"})
	want := "| queued |  | 100 | 2,000 | — |\n"
	if !strings.HasSuffix(got, want) {
		t.Errorf("plain row:\n%s\nwant the last line:\n%s", got, want)
	}
}

func TestSupervisorConfigs(t *testing.T) {
	dir := t.TempDir()
	argv, err := procfileConfig("/bin/pidone", dir, "/x/bench", 3)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(argv, " ") != "/bin/pidone --procfile "+filepath.Join(dir, "Procfile") {
		t.Errorf("pidone argv = %q", argv)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "Procfile"))
	if want := "p01: '/x/bench' __helper up\np02: '/x/bench' __helper up\np03: '/x/bench' __helper up\n"; string(b) != want {
		t.Errorf("Procfile:\n%s\nwant:\n%s", b, want)
	}

	argv, err = supervisordConfig("/usr/bin/supervisord", dir, "/x/bench", 2)
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "supervisord.conf")
	if strings.Join(argv, " ") != "/usr/bin/supervisord -n -c "+conf {
		t.Errorf("supervisord argv = %q", argv)
	}
	b, _ = os.ReadFile(conf)
	if n := strings.Count(string(b), "\n[program:p0"); n != 2 || !strings.Contains(string(b), "command=/x/bench __helper up\n") ||
		!strings.HasPrefix(string(b), "[supervisord]\nnodaemon=true\n") {
		t.Errorf("supervisord.conf (%d programs):\n%s", n, b)
	}

	argv, err = s6Config("/usr/bin/s6-svscan", dir, "/x/bench", 2)
	if err != nil {
		t.Fatal(err)
	}
	scan := filepath.Join(dir, "scan")
	if strings.Join(argv, " ") != "/usr/bin/s6-svscan "+scan {
		t.Errorf("s6 argv = %q", argv)
	}
	for _, svc := range []string{"p01", "p02"} {
		if to, err := os.Readlink(filepath.Join(scan, svc, "run")); err != nil || to != "/x/bench" {
			t.Errorf("%s/run -> %q, %v", svc, to, err)
		}
	}
	if _, err := os.Stat(filepath.Join(scan, "p03")); err == nil {
		t.Error("s6Config made a third service")
	}
}

func TestServicesProcfile(t *testing.T) {
	// Every kind of check and option the row is meant to exercise.
	text := string(servicesProcfile)
	for _, want := range []string{"PIDONE_READY=tcp:", "PIDONE_READY=file:", "PIDONE_READY=log:", "PIDONE_READY=\"exec:",
		"PIDONE_READY=notify", "PIDONE_AFTER=", "PIDONE_ONESHOT=1", "__helper up"} {
		if !strings.Contains(text, want) {
			t.Errorf("services.Procfile has no %s", want)
		}
	}
}

func TestFreePort(t *testing.T) {
	p, err := freePort()
	if err != nil || p < 1 || p > 65535 {
		t.Errorf("freePort = %d, %v", p, err)
	}
}
