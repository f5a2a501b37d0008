package procfile

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The differential test runs random commands through Split and through
// dash, and holds Split to what dash does. More commands, or another
// seed, for a longer hunt:
//
//	go test -run Dash -dash.n 200000 -dash.seed 7
var (
	dashN    = flag.Int("dash.n", 4000, "commands the differential test against dash generates")
	dashSeed = flag.Uint64("dash.seed", 1, "seed of the differential test's generator")
)

// dashEnv is the environment of both sides. X and Y are never set; the
// names assigned by the generated commands (AA1, AA2, PP) are not either.
var dashEnv = map[string]string{
	"PATH": "/usr/bin:/bin",
	"HOME": "/home/u",
	"E":    "",
	"V":    " a  b ",
	"W":    "w",
	"G":    "a*",
	"Q":    `it's "q"`,
	"B":    `back\slash \*`,
	"T":    "tab\there",
	"NL":   "l1\nl2",
	"C":    "x:y",
	"S":    "]",
}

// dashCase is one generated command. Split is given the line; dash is
// given the line with "d " in front of the first command word, d being a
// shell function that prints its arguments and the values of the names
// the line assigns.
type dashCase struct {
	line string
	// cmdStart is where the command words start, after the assignments;
	// names are what those assign, in order. Both come from Split's own
	// lexer, since a generated piece may end a word or a ${...} earlier
	// than the generator meant.
	cmdStart int
	names    []string
	cmd      Command
	err      error
}

// dashLine is the command as dash runs it, from offset from of the line.
func (c dashCase) dashLine(from int) string {
	return c.line[from:c.cmdStart] + "d " + c.line[c.cmdStart:]
}

// dumper defines d in a subshell, for one case.
func (c dashCase) dumper() string {
	var b strings.Builder
	b.WriteString(`d() { printf '%s\0' "$#" "$@"`)
	for _, n := range c.names {
		fmt.Fprintf(&b, ` "${%s-<unset>}"`, n)
	}
	b.WriteString("; }; ")
	return b.String()
}

