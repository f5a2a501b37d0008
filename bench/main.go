// Command bench measures pidone against the container inits it replaces
// (tini, dumb-init, catatonit) on the same work, in one run, and prints a
// Markdown report: start overhead, binary size, memory, idle cost, orphan
// reaping, signal forwarding latency, a SIGTERM after a flood of real-time
// signals, stop latency; then pidone --procfile against the supervisors it
// replaces (supervisord, s6-svscan) on 50 processes, pidone idle with
// readiness-checked services, and the throughput of its prefixed output.
//
//	go run ./bench -out bench/results.md           # builds pidone itself
//	go run ./bench -pidone /tmp/pidone -quick      # a smoke run of a few seconds
//
// It must run as root: every init runs as PID 1 of a new PID namespace.
// It installs nothing; a peer that is not installed is skipped with a note.
// See bench/README.md.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == helperArg {
		os.Exit(helperMain(os.Args[2:]))
	}
	// s6-supervise runs a service's ./run without arguments: in the
	// multi-process measurement that is a link to this binary.
	if filepath.Base(os.Args[0]) == "run" {
		os.Exit(helperMain([]string{"up"}))
	}
	os.Exit(run())
}

func run() int {
	var (
		pidonePath = flag.String("pidone", "", "pidone binary to measure (default: build it from this repository into a temporary directory)")
		out        = flag.String("out", "", "also write the report to this file")
		quick      = flag.Bool("quick", false, "smoke run of a few seconds: few repetitions, 3s idle period, small storms")
		startRuns  = flag.Int("start-runs", 200, "runs of INIT -- true per init")
		memRuns    = flag.Int("mem-runs", 5, "memory readings per init")
		idle       = flag.Duration("idle", 30*time.Second, "idle period for context switches (all inits at once)")
		orphans    = flag.Int("orphans", 5000, "orphans per reaping storm")
		storms     = flag.Int("storms", 5, "reaping storms of each kind per init")
		sigs       = flag.Int("signals", 500, "signals per init for the forwarding latency")
		stopRuns   = flag.Int("stop-runs", 40, "stop-latency runs per init")
		genMB      = flag.Int("gen-mb", 200, "MB the Procfile generator writes")
		genRuns    = flag.Int("gen-runs", 3, "throughput runs (each: cat, then pidone)")
		floodSigs  = flag.Int("flood", 300000, "real-time signals per flood")
		floodRuns  = flag.Int("flood-runs", 3, "floods per init")
		procs      = flag.Int("procs", 50, "processes per supervisor in the multi-process measurement")
		multiRuns  = flag.Int("multi-runs", 5, "start-and-stop runs per supervisor")
		only       = flag.String("only", "", "comma-separated measurements to run ("+strings.Join(measurements, ",")+"); default all")
	)
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "bench: unexpected arguments %q\n", flag.Args())
		return 2
	}
	for name, v := range map[string]int{"start-runs": *startRuns, "mem-runs": *memRuns, "orphans": *orphans,
		"storms": *storms, "signals": *sigs, "stop-runs": *stopRuns, "gen-mb": *genMB, "gen-runs": *genRuns,
		"flood": *floodSigs, "flood-runs": *floodRuns, "procs": *procs, "multi-runs": *multiRuns} {
		if v < 1 {
			fmt.Fprintf(os.Stderr, "bench: -%s must be at least 1\n", name)
			return 2
		}
	}
	want, err := pick(*only)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 2
	}
	if *idle <= 0 {
		fmt.Fprintln(os.Stderr, "bench: -idle must be positive")
		return 2
	}
	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
	stormSettle := 300 * time.Millisecond
	floodWait := 30 * time.Second
	if *quick {
		// Quick sizes, unless a flag says otherwise.
		quickly := func(name string, p *int, v int) {
			if !set[name] {
				*p = v
			}
		}
		quickly("start-runs", startRuns, 20)
		quickly("mem-runs", memRuns, 1)
		quickly("orphans", orphans, 500)
		quickly("storms", storms, 1)
		quickly("signals", sigs, 50)
		quickly("stop-runs", stopRuns, 5)
		quickly("gen-mb", genMB, 10)
		quickly("gen-runs", genRuns, 1)
		quickly("flood", floodSigs, 20000)
		quickly("flood-runs", floodRuns, 1)
		quickly("multi-runs", multiRuns, 1)
		if !set["idle"] {
			*idle = 3 * time.Second
		}
		stormSettle = 50 * time.Millisecond
		floodWait = 10 * time.Second
	}
	began, load := time.Now(), loadAvg()
	progress := func(format string, a ...any) {
		fmt.Fprintf(os.Stderr, "bench [%5.1fs] %s\n", time.Since(began).Seconds(), fmt.Sprintf(format, a...))
	}

	if os.Geteuid() != 0 {
		fmt.Fprintln(os.Stderr, "bench: must run as root: every init runs as PID 1 of a new PID namespace (CLONE_NEWPID)")
		return 1
	}
	tmp, err := os.MkdirTemp("", "pidone-bench-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	defer os.RemoveAll(tmp)

	self, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	cfg := config{
		startRuns: *startRuns, memRuns: *memRuns, settle: 500 * time.Millisecond, idle: *idle,
		orphans: *orphans, stormRuns: *storms, sigSamples: *sigs, stopRuns: *stopRuns,
		genBytes: int64(*genMB) * 1e6, genRuns: *genRuns, self: self, tmp: tmp,
		progress: progress, sampleJitter: 2 * time.Millisecond,
		stormSettle: stormSettle, pollEvery: 250 * time.Microsecond,
		floodSignals: *floodSigs, floodRuns: *floodRuns, floodWait: floodWait,
		multiProcs: *procs, multiRuns: *multiRuns, multiWait: 30 * time.Second,
	}
	for name, p := range map[string]*string{"true": &cfg.trueBin, "sleep": &cfg.sleepBin, "cat": &cfg.catBin} {
		path, ok := findBinary(name)
		if !ok {
			fmt.Fprintf(os.Stderr, "bench: %s not found\n", name)
			return 1
		}
		*p = path
	}

	var notes []string
	if *pidonePath == "" {
		progress("building pidone")
		p, err := buildPidone(tmp)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			return 1
		}
		*pidonePath = p
		notes = append(notes, "pidone: built by the bench from the working tree (CGO_ENABLED=0 go build -trimpath -ldflags='-s -w')")
	} else if *pidonePath, err = filepath.Abs(*pidonePath); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	if _, err := os.Stat(*pidonePath); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	peers, missing := discoverPeers()
	notes = append(notes, missing...)
	pidone := initSpec{name: "pidone", path: *pidonePath, prefix: []string{"--"}}
	inits := append(append([]initSpec{}, peers...), pidone)
	// The Go floor joins the measurements that every Go init pays for;
	// it cannot take part in the others (it reaps only its own child and
	// forwards nothing).
	withFloor := inits
	if floorPath, err := buildFloor(tmp); err != nil {
		notes = append(notes, "go-floor: not built: "+err.Error())
	} else {
		withFloor = append(append([]initSpec{}, inits...), initSpec{name: "go-floor", path: floorPath, prefix: []string{"--"}})
		notes = append(notes, "go-floor: bench/gofloor, the least a Go init does (ForkExec, a blocking wait4, exit), built like pidone; measured where it can take part, beside the inits, and never a peer")
	}
	if sigPath, err := buildFloorSignals(tmp); err != nil {
		notes = append(notes, "go-floor+signals: not built: "+err.Error())
	} else {
		withFloor = append(withFloor, initSpec{name: "go-floor+signals", path: sigPath, prefix: []string{"--"}})
		notes = append(notes, "go-floor+signals: bench/gofloor built with -tags signals: go-floor that first registers with os/signal every signal pidone handles (1–64 but KILL, STOP, URG, PROF and 32–34); the Go runtime's share of pidone's signal handling, measured where go-floor is, never a peer")
	}

	var rows []*row
	add := func(r result) {
		rows = append(rows, r.rows...)
		notes = append(notes, r.notes...)
	}
	measure := func(name string, f func() result) {
		if want[name] {
			add(f())
		}
	}
	measure("start", func() result {
		progress("start overhead: %d runs per init", cfg.startRuns)
		return measureStart(cfg, withFloor)
	})
	measure("size", func() result { return measureSize(withFloor) })
	measure("memory", func() result {
		progress("memory: %d runs", cfg.memRuns)
		return measureMemory(cfg, withFloor)
	})
	measure("idle", func() result { return measureIdle(cfg, withFloor) })
	measure("reaping", func() result {
		progress("reaping: %d storms of each kind of %d orphans per init", cfg.stormRuns, cfg.orphans)
		return measureReap(cfg, inits)
	})
	measure("signal", func() result {
		progress("signal forwarding: %d signals per init", cfg.sigSamples)
		return measureSignal(cfg, inits)
	})
	measure("flood", func() result {
		progress("signal flood: %d floods of %d signals per init", cfg.floodRuns, cfg.floodSignals)
		return measureFlood(cfg, inits)
	})
	measure("stop", func() result {
		progress("stop latency: %d runs per init", cfg.stopRuns)
		return measureStop(cfg, withFloor)
	})
	var multiRows []*row
	var multiNotes []string
	sups, supNotes := discoverSupervisors(*pidonePath)
	for _, m := range []struct {
		name string
		f    func() result
	}{
		{"multi", func() result {
			progress("multi-process: %d processes, %d runs per supervisor", cfg.multiProcs, cfg.multiRuns)
			return measureMulti(cfg, sups)
		}},
		{"services", func() result {
			progress("idle with services")
			return measureServices(cfg, *pidonePath)
		}},
	} {
		if want[m.name] {
			r := m.f()
			multiRows = append(multiRows, r.rows...)
			multiNotes = append(multiNotes, r.notes...)
		}
	}
	if want["multi"] {
		multiNotes = append(multiNotes, supNotes...)
	}
	tput := "not measured (-only)\n"
	if want["throughput"] {
		progress("prefixed output throughput: %d MB, %d runs", *genMB, cfg.genRuns)
		var tnotes []string
		tput, tnotes, err = measureThroughput(cfg, pidone)
		if err != nil {
			tput = "n/a: " + err.Error() + "\n"
		}
		notes = append(notes, tnotes...)
	}
	progress("done")

	names := make([]string, len(withFloor))
	var peerNames []string
	for i, in := range withFloor {
		names[i] = in.name
		if in.peer {
			peerNames = append(peerNames, in.name)
		}
	}
	var b strings.Builder
	b.WriteString("# pidone against tini, dumb-init and catatonit, and supervisord and s6\n\n")
	for _, m := range machine(load) {
		fmt.Fprintf(&b, "- %s\n", m)
	}
	fmt.Fprintf(&b, "- command: `%s`\n", commandLine())
	fmt.Fprintf(&b, "- run time: %.0f s\n", time.Since(began).Seconds())
	b.WriteString("- inits, each run as PID 1 of a new PID namespace:\n")
	for _, in := range withFloor {
		v := version(in.path)
		if v == "" {
			v = "version unknown"
		}
		fmt.Fprintf(&b, "  - %s: `%s` (%s)\n", in.name, strings.Join(in.argv("CMD"), " "), v)
	}
	b.WriteString("\nEach cell: the median, and in parentheses its ratio to the best peer's (lower is better for every row).\n\n")
	b.WriteString(renderTable(rows, names, peerNames))
	if errs := rowErrors(rows, names); len(errs) > 0 {
		b.WriteString("\n¹ not measured:\n\n")
		for _, e := range errs {
			fmt.Fprintf(&b, "- %s\n", e)
		}
	}
	fmt.Fprintf(&b, "\n## Multi-process: %d processes under pidone --procfile, supervisord and s6-svscan\n\n", cfg.multiProcs)
	if len(multiRows) == 0 {
		b.WriteString("not measured (-only)\n")
	} else {
		var supNames, supPeers []string
		for _, s := range sups {
			supNames = append(supNames, s.name)
			if s.peer {
				supPeers = append(supPeers, s.name)
			}
		}
		b.WriteString("Each supervisor is PID 1 of a new PID namespace. Each cell: the median, and its ratio to the best peer's (supervisord, s6-svscan).\n\n")
		b.WriteString(renderTable(multiRows, supNames, supPeers))
		if errs := rowErrors(multiRows, supNames); len(errs) > 0 {
			b.WriteString("\n¹ not measured:\n\n")
			for _, e := range errs {
				fmt.Fprintf(&b, "- %s\n", e)
			}
		}
	}
	notes = append(notes, multiNotes...)
	b.WriteString("\n## pidone --procfile: prefixed output throughput\n\n")
	b.WriteString(tput)
	b.WriteString("\n## How each figure was measured\n\n")
	for _, n := range notes {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	report := b.String()
	fmt.Print(report)
	if *out != "" {
		if err := os.WriteFile(*out, []byte(report), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			return 1
		}
	}
	return 0
}

// commandLine is how the bench was invoked, as `go run ./bench ARGS` when
// go run built it.
func commandLine() string {
	args := strings.Join(os.Args[1:], " ")
	if strings.Contains(os.Args[0], "go-build") {
		return strings.TrimSpace("go run ./bench " + args)
	}
	return strings.TrimSpace(os.Args[0] + " " + args)
}

// measurements are the names -only accepts, in the order they run.
var measurements = []string{"start", "size", "memory", "idle", "reaping", "signal", "flood", "stop", "multi", "services", "throughput"}

// pick turns -only's list into a set; empty means every measurement.
func pick(list string) (map[string]bool, error) {
	want := map[string]bool{}
	if list == "" {
		for _, m := range measurements {
			want[m] = true
		}
		return want, nil
	}
	for _, m := range strings.Split(list, ",") {
		if !slices.Contains(measurements, m) {
			return nil, fmt.Errorf("-only: unknown measurement %q (want some of %s)", m, strings.Join(measurements, ","))
		}
		want[m] = true
	}
	return want, nil
}
