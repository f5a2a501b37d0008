package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// writeProcfile writes a Procfile from lines and returns its path.
func writeProcfile(t *testing.T, lines ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "Procfile")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// q quotes s for a Procfile line.
func q(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// hq is the Procfile words that run the named helper.
func hq(name string, args ...string) string {
	words := []string{q(selfBin), name}
	for _, a := range args {
		words = append(words, q(a))
	}
	return strings.Join(words, " ")
}

// linesOf returns the lines of out that start with "name | " (with the
// padding), without that prefix.
func linesOf(out, prefix string) []string {
	var got []string
	for _, line := range strings.SplitAfter(out, "\n") {
		if rest, ok := strings.CutPrefix(line, prefix); ok {
			got = append(got, rest)
		}
	}
	return got
}

func TestProcfilePrefixesAndPads(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		pf := writeProcfile(t,
			"# two processes",
			"",
			`a: sh -c 'echo out-a; echo err-a >&2'`,
			`longname: sh -c 'echo out-long; echo err-long >&2'`,
		)
		// on-failure: the first to finish does not stop the other before
		// it has written; when both have finished with 0, pidone exits 0.
		r := start(t, m, []string{"--restart", "on-failure", "--procfile", pf})
		if got := r.wait(10 * time.Second); got != 0 {
			t.Fatalf("status %d; stderr %s", got, r.stderr.String())
		}
		out, errOut := r.stdout.String(), r.stderr.String()
		for _, want := range []string{"a        | out-a\n", "longname | out-long\n"} {
			if !strings.Contains(out, want) {
				t.Errorf("stdout %q lacks %q", out, want)
			}
		}
		for _, want := range []string{"a        | err-a\n", "longname | err-long\n"} {
			if !strings.Contains(errOut, want) {
				t.Errorf("stderr %q lacks %q", errOut, want)
			}
		}
		if strings.Contains(out, "err-") || strings.Contains(errOut, "out-") {
			t.Errorf("streams mixed: stdout %q stderr %q", out, errOut)
		}
	})
}

// The output of a process, prefixes stripped, is exactly what it wrote.
func TestProcfileOutputLossless(t *testing.T) {
	needRoot(t)
	const n = 50000 // 50,000 lines of 100 bytes: 5 MB
	pf := writeProcfile(t, "w: "+hq("lines", strconv.Itoa(n), "100", "last line without newline"))
	r := start(t, asPID1, []string{"--procfile", pf})
	if got := r.wait(30 * time.Second); got != 0 {
		t.Fatalf("status %d", got)
	}
	var want bytes.Buffer
	pad := strings.Repeat("x", 91)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&want, "%08d %s\n", i, pad)
	}
	want.WriteString("last line without newline\n")
	got := strings.Join(linesOf(r.stdout.String(), "w | "), "")
	if got != want.String() {
		t.Errorf("output differs: %d bytes, want %d", len(got), want.Len())
	}
}

// Two processes writing at full speed: no line of one tears a line of the
// other, and each one's lines are all there, in order.
func TestProcfileConcurrentWritersNoTornLines(t *testing.T) {
	needRoot(t)
	const n = 30000
	pf := writeProcfile(t,
		"a: "+hq("lines", strconv.Itoa(n), "100", ""),
		"b: "+hq("lines", strconv.Itoa(n), "100", ""),
	)
	// on-failure: a writer that finishes (0) does not stop the other.
	r := start(t, asPID1, []string{"--restart", "on-failure", "--procfile", pf})
	if got := r.wait(30 * time.Second); got != 0 {
		t.Fatalf("status %d", got)
	}
	line := regexp.MustCompile(`^[ab] \| (\d{8}) x{91}\n$`)
	next := map[string]int{}
	for _, l := range strings.SplitAfter(r.stdout.String(), "\n") {
		if l == "" {
			continue
		}
		m := line.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("torn or foreign line %.60q", l)
		}
		i, _ := strconv.Atoi(m[1])
		if i != next[l[:1]] {
			t.Fatalf("%s: line %d after %d", l[:1], i, next[l[:1]]-1)
		}
		next[l[:1]]++
	}
	if next["a"] != n || next["b"] != n {
		t.Errorf("lines: a %d, b %d, want %d each", next["a"], next["b"], n)
	}
}

