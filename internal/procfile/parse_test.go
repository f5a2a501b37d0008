package procfile

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

var parseTests = []struct {
	name string
	in   string
	want []Entry
}{
	{
		"spec example",
		"# comment\nweb: nginx -g 'daemon off;'\nphp: php-fpm --nodaemonize\n",
		[]Entry{
			{"web", 2, []string{"nginx", "-g", "daemon off;"}},
			{"php", 3, []string{"php-fpm", "--nodaemonize"}},
		},
	},
	{
		"no final newline",
		"web: a",
		[]Entry{{"web", 1, []string{"a"}}},
	},
	{
		"blank lines and indented comments",
		"\n   \n\t\n  # c: d\n\t#x\nweb: a\n\n",
		[]Entry{{"web", 6, []string{"a"}}},
	},
	{
		"CRLF",
		"# c\r\nweb: a 'b c'\r\n\r\nphp: d\r\n",
		[]Entry{{"web", 2, []string{"a", "b c"}}, {"php", 4, []string{"d"}}},
	},
	{
		"byte order mark",
		"\uFEFFweb: a\n",
		[]Entry{{"web", 1, []string{"a"}}},
	},
	{
		"whitespace around name and after colon",
		"  web \t:\t a\n",
		[]Entry{{"web", 1, []string{"a"}}},
	},
	{
		"no whitespace after colon",
		"web:a b\n",
		[]Entry{{"web", 1, []string{"a", "b"}}},
	},
	{
		"first colon splits",
		"web: a --listen=:80 http://x\n",
		[]Entry{{"web", 1, []string{"a", "--listen=:80", "http://x"}}},
	},
	{
		"names with digits, underscores and dashes",
		"web_1: a\n2-b: b\n_: c\n-: d\nA-Z_09: e\n",
		[]Entry{
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
		[]Entry{{"web", 1, []string{"a"}}, {"Web", 2, []string{"b"}}},
	},
	{
		"expansion",
		"web: $HOME/bin/x ${HOME} \"$X\" $X '$HOME'\n",
		[]Entry{{"web", 1, []string{"/home/u/bin/x", "/home/u", "", "$HOME"}}},
	},
	{
		"trailing comment",
		"web: a b # not an argument\n",
		[]Entry{{"web", 1, []string{"a", "b"}}},
	},
	{
		"a carriage return that ends no line is kept",
		"web: a\rb\n",
		[]Entry{{"web", 1, []string{"a\rb"}}},
	},
	{
		"file order kept",
		"z: 1\na: 2\nm: 3\n",
		[]Entry{{"z", 1, []string{"1"}}, {"a", 2, []string{"2"}}, {"m", 3, []string{"3"}}},
	},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse("app.procfile", strings.NewReader(tt.in), lookup)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q) =\n%+v\nwant\n%+v", tt.in, got, tt.want)
			}
		})
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
	{"# c\nweb: a 'b\n", `procfile app.procfile:2: unterminated single quote (')`},
	{"web: a \"b\nc\"\n", `procfile app.procfile:1: unterminated double quote (")`},
	{"web: a \\\n  b\n", `procfile app.procfile:1: trailing backslash: a command cannot continue on the next line`},
	{"web: a \\\r\n", `procfile app.procfile:1: trailing backslash: a command cannot continue on the next line`},
	{"\n\nweb: a ${HOME\n", `procfile app.procfile:3: unterminated ${: expected ${NAME}`},
	{"web: a ${X:-b}\n", `procfile app.procfile:1: bad expansion "${X:-b}": only ${NAME} is supported, NAME being ASCII letters, digits and _, not starting with a digit`},
	{"web: a | b\n", `procfile app.procfile:1: unquoted '|' is shell syntax (pipe), which pidone does not run; quote it to pass it on as it is, or use sh -c '...'`},
	{"web: a > log\n", `procfile app.procfile:1: unquoted '>' is shell syntax (redirection), which pidone does not run; quote it to pass it on as it is, or use sh -c '...'`},
	{"web: PORT=80 a\n", `procfile app.procfile:1: "PORT=80" is a variable assignment, which needs a shell; use env PORT=... COMMAND, or sh -c '...'`},
	{"web: a\nphp: b\x00\n", `procfile app.procfile:2: NUL byte`},
	{"# \x00\nweb: a\n", `procfile app.procfile:1: NUL byte`},
	{"web: a\n# \xff\n", `procfile app.procfile:2: invalid UTF-8`},
	{"web: \xc3\x28\n", `procfile app.procfile:1: invalid UTF-8`},
	// The first error wins, even when a later line has another.
	{"web: 'a\nweb: b\n", `procfile app.procfile:1: unterminated single quote (')`},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range parseErrorTests {
		got, err := Parse("app.procfile", strings.NewReader(tt.in), lookup)
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
		{Error{File: "a\nb", Line: 1, Msg: "x"}, `procfile "a\nb":1: x`},
		{Error{File: "f", Msg: "a\rb"}, `procfile f: "a\rb"`},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%#v.Error() = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestParseNilGetenvUsesEnvironment(t *testing.T) {
	t.Setenv("PROCFILE_TEST_VAR", "from env")
	got, err := Parse("p", strings.NewReader("web: \"$PROCFILE_TEST_VAR\"\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"from env"}; !reflect.DeepEqual(got[0].Argv, want) {
		t.Errorf("Argv = %q, want %q", got[0].Argv, want)
	}
}

func TestParseReadError(t *testing.T) {
	_, err := Parse("p", iotest.ErrReader(io.ErrUnexpectedEOF), lookup)
	if err == nil || err.Error() != "procfile p: cannot read: unexpected EOF" {
		t.Errorf("got %v", err)
	}
}

func TestParseTooLarge(t *testing.T) {
	r := io.MultiReader(strings.NewReader("web: a\n"), strings.NewReader(strings.Repeat("#\n", maxSize)))
	_, err := Parse("p", r, lookup)
	if err == nil || !strings.HasPrefix(err.Error(), "procfile p: larger than ") {
		t.Errorf("got %v", err)
	}
}
