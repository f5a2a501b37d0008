package procfile

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/sys/unix"
)

// brief is the part of an Entry that most tests look at.
type brief struct {
	Name string
	Line int
	Argv []string
}

func briefs(entries []Entry) []brief {
	var out []brief
	for _, e := range entries {
		out = append(out, brief{e.Name, e.Line, e.Argv})
	}
	return out
}

var parseTests = []struct {
	name string
	in   string
	want []brief
}{
	{
		"two lines and a comment",
		"# comment\nweb: nginx -g 'daemon off;'\nphp: php-fpm --nodaemonize\n",
		[]brief{
			{"web", 2, []string{"nginx", "-g", "daemon off;"}},
			{"php", 3, []string{"php-fpm", "--nodaemonize"}},
		},
	},
	{"no final newline", "web: a", []brief{{"web", 1, []string{"a"}}}},
	{
		"blank lines and indented comments",
		"\n   \n\t\n  # c: d\n\t#x\nweb: a\n\n",
		[]brief{{"web", 6, []string{"a"}}},
	},
	{
		"CRLF",
		"# c\r\nweb: a 'b c'\r\n\r\nphp: d\r\n",
		[]brief{{"web", 2, []string{"a", "b c"}}, {"php", 4, []string{"d"}}},
	},
	{"byte order mark", "\uFEFFweb: a\n", []brief{{"web", 1, []string{"a"}}}},
	{"whitespace around name and after colon", "  web \t:\t a\n", []brief{{"web", 1, []string{"a"}}}},
	{"no whitespace after colon", "web:a b\n", []brief{{"web", 1, []string{"a", "b"}}}},
	{
		"first colon splits",
		"web: a --listen=:80 http://x\n",
		[]brief{{"web", 1, []string{"a", "--listen=:80", "http://x"}}},
	},
	{
		"names with digits, underscores and dashes",
		"web_1: a\n2-b: b\n_: c\n-: d\nA-Z_09: e\n",
		[]brief{
			{"web_1", 1, []string{"a"}},
			{"2-b", 2, []string{"b"}},
			{"_", 3, []string{"c"}},
			{"-", 4, []string{"d"}},
			{"A-Z_09", 5, []string{"e"}},
		},
	},
	{
		"names differing only in case are distinct",
		"web: a\nWeb: b\n",
		[]brief{{"web", 1, []string{"a"}}, {"Web", 2, []string{"b"}}},
	},
	{
		"expansion",
		"web: $HOME/bin/x ${HOME} \"$X\" $X '$HOME' ${X:-8000}\n",
		[]brief{{"web", 1, []string{"/home/u/bin/x", "/home/u", "", "$HOME", "8000"}}},
	},
	{"trailing comment", "web: a b # not an argument\n", []brief{{"web", 1, []string{"a", "b"}}}},
	{"a carriage return that ends no line is kept", "web: a\rb\n", []brief{{"web", 1, []string{"a\rb"}}}},
	{
		"file order kept",
		"z: 1\na: 2\nm: 3\n",
		[]brief{{"z", 1, []string{"1"}}, {"a", 2, []string{"2"}}, {"m", 3, []string{"3"}}},
	},
	{
		"a shell line",
		"web: PORT=1 PIDONE_ONESHOT=1 exec a | b\n",
		[]brief{{"web", 1, []string{"/bin/sh", "-c", "PORT=1 exec a | b"}}},
	},
	{
		"AFTER may name a later line",
		"a: PIDONE_AFTER=b x\nb: y\n",
		[]brief{{"a", 1, []string{"x"}}, {"b", 2, []string{"y"}}},
	},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse("app.procfile", strings.NewReader(tt.in), testConfig)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(briefs(got), tt.want) {
				t.Errorf("Parse(%q) =\n%+v\nwant\n%+v", tt.in, briefs(got), tt.want)
			}
		})
	}
}