// A writer killed mid-stream: what it wrote before is all there, in order,
// and pidone's status says it was killed.
func TestProcfileWriterKilledMidStream(t *testing.T) {
	needRoot(t)
	dir := t.TempDir()
	pf := writeProcfile(t, "w: "+hq("lines", "100000000", "100", ""))
	r := start(t, asPID1, []string{"--procfile", pf}, opts{dir: dir})
	waitFor(t, 10*time.Second, "a few MB of output", func() bool { return len(r.stdout.String()) > 3<<20 })
	for _, pid := range descendantsOf(r.pid()) {
		syscall.Kill(pid, syscall.SIGKILL)
	}
	if got := r.wait(10 * time.Second); got != 137 {
		t.Errorf("status %d, want 137", got)
	}
	lines := linesOf(r.stdout.String(), "w | ")
	pad := strings.Repeat("x", 91)
	for i, l := range lines {
		want := fmt.Sprintf("%08d %s\n", i, pad)
		if l != want && !(i == len(lines)-1 && strings.HasPrefix(want, strings.TrimSuffix(l, "\n"))) {
			t.Fatalf("line %d is %.40q, want %.40q", i, l, want)
		}
	}
}

func TestProcfileLongLinesAndOddBytes(t *testing.T) {
	long := strings.Repeat("y", 200000)
	script := `head -c 200000 /dev/zero | tr '\000' y; echo; printf 'bad\377\376utf8\n'; printf 'nul\000inside\n'`
	pf := writeProcfile(t, "p: sh -c "+q(script))
	r := start(t, asSubreaper, []string{"--procfile", pf})
	if got := r.wait(10 * time.Second); got != 0 {
		t.Fatalf("status %d", got)
	}
	lines := linesOf(r.stdout.String(), "p | ")
	if len(lines) < 5 {
		t.Fatalf("%d lines, want the long one split in pieces plus 2", len(lines))
	}
	var joined string
	for _, l := range lines[:len(lines)-2] {
		joined += strings.TrimSuffix(l, "\n")
	}
	if joined != long {
		t.Errorf("the pieces of the long line add up to %d bytes, want %d", len(joined), len(long))
	}
	if lines[len(lines)-2] != "bad\377\376utf8\n" || lines[len(lines)-1] != "nul\000inside\n" {
		t.Errorf("odd bytes changed: %q %q", lines[len(lines)-2], lines[len(lines)-1])
	}
}

// Everything a process wrote is out before pidone exits, also what a
// grandchild holding its pipe wrote after the process itself was gone (it
// ignores the stop signal it gets as a leftover, and finishes its work).
func TestProcfileOutputDrainedBeforeExit(t *testing.T) {
	// The process waits until the grandchild ignores TERM: exiting before
	// that let the leftover TERM kill it first (a flake seen in CI).
	ready := filepath.Join(t.TempDir(), "ready")
	pf := writeProcfile(t, "p: sh -c "+q(fmt.Sprintf(
		`sh -c 'trap "" TERM; : >%[1]s; sleep 0.3; echo late' & while [ ! -e %[1]s ]; do sleep 0.01; done; echo early`, ready)))
	r := start(t, asSubreaper, []string{"--procfile", pf})
	r.wait(10 * time.Second)
	if out := r.stdout.String(); out != "p | early\np | late\n" {
		t.Errorf("stdout %q", out)
	}
}

func TestProcfileFirstExitStopsOthers(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		dir := t.TempDir()
		recA, recB := filepath.Join(dir, "a"), filepath.Join(dir, "b")
		pf := writeProcfile(t,
			"a: "+hq("record", recA),
			"b: "+hq("record", recB),
			"c: sh -c "+q(fmt.Sprintf(`while [ ! -s %s ] || [ ! -s %s ]; do sleep 0.01; done; exit 3`, recA, recB)),
		)
		r := start(t, m, []string{"--procfile", pf})
		if got := r.wait(10 * time.Second); got != 3 {
			t.Errorf("status %d, want 3", got)
		}
		for _, rec := range []string{recA, recB} {
			if _, ok := readRecord(rec).first(syscall.SIGTERM); !ok {
				t.Errorf("%s never got the stop signal", filepath.Base(rec))
			}
		}
	})
}