func TestDifferentialDash(t *testing.T) {
	dash, err := exec.LookPath("dash")
	if err != nil {
		t.Skip("dash is not installed: apt-get install dash")
	}
	dir := t.TempDir()
	// Files for a pattern to match: a pattern that Split missed would
	// expand here and show up as a difference.
	for _, f := range []string{"a", "b", "ab", "a b", "x.c", "w", "]", "-", "a-b", "l1", "q"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	get := func(k string) (string, bool) { v, ok := dashEnv[k]; return v, ok }
	cfg := Config{Getenv: get, HaveShell: func() bool { return true }}

	r := rand.New(rand.NewPCG(*dashSeed, 0))
	var direct, shell, failed []dashCase
	for range *dashN {
		c := dashCase{line: generate(r)}
		if l, err := lex(c.line); err == nil {
			c.cmdStart = l.cmdStart
			for _, a := range l.assigns {
				c.names = append(c.names, a.name)
			}
		}
		c.cmd, c.err = Split(c.line, cfg)
		switch {
		case c.err != nil:
			failed = append(failed, c)
		case c.cmd.Shell:
			shell = append(shell, c)
		default:
			direct = append(direct, c)
		}
	}
	t.Logf("%d commands: %d run directly, %d through sh, %d refused", *dashN, len(direct), len(shell), len(failed))
	if len(direct) < *dashN/5 || len(shell) < *dashN/5 {
		t.Errorf("the generator is lopsided: %d direct, %d shell", len(direct), len(shell))
	}

	env := make([]string, 0, len(dashEnv))
	for k, v := range dashEnv {
		env = append(env, k+"="+v)
	}
	run := func(script string) (stdout, stderr []byte, err error) {
		cmd := exec.Command(dash)
		cmd.Dir, cmd.Env = dir, env
		cmd.Stdin = strings.NewReader(script)
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		err = cmd.Run()
		return o.Bytes(), e.Bytes(), err
	}

	// Commands run directly: dash must give the same words and values.
	checkBatches(t, direct, run, func(c dashCase) string {
		return c.dumper() + c.dashLine(0)
	}, func(c dashCase) []string {
		want := []string{fmt.Sprint(len(c.cmd.Argv))}
		want = append(want, c.cmd.Argv...)
		values := overlay(func(string) (string, bool) { return "", false }, envMap(c.cmd.Env))
		for _, n := range c.names {
			v, ok := values(n)
			if !ok {
				v = "<unset>"
			}
			want = append(want, v)
		}
		return want
	})

	// Commands through sh: running Text with Env in the environment must
	// come to what dash makes of the whole line. A Text that reads a
	// variable the line assigns is left out: there the two differ by
	// design (see the package documentation).
	var comparable []dashCase
	for _, c := range shell {
		if !strings.HasSuffix(strings.TrimRight(c.line, " \t"), c.cmd.Text) {
			t.Errorf("%q: Text %q is not the end of the line", c.line, c.cmd.Text)
			continue
		}
		from := len(strings.TrimRight(c.line, " \t")) - len(c.cmd.Text)
		if from > c.cmdStart {
			t.Errorf("%q: Text %q starts after the first word", c.line, c.cmd.Text)
			continue
		}
		reads := false
		for _, kv := range c.cmd.Env {
			name, _, _ := strings.Cut(kv, "=")
			reads = reads || strings.Contains(c.cmd.Text, name)
		}
		// ${X:=word} in the command assigns X before sh expands the
		// assignments, which pidone has expanded already.
		if !reads && !strings.Contains(c.cmd.Text, ":=") {
			comparable = append(comparable, c)
		}
	}
	checkBatches(t, comparable, run, func(c dashCase) string {
		var exports strings.Builder
		for _, kv := range c.cmd.Env {
			name, value, _ := strings.Cut(kv, "=")
			fmt.Fprintf(&exports, "export %s=%s; ", name, shellQuote(value))
		}
		return c.dumper() + exports.String() + c.dashLine(len(strings.TrimRight(c.line, " \t"))-len(c.cmd.Text))
	}, nil)

	// Commands refused: dash must fail on them too, with the same message
	// for ${X:?message}. Refusals that inserting d changes (an empty
	// command, an empty program name, assignments alone) and the trailing
	// backslash, which pidone refuses by design, are not compared.
	compared := 0
	for _, c := range failed {
		msg := c.err.(*Error).Msg
		// A ${X:=word} in the command, left to sh, assigns X before sh
		// expands the assignments; pidone has expanded them already.
		if strings.Contains(msg, "empty") || strings.Contains(msg, "no command") || strings.Contains(msg, "trailing backslash") ||
			strings.Contains(c.line, ":=") {
			continue
		}
		if compared++; compared > 300 {
			break
		}
		out, stderr, err := run(c.dumper() + c.dashLine(0) + "\n")
		if err == nil {
			t.Errorf("%q: Split refuses it (%s), dash runs it: %q", c.line, msg, out)
			continue
		}
		// When the words need a shell, pidone does not expand them, so a
		// failing assignment is all it can report, while dash reports a
		// failing word first.
		if !strings.HasPrefix(msg, "unterminated") && wordsExpanded(c.line, get) && !bytes.Contains(stderr, []byte(msg)) {
			t.Errorf("%q: Split says %q, dash %q", c.line, msg, stderr)
		}
	}
}

// checkBatches runs the cases through dash a few hundred at a time, each
// in a subshell after a marker. want gives the record a case must print;
// nil want compares each case with the same case run as dashLine(0).
func checkBatches(t *testing.T, cases []dashCase, run func(string) ([]byte, []byte, error),
	script func(dashCase) string, want func(dashCase) []string) {
	t.Helper()
	const batch = 400
	for start := 0; start < len(cases); start += batch {
		part := cases[start:min(start+batch, len(cases))]
		var b strings.Builder
		// eval keeps a case that dash cannot parse from taking the
		// cases after it along; wait keeps a background job's output
		// within its case.
		for i, c := range part {
			fmt.Fprintf(&b, "printf '\\001R%d\\0'\n( eval %s; wait )\n", i, shellQuote(script(c)))
			if want == nil {
				fmt.Fprintf(&b, "printf '\\001S%d\\0'\n( eval %s; wait )\n", i, shellQuote(c.dumper()+c.dashLine(0)))
			}
		}
		out, stderr, _ := run(b.String())
		if dump := os.Getenv("PROCFILE_DASH_DUMP"); dump != "" {
			os.WriteFile(fmt.Sprintf("%s.%d.sh", dump, start), []byte(b.String()), 0o600)
			os.WriteFile(fmt.Sprintf("%s.%d.out", dump, start), out, 0o600)
			os.WriteFile(fmt.Sprintf("%s.%d.err", dump, start), stderr, 0o600)
		}
		out = bytes.TrimSuffix(out, []byte{0})
		records := map[string][]string{}
		var cur string
		for _, tok := range strings.Split(string(out), "\x00") {
			if strings.HasPrefix(tok, "\x01") {
				cur = tok[1:]
				records[cur] = []string{}
				continue
			}
			records[cur] = append(records[cur], tok)
		}
		errors := 0
		for i, c := range part {
			got, ok := records[fmt.Sprintf("R%d", i)]
			var w []string
			if want != nil {
				w = want(c)
			} else {
				w = records[fmt.Sprintf("S%d", i)]
			}
			if !ok || !reflect.DeepEqual(got, w) {
				if want == nil { // got is Text through dash, w the whole line
					got, w = w, got
				}
				alone, aloneErr, _ := run("( eval " + shellQuote(script(c)) + "; wait )\n")
				t.Errorf("%q (%s):\n dash gives  %q\n Split gives %q\n alone, dash prints %q, %q", c.line, describe(c.cmd), got, w, alone, aloneErr)
				if errors++; errors > 10 {
					t.Fatalf("too many differences; dash said: %.2000s", stderr)
				}
			}
		}
	}
}

func describe(c Command) string {
	if c.Shell {
		return fmt.Sprintf("through sh for %s: Text %q, Env %q", c.Why, c.Text, c.Env)
	}
	return fmt.Sprintf("directly, Env %q", c.Env)
}

// generate makes a random command from pieces that exercise quoting,
// expansion, assignments and what needs a shell, weighted so that many
// commands are run directly and many need sh for one reason.
func generate(r *rand.Rand) string {
	g := gen{r: r}
	var b strings.Builder
	for range r.IntN(4) {
		b.WriteString(g.pick("AA1", "AA2", "PP") + "=" + g.word(wordAssign, 2) + g.blanks())
	}
	b.WriteString(g.word(wordPlain, 2))
	for range r.IntN(4) {
		b.WriteString(g.blanks() + g.word(wordPlain, 2))
	}
	if r.IntN(10) == 0 {
		b.WriteString(g.blanks())
	}
	return b.String()
}

// wordsExpanded reports whether Split expands the command words of line
// itself (a simple command, even when sh runs it), so that a failing ${X:?} among them is reported before one in
// the assignments, as dash does.
func wordsExpanded(line string, get lookupFunc) bool {
	l, err := lex(line)
	if err != nil {
		return false
	}
	_, _, why, err := handled(line, l, true)
	return err == nil && why == ""
}

type gen struct{ r *rand.Rand }

type wordKind int

const (
	wordPlain   wordKind = iota // a word of the command
	wordAssign                  // the value of an assignment
	wordBrace                   // the word of ${X-word} outside double quotes
	wordBraceDq                 // the same inside double quotes
)

func (g gen) pick(s ...string) string { return s[g.r.IntN(len(s))] }

func (g gen) blanks() string { return g.pick(" ", " ", "  ", "\t") }

// rare is true about once in n.
func (g gen) rare(n int) bool { return g.r.IntN(n) == 0 }

func (g gen) word(kind wordKind, depth int) string {
	var b strings.Builder
	for range 1 + g.r.IntN(3) {
		b.WriteString(g.piece(kind, depth))
	}
	return b.String()
}

func (g gen) name() string {
	return g.pick("HOME", "E", "V", "W", "G", "Q", "B", "T", "NL", "C", "S", "X", "Y", "AA1", "PP")
}

func (g gen) param(kind wordKind, depth int) string {
	if depth <= 0 || g.rare(3) {
		if g.rare(2) {
			return "$" + g.name()
		}
		return "${" + g.name() + "}"
	}
	op := g.pick("-", ":-", "+", ":+", "?", ":?", "-", ":-")
	inner := wordBrace
	if kind == wordBraceDq {
		inner = wordBraceDq
	}
	w := ""
	if !g.rare(6) {
		w = g.word(inner, depth-1)
	}
	return "${" + g.name() + op + w + "}"
}

func (g gen) piece(kind wordKind, depth int) string {
	if kind == wordBraceDq {
		return g.dqPiece(true, depth)
	}
	switch n := g.r.IntN(100); {
	case n < 30:
		lit := g.pick("a", "b", "w", "x-y", "=", ":", ",", "%", "+", "@", "é", "{", "]", "!", "/", ".c", "a=b")
		if kind == wordBrace { // where operators and blanks are literal
			lit = g.pick(lit, lit, " ", "|", ";", "&", "<", ">", "(", ")", "#", ":")
		}
		if kind == wordAssign {
			lit = g.pick(lit, ":")
		}
		return lit
	case n < 33:
		return g.pick("~", "*", "?", "[a]", "[", "~/x", "#")
	case n < 44:
		return `\` + g.pick("a", " ", "$", `"`, "'", `\`, "|", "}", "*", "~", "é", "#")
	case n < 54:
		return "'" + g.pick("", "a b", `"`, "$W", `\`, "|;&", "}", "*", "\n", "~") + "'"
	case n < 72:
		var b strings.Builder
		b.WriteByte('"')
		for range g.r.IntN(4) {
			b.WriteString(g.dqPiece(kind == wordBrace, depth))
		}
		b.WriteByte('"')
		return b.String()
	case n < 98:
		return g.param(kind, depth)
	}
	// What only a shell runs; each is comparable between the two runs.
	return g.pick("$(echo m)", "`echo n`", "$1", "$#", "${#V}", "${V%a}", "${X:=z}", "$'x'", `$"x"`, "$((1+2))", "${V#*a}")
}

// dqPiece is a piece inside double quotes; inBrace is true inside the
// word of a ${...}, where a backslash escapes '}' too and a quote nests.
func (g gen) dqPiece(inBrace bool, depth int) string {
	switch n := g.r.IntN(100); {
	case n < 35:
		return g.pick("a", " ", "'", "*", "~", "|", ";", "#", "é", "\t", "$", "}", "{")
	case n < 50:
		return `\` + g.pick("$", `"`, `\`, "a", "}", "'", "`")
	case n < 85:
		return g.param(wordBraceDq, depth)
	case n < 92 && inBrace:
		return `"` + g.dqPiece(true, depth-1) + `"`
	}
	return g.pick("$(echo m)", "`echo n`", "$1", "${#V}")
}