// TestParseSpecExample holds the example of the Procfile section of
// SPEC.md to every field.
func TestParseSpecExample(t *testing.T) {
	const in = `# comment
migrate: PIDONE_ONESHOT=1 python manage.py migrate --noinput
web:     PIDONE_AFTER=migrate PIDONE_READY=tcp:8000 gunicorn app.wsgi -b ":${PORT:-8000}"
nginx:   PIDONE_AFTER=web PIDONE_STOP_SIGNAL=QUIT PIDONE_SIGNALS=HUP,USR1 nginx -g 'daemon off;'
worker:  PIDONE_RESTART=on-failure PIDONE_DIR=/srv/jobs LOG_LEVEL=info ./worker
`
	env := map[string]string{} // PORT unset: the default applies
	cfg := Config{Getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }, HaveShell: func() bool { return false }}
	got, err := Parse("Procfile", strings.NewReader(in), cfg)
	if err != nil {
		t.Fatal(err)
	}
	signals := []unix.Signal{unix.SIGHUP, unix.SIGUSR1}
	want := []Entry{
		{
			Name: "migrate", Line: 2,
			Command: Command{Argv: []string{"python", "manage.py", "migrate", "--noinput"}, Text: "python manage.py migrate --noinput"},
			Options: Options{OneShot: true},
		},
		{
			Name: "web", Line: 3,
			Command: Command{Argv: []string{"gunicorn", "app.wsgi", "-b", ":8000"}, Text: `gunicorn app.wsgi -b ":${PORT:-8000}"`},
			Options: Options{After: []string{"migrate"}, Ready: &Check{Kind: CheckTCP, Raw: "tcp:8000", Port: 8000}},
		},
		{
			Name: "nginx", Line: 4,
			Command: Command{Argv: []string{"nginx", "-g", "daemon off;"}, Text: "nginx -g 'daemon off;'"},
			Options: Options{After: []string{"web"}, StopSignal: unix.SIGQUIT, Signals: &signals},
		},
		{
			Name: "worker", Line: 5,
			Command: Command{Argv: []string{"./worker"}, Text: "./worker", Env: []string{"LOG_LEVEL=info"}, Assigned: []string{"LOG_LEVEL=info"}},
			Options: Options{Restart: "on-failure", Dir: "/srv/jobs"},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%+v\nwant\n%+v", got, want)
	}
}