func TestProcfileStatusAfterSignal(t *testing.T) {
	cases := []struct {
		name  string
		args  []string
		exitB string // b's status on TERM; "" dies of it
		want  int
	}{
		{"all exit 0", nil, "0", 0},
		{"one exits 1", nil, "1", 1},
		{"killed by TERM", nil, "", 143},
		{"success code", []string{"-e", "143"}, "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			recA, recB := filepath.Join(dir, "a"), filepath.Join(dir, "b")
			b := []string{recB}
			if c.exitB != "" {
				b = append(b, "-exit", c.exitB)
			}
			pf := writeProcfile(t, "a: "+hq("record", recA, "-exit", "0"), "b: "+hq("record", b...))
			r := start(t, asSubreaper, append(c.args, "--procfile", pf))
			waitReady(t, recA)
			waitReady(t, recB)
			r.signal(syscall.SIGTERM)
			if got := r.wait(10 * time.Second); got != c.want {
				t.Errorf("status %d, want %d", got, c.want)
			}
		})
	}
}

func TestProcfileRestartOnFailure(t *testing.T) {
	t.Run("alone", func(t *testing.T) {
		count := filepath.Join(t.TempDir(), "count")
		pf := writeProcfile(t, "flaky: "+hq("count", count, "1", "1", "0"))
		r := start(t, asSubreaper, []string{"--restart", "on-failure", "--procfile", pf})
		if got := r.wait(10 * time.Second); got != 0 {
			t.Errorf("status %d, want 0", got)
		}
		if b, _ := os.ReadFile(count); string(b) != "3" {
			t.Errorf("started %s times, want 3", b)
		}
	})
	t.Run("beside a long-running process", func(t *testing.T) {
		dir := t.TempDir()
		count, rec := filepath.Join(dir, "count"), filepath.Join(dir, "rec")
		pf := writeProcfile(t, "flaky: "+hq("count", count, "1", "1", "0"), "long: "+hq("record", rec))
		r := start(t, asSubreaper, []string{"--restart", "on-failure", "--procfile", pf})
		waitReady(t, rec)
		waitFor(t, 10*time.Second, "three runs", func() bool {
			b, _ := os.ReadFile(count)
			return string(b) == "3"
		})
		r.signal(syscall.SIGUSR1)
		waitSignal(t, rec, syscall.SIGUSR1, 5*time.Second)
		if r.exited() {
			t.Fatal("pidone exited while a process still ran")
		}
		r.signal(syscall.SIGTERM)
		if got := r.wait(10 * time.Second); got != 143 {
			t.Errorf("status %d, want 143", got)
		}
	})
}

// A process that exits at once is restarted with back-off: a handful of
// starts in 3 s, not hundreds; and none once the stop has begun.
func TestProcfileRestartBackoffAndStop(t *testing.T) {
	dir := t.TempDir()
	count, rec := filepath.Join(dir, "count"), filepath.Join(dir, "rec")
	pf := writeProcfile(t, "crash: "+hq("count", count, "1"), "long: "+hq("record", rec))
	r := start(t, asSubreaper, []string{"--restart", "always", "--procfile", pf})
	waitReady(t, rec)
	began := time.Now()
	waitFor(t, 10*time.Second, "4 starts", func() bool {
		b, _ := os.ReadFile(count)
		n, _ := strconv.Atoi(string(b))
		return n >= 4
	})
	// 0, 0.25, 0.75, 1.75 s: the fourth start comes after 1.75 s.
	if d := time.Since(began); d < 1500*time.Millisecond {
		t.Errorf("4 starts within %v: no back-off", d)
	}
	r.signal(syscall.SIGTERM)
	stopped, _ := os.ReadFile(count)
	if got := r.wait(10 * time.Second); got != 143 && got != 1 {
		t.Errorf("status %d", got)
	}
	// Asserting no restart: the next back-off (2 s) would have come by now
	// if the stop had not cancelled it.
	time.Sleep(2500 * time.Millisecond)
	if after, _ := os.ReadFile(count); string(after) != string(stopped) {
		t.Errorf("restarted during the stop: %s starts before TERM, %s after", stopped, after)
	}
}

func TestProcfileErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(body), 0o644)
		return p
	}
	marker := filepath.Join(dir, "marker")
	cases := []struct {
		name, file string
		want       int
		names      []string // the message must contain each
	}{
		{"missing", filepath.Join(dir, "nope"), 2, []string{"nope"}},
		{"empty", write("empty", ""), 2, []string{"empty"}},
		{"comments only", write("comments", "# nothing\n\n"), 2, []string{"comments"}},
		{"duplicate", write("dup", "a: true\na: true\n"), 2, []string{"dup", ":2"}},
		{"bad name", write("badname", "ok: true\nwe b: true\n"), 2, []string{"badname", ":2"}},
		{"no colon", write("nocolon", "web true\n"), 2, []string{"nocolon", ":1"}},
		{"unterminated quote", write("quote", "a: true\nb: echo 'oops\n"), 2, []string{"quote", ":2"}},
		{"unknown command", write("unknown", "m: touch "+marker+"\nx: no-such-command-pidone\n"), 127, []string{"no-such-command-pidone"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := start(t, asSubreaper, []string{"--procfile", c.file})
			if got := r.wait(10 * time.Second); got != c.want {
				t.Errorf("status %d, want %d", got, c.want)
			}
			msg := r.stderr.String()
			if strings.Count(msg, "\n") != 1 {
				t.Errorf("want one line, got %q", msg)
			}
			for _, n := range c.names {
				if !strings.Contains(msg, n) {
					t.Errorf("message %q does not name %q", msg, n)
				}
			}
		})
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("a process started although another command of the Procfile does not exist")
	}
}

func TestProcfileQuotingAndExpansion(t *testing.T) {
	pf := writeProcfile(t, `p: `+q(selfBin)+` argv "$X" '$X' ${Y}z "a b"\ c $UNSET "" $X`)
	r := start(t, asSubreaper, []string{"--procfile", pf}, opts{env: []string{"X=x y", "Y=w"}})
	if got := r.wait(10 * time.Second); got != 0 {
		t.Fatalf("status %d; stderr %s", got, r.stderr.String())
	}
	want := "p | x y\np | $X\np | wz\np | a b c\np | \np | x\np | y\n"
	if got := r.stdout.String(); got != want {
		t.Errorf("argv:\n%s\nwant:\n%s", got, want)
	}
}

func TestProcfileStdinIsDevNull(t *testing.T) {
	in, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	defer w.Close()
	w.Write([]byte("must not be read\n"))
	pf := writeProcfile(t, "c: cat")
	r := start(t, asSubreaper, []string{"--procfile", pf}, opts{stdin: in})
	if got := r.wait(10 * time.Second); got != 0 {
		t.Errorf("status %d", got)
	}
	if out := r.stdout.String(); out != "" {
		t.Errorf("cat read %q from stdin", out)
	}
}

func TestProcfileSignalsReachEveryProcess(t *testing.T) {
	eachMode(t, func(t *testing.T, m mode) {
		dir := t.TempDir()
		recs := []string{filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "c")}
		pf := writeProcfile(t, "a: "+hq("record", recs[0]), "b: "+hq("record", recs[1]), "c: "+hq("record", recs[2]))
		r := start(t, m, []string{"--procfile", pf})
		for _, rec := range recs {
			waitReady(t, rec)
		}
		r.signal(syscall.SIGUSR1)
		for _, rec := range recs {
			waitSignal(t, rec, syscall.SIGUSR1, 5*time.Second)
		}
		r.signal(syscall.SIGTERM)
		if got := r.wait(10 * time.Second); got != 143 {
			t.Errorf("status %d, want 143", got)
		}
	})
}

// A process writing at full speed and restarted: every run's lines are
// complete and in order.
func TestProcfileRestartedWriterLossless(t *testing.T) {
	dir := t.TempDir()
	count := filepath.Join(dir, "count")
	const n = 20000
	script := fmt.Sprintf(`%s count %s 1 1 0 ; s=$?; %s lines %d 100 ""; exit $s`, q(selfBin), q(count), q(selfBin), n)
	pf := writeProcfile(t, "w: sh -c "+q(script))
	r := start(t, asSubreaper, []string{"--restart", "on-failure", "--procfile", pf})
	if got := r.wait(20 * time.Second); got != 0 {
		t.Fatalf("status %d", got)
	}
	lines := linesOf(r.stdout.String(), "w | ")
	if len(lines) != 3*n {
		t.Fatalf("%d lines, want %d (3 runs of %d)", len(lines), 3*n, n)
	}
	pad := strings.Repeat("x", 91)
	for i, l := range lines {
		if want := fmt.Sprintf("%08d %s\n", i%n, pad); l != want {
			t.Fatalf("line %d is %.30q, want %.30q", i, l, want)
		}
	}
}