var parseErrorTests = []struct {
	in   string
	want string // the whole message
}{
	{"", "procfile app.procfile: no process declared"},
	{"\n\n", "procfile app.procfile: no process declared"},
	{"# only\n  # comments\n", "procfile app.procfile: no process declared"},
	{"\uFEFF", "procfile app.procfile: no process declared"},
	{"web: a\nweb: b\n", `procfile app.procfile:2: duplicate name "web", first declared on line 1`},
	{"web: a\nphp: b\n\n web : c\n", `procfile app.procfile:4: duplicate name "web", first declared on line 1`},
	{"web a\n", `procfile app.procfile:1: no ":" after a process name; a line is NAME: COMMAND`},
	{"web: a\n\nnginx -g x\n", `procfile app.procfile:3: no ":" after a process name; a line is NAME: COMMAND`},
	{": a\n", `procfile app.procfile:1: no process name before ":"`},
	{"  \t: a\n", `procfile app.procfile:1: no process name before ":"`},
	{"we b: a\n", `procfile app.procfile:1: bad process name "we b": use only ASCII letters, digits, "_" and "-"`},
	{"web.1: a\n", `procfile app.procfile:1: bad process name "web.1": use only ASCII letters, digits, "_" and "-"`},
	{"wéb: a\n", `procfile app.procfile:1: bad process name "wéb": use only ASCII letters, digits, "_" and "-"`},
	{"ウェブ: a\n", `procfile app.procfile:1: bad process name "ウェブ": use only ASCII letters, digits, "_" and "-"`},
	{"web/1: a\n", `procfile app.procfile:1: bad process name "web/1": use only ASCII letters, digits, "_" and "-"`},
	{"\"web\": a\n", `procfile app.procfile:1: bad process name "\"web\"": use only ASCII letters, digits, "_" and "-"`},
	{"web\x7f: a\n", `procfile app.procfile:1: bad process name "web\x7f": use only ASCII letters, digits, "_" and "-"`},
	{"web:\n", `procfile app.procfile:1: empty command for "web"`},
	{"web:   \t\r\n", `procfile app.procfile:1: empty command for "web"`},
	{"web: # todo\n", `procfile app.procfile:1: command for "web" is empty once comments and empty variables are removed`},
	{"web: $X $EMPTY\n", `procfile app.procfile:1: command for "web" is empty once comments and empty variables are removed`},
	{"web: \"$X\" a\n", `procfile app.procfile:1: command for "web" has an empty program name`},
	{"web: '' a\n", `procfile app.procfile:1: command for "web" has an empty program name`},
	{"web: PORT=80\n", `procfile app.procfile:1: command for "web" has assignments but no command to apply them to`},
	{"web: PIDONE_ONESHOT=1 # later\n", `procfile app.procfile:1: command for "web" has assignments but no command to apply them to`},
	{"# c\nweb: a 'b\n", `procfile app.procfile:2: unterminated single quote (')`},
	{"web: a \"b\nc\"\n", `procfile app.procfile:1: unterminated double quote (")`},
	{"web: a \\\n  b\n", `procfile app.procfile:1: trailing backslash: a command cannot continue on the next line`},
	{"web: a \\\r\n", `procfile app.procfile:1: trailing backslash: a command cannot continue on the next line`},
	{"\n\nweb: a ${HOME\n", `procfile app.procfile:3: unterminated ${: expected } to close it`},
	{"web: a $(b\n", `procfile app.procfile:1: unterminated $(: expected ) to close it`},
	{"web: a ${DATABASE_URL:?set it to the URL of the database}\n", `procfile app.procfile:1: DATABASE_URL: set it to the URL of the database`},
	// Outside double quotes, a quote in the word of ${...} is one, as in sh.
	{"web: a ${DATABASE_URL:?the database's URL}\n", `procfile app.procfile:1: unterminated single quote (')`},
	{"web: a \"${DATABASE_URL:?the database's URL}\"\n", `procfile app.procfile:1: DATABASE_URL: the database's URL`},
	{"web: a ${X?}\n", `procfile app.procfile:1: X: parameter not set`},
	{"web: a\nphp: b\x00\n", `procfile app.procfile:2: NUL byte`},
	{"# \x00\nweb: a\n", `procfile app.procfile:1: NUL byte`},
	{"web: a\n# \xff\n", `procfile app.procfile:2: invalid UTF-8`},
	{"web: \xc3\x28\n", `procfile app.procfile:1: invalid UTF-8`},
	// The first error wins, even when a later line has another.
	{"web: 'a\nweb: b\n", `procfile app.procfile:1: unterminated single quote (')`},
	// Errors between lines come once every line is read.
	{"web: PIDONE_AFTER=db a\nphp: 'b\n", `procfile app.procfile:2: unterminated single quote (')`},
	{"web: PIDONE_AFTER=db a\n", `procfile app.procfile:1: PIDONE_AFTER: no line declares "db"`},
	{"web: PIDONE_BOGUS=1 a\n", `procfile app.procfile:1: PIDONE_BOGUS is not a per-process option; those are ` + optionList},
	{"web: PIDONE_RESTART=sometimes a\n", `procfile app.procfile:1: PIDONE_RESTART="sometimes": want never, on-failure or always`},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range parseErrorTests {
		got, err := Parse("app.procfile", strings.NewReader(tt.in), testConfig)
		if err == nil {
			t.Errorf("Parse(%q) = %+v, want error %q", tt.in, got, tt.want)
			continue
		}
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("Parse(%q): error %T, want *Error", tt.in, err)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("Parse(%q):\n got %s\nwant %s", tt.in, err, tt.want)
		}
		if pe.File != "app.procfile" {
			t.Errorf("Parse(%q): File = %q", tt.in, pe.File)
		}
		if got != nil {
			t.Errorf("Parse(%q) returned entries with its error", tt.in)
		}
	}
}

func TestParseNeedsShell(t *testing.T) {
	in := "web: a\nphp: PIDONE_ONESHOT=1 A=1 cd /srv && exec php-fpm\n"
	got, err := Parse("p", strings.NewReader(in), testConfig)
	if err != nil {
		t.Fatal(err)
	}
	want := Command{
		Argv: []string{"/bin/sh", "-c", "A=1 cd /srv && exec php-fpm"}, Shell: true,
		Why: `a command list ("&&")`, Text: "A=1 cd /srv && exec php-fpm", Assigned: []string{"A=1"},
	}
	if !reflect.DeepEqual(got[1].Command, want) || !got[1].Options.OneShot {
		t.Errorf("got %+v\nwant %+v", got[1], want)
	}
	_, err = Parse("p", strings.NewReader(in), noShell)
	if want := `procfile p:2: command for "php" needs a shell for a command list ("&&"), and /bin/sh does not exist; run a program directly or use an image with a shell`; err == nil || err.Error() != want {
		t.Errorf("without a shell:\n got %v\nwant %s", err, want)
	}
}

func TestParseAsksForShellOnce(t *testing.T) {
	asked := 0
	cfg := Config{Getenv: lookup, HaveShell: func() bool { asked++; return true }}
	in := "a: x | y\nb: cd /\nc: z\nd: PIDONE_READY='exec:a | b' z\n"
	if _, err := Parse("p", strings.NewReader(in), cfg); err != nil || asked != 1 {
		t.Errorf("err %v, HaveShell called %d times, want once", err, asked)
	}
}

func TestErrorFormat(t *testing.T) {
	for _, tt := range []struct {
		err  Error
		want string
	}{
		{Error{File: "app.procfile", Line: 3, Msg: `duplicate name "web"`}, `procfile app.procfile:3: duplicate name "web"`},
		{Error{File: "app.procfile", Msg: "no process declared"}, "procfile app.procfile: no process declared"},
		{Error{Msg: "trailing backslash"}, "procfile: trailing backslash"},
		{Error{Line: 2, Msg: "x"}, "procfile:2: x"},
		// A newline in a file name must not split the message.
		{Error{File: "a\nb", Line: 1, Msg: "x"}, `procfile a\nb:1: x`},
		{Error{File: "f", Msg: "a\rb"}, `procfile f: a\rb`},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%#v.Error() = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestParseMessageFromVariableStaysOneLine(t *testing.T) {
	// ${X:?$NL} puts a newline from the environment into the message.
	_, err := Parse("p", strings.NewReader("web: a ${X:?$NL}\n"), testConfig)
	if err == nil || err.Error() != `procfile p:1: X: x\ny` {
		t.Errorf("got %v", err)
	}
}

func TestParseZeroConfigUsesEnvironment(t *testing.T) {
	t.Setenv("PROCFILE_TEST_VAR", "from env")
	got, err := Parse("p", strings.NewReader("web: \"$PROCFILE_TEST_VAR\"\n"), Config{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"from env"}; !reflect.DeepEqual(got[0].Argv, want) {
		t.Errorf("Argv = %q, want %q", got[0].Argv, want)
	}
}

func TestParseReadError(t *testing.T) {
	_, err := Parse("p", iotest.ErrReader(io.ErrUnexpectedEOF), testConfig)
	if err == nil || err.Error() != "procfile p: cannot read: unexpected EOF" {
		t.Errorf("got %v", err)
	}
}

func TestParseTooLarge(t *testing.T) {
	r := io.MultiReader(strings.NewReader("web: a\n"), strings.NewReader(strings.Repeat("#\n", maxSize)))
	_, err := Parse("p", r, testConfig)
	if err == nil || err.Error() != "procfile p: larger than 1048576 bytes; is it a Procfile?" {
		t.Errorf("got %v", err)
	}
}

func TestParseLargeLinesStayLinear(t *testing.T) {
	// Each of these is a line near the size limit; a cost that grows with
	// the square of its length would not finish within the test timeout.
	var many, after strings.Builder
	for i := range 70000 {
		fmt.Fprintf(&many, "A%d=$HOME ", i)
	}
	after.WriteString("web: PIDONE_AFTER=")
	for i := range 100000 {
		fmt.Fprintf(&after, "p%d,", i)
	}
	for _, tt := range []struct{ name, in string }{
		{"long word", "web: a " + strings.Repeat("x", 900_000) + "\n"},
		{"long quoted word", "web: a '" + strings.Repeat("x ", 450_000) + "'\n"},
		{"many assignments", "web: " + many.String() + "a\n"},
		{"long AFTER list", strings.TrimSuffix(after.String(), ",") + " a\n"},
	} {
		_, err := Parse("p", strings.NewReader(tt.in), testConfig)
		if tt.name == "long AFTER list" {
			if err == nil || !strings.Contains(err.Error(), `no line declares "p0"`) {
				t.Errorf("%s: %v", tt.name, err)
			}
		} else if err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func TestParseNesting(t *testing.T) {
	nest := func(n int, open string) string {
		return "web: a " + strings.Repeat(open, n) + strings.Repeat("}", n) + "\n"
	}
	for _, tt := range []struct {
		in   string
		want string
	}{
		{nest(maxDepth, "${X:-"), ""},
		{nest(maxDepth+1, "${X:-"), "procfile p:1: ${ or $( nested more than 100 deep"},
		{nest(maxDepth+1, "${X%"), "procfile p:1: ${ or $( nested more than 100 deep"},
		// $( within $( is counted, not recursed into.
		{"web: a " + strings.Repeat("$(", 1000) + strings.Repeat(")", 1000) + "\n", ""},
		{"web: a $(" + strings.Repeat("${X:-", maxDepth) + "\n", "procfile p:1: ${ or $( nested more than 100 deep"},
		{"web: a " + strings.Repeat("\"${X:-", maxDepth+1) + "\n", "procfile p:1: ${ or $( nested more than 100 deep"},
	} {
		_, err := Parse("p", strings.NewReader(tt.in), testConfig)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || err.Error() != tt.want) {
			t.Errorf("%.40q...: %v, want %q", tt.in, err, tt.want)
		}
	}
}
