package procfile

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// testEnv is the environment every test expands from. X is never set.
var testEnv = map[string]string{
	"HOME":  "/home/u",
	"EMPTY": "",
	"V":     " a  b ",
	"GLOB":  "*",
	"NL":    "x\ny",
	"_u1":   "under",
	"PORT":  "8000",
	"CMD":   "cd /tmp",
	"SQ":    "it's",
}

func lookup(name string) (string, bool) {
	v, ok := testEnv[name]
	return v, ok
}

// testConfig reads testEnv and has a shell.
var testConfig = Config{Getenv: lookup, HaveShell: func() bool { return true }}

// noShell reads testEnv and has no shell.
var noShell = Config{Getenv: lookup, HaveShell: func() bool { return false }}

// splitTests are commands that run without a shell.
var splitTests = []struct {
	in   string
	want []string
	env  []string // Env; nil when none
}{
	{"a", []string{"a"}, nil},
	{"  a  b\tc  ", []string{"a", "b", "c"}, nil},
	{"nginx -g 'daemon off;'", []string{"nginx", "-g", "daemon off;"}, nil},

	// Quoting.
	{`a 'a b' c`, []string{"a", "a b", "c"}, nil},
	{`a "a b" c`, []string{"a", "a b", "c"}, nil},
	{`a a\ b`, []string{"a", "a b"}, nil},
	{`a a\	b`, []string{"a", "a\tb"}, nil},
	{`a "a\"b"`, []string{"a", `a"b`}, nil},
	{`a "\$"`, []string{"a", "$"}, nil},
	{`a "\$HOME"`, []string{"a", "$HOME"}, nil},
	{`a "\a"`, []string{"a", `\a`}, nil},
	{`a "\}"`, []string{"a", `\}`}, nil},
	{`a "a\\b"`, []string{"a", `a\b`}, nil},
	{"a \"\\`\"", []string{"a", "`"}, nil},
	{`a 'a\b'`, []string{"a", `a\b`}, nil},
	{`a 'a"b'`, []string{"a", `a"b`}, nil},
	{`a "a'b"`, []string{"a", `a'b`}, nil},
	{`a a''b`, []string{"a", "ab"}, nil},
	{`a ''`, []string{"a", ""}, nil},
	{`a ""`, []string{"a", ""}, nil},
	{`a '' ""`, []string{"a", "", ""}, nil},
	{`a a"b"'c'd`, []string{"a", "abcd"}, nil},
	{`a \$HOME`, []string{"a", "$HOME"}, nil},
	{`a \' \" \\ \|`, []string{"a", "'", `"`, `\`, "|"}, nil},
	{`a 'a|b;c>d&e' "a|b;c>d&e"`, []string{"a", "a|b;c>d&e", "a|b;c>d&e"}, nil},
	{`a \* \? \[ \~`, []string{"a", "*", "?", "[", "~"}, nil},
	{`a '*' "?" "[a]" "~"`, []string{"a", "*", "?", "[a]", "~"}, nil},
	{`a \é`, []string{"a", "é"}, nil},
	{"日本 語", []string{"日本", "語"}, nil},

	// $NAME and ${NAME}.
	{`a $HOME ${HOME} x${HOME}y $HOME/x "$HOME"/x`, []string{"a", "/home/u", "/home/u", "x/home/uy", "/home/u/x", "/home/u/x"}, nil},
	{`a $HOMEx`, []string{"a"}, nil},
	{`a ${_u1} $_u1`, []string{"a", "under", "under"}, nil},
	{`a '$X' '${HOME}'`, []string{"a", "$X", "${HOME}"}, nil},
	{`a $X ${X} $EMPTY`, []string{"a"}, nil},
	{`a "$X" "${X}" "$EMPTY"`, []string{"a", "", "", ""}, nil},
	{`a x$X $X''`, []string{"a", "x", ""}, nil},
	{`a $SQ`, []string{"a", "it's"}, nil},

	// Unquoted expansions are split into fields, quoted ones are not.
	{`a $V`, []string{"a", "a", "b"}, nil},
	{`a "$V"`, []string{"a", " a  b "}, nil},
	{`a x$V`, []string{"a", "x", "a", "b"}, nil},
	{`a x${V}y`, []string{"a", "x", "a", "b", "y"}, nil},
	{`a ''$V $V''`, []string{"a", "", "a", "b", "a", "b", ""}, nil},
	{`a $NL "$NL"`, []string{"a", "x", "y", "x\ny"}, nil},

	// ${NAME-word} and the other forms with a word.
	{`a ${X-d} ${X:-d} ${EMPTY-d} ${EMPTY:-d} ${HOME-d} ${HOME:-d}`, []string{"a", "d", "d", "d", "/home/u", "/home/u"}, nil},
	{`a ${X+p} ${X:+p} ${EMPTY+p} ${EMPTY:+p} ${HOME+p} ${HOME:+p}`, []string{"a", "p", "p", "p"}, nil},
	{`a "${EMPTY:+p}" "${X-}" ${X-}`, []string{"a", "", ""}, nil},
	{`a ${EMPTY?} ${HOME?m} ${HOME:?m}`, []string{"a", "/home/u", "/home/u"}, nil},
	{`a ":${PORT:-80}" -b:${X:-80}`, []string{"a", ":8000", "-b:80"}, nil},
	{`a ${X:-a b}`, []string{"a", "a", "b"}, nil},
	{`a ${X:-"a b"} ${X:-'a b'}`, []string{"a", "a b", "a b"}, nil},
	{`a "${X:-'a b'}"`, []string{"a", "'a b'"}, nil},
	{`a "${X:-"a b"}"`, []string{"a", "a b"}, nil},
	{`a "${X:-\a}" ${X:-\a}`, []string{"a", `\a`, "a"}, nil},
	{`a "${X:-\"}" "${X:-\}}" ${X-\}}`, []string{"a", `"`, "}", "}"}, nil},
	{`a ${X:-${_u1:-z}} ${X:-${X:-z}}`, []string{"a", "under", "z"}, nil},
	{`a "${X:-$V}" ${X:-"$V"} ${X:-$V}`, []string{"a", " a  b ", " a  b ", "a", "b"}, nil},
	{`a ${X:-a"b c"d}`, []string{"a", "ab cd"}, nil},
	{`a ${X:-} "${X:-}" ${X:-''}`, []string{"a", "", ""}, nil},
	{`a a${X:-b c}d`, []string{"a", "ab", "cd"}, nil},
	{`a ${X:-'}'} "${X:-'}'}"`, []string{"a", "}", "''}"}, nil},
	{`a "${X:-"a"$V"b"}" ${X:-"a"$V"b"}`, []string{"a", "a a  b b", "a", "a", "b", "b"}, nil},
	{`a ${X:-a|b;c&d<e>f(g)} "${X-#}" ${X:-a #b}`, []string{"a", "a|b;c&d<e>f(g)", "#", "a", "#b"}, nil},
	{`a ${X:-a:~} ${X:-$} ${X:-a}} ${X:-{}`, []string{"a", "a:~", "$", "a}", "{"}, nil},
	{`a "${X:-~}" ${X:-"~"} ${X:-\~}`, []string{"a", "~", "~", "~"}, nil},
	{`a "${X-"\}"}" ${X-"a\}b"}`, []string{"a", "}", "a}b"}, nil},
	{`a ${HOME:-$(no)} ${X-'*'}`, nil, nil}, // see shellTests: $( is there even unused

	// A '$' that starts no expansion.
	{`a $ a$ "$" "a$" $/ $é`, []string{"a", "$", "a$", "$", "a$", "$/", "$é"}, nil},
	{`a "$'"`, []string{"a", "$'"}, nil},

	// Comments start only at a word's start.
	{`x #c 'unterminated | ; $(`, []string{"x"}, nil},
	{`a a#b $X#b a\#b '#' b`, []string{"a", "a#b", "#b", "a#b", "#", "b"}, nil},

	// Leading assignments.
	{`PORT=80 a $PORT`, []string{"a", "8000"}, []string{"PORT=80"}},
	{`A=1 B=$A C=$X a`, []string{"a"}, []string{"A=1", "B=1", "C="}},
	{`A=$V a`, []string{"a"}, []string{"A= a  b "}},
	{`A="a b" B='c d' C=e\ f D= a`, []string{"a"}, []string{"A=a b", "B=c d", "C=e f", "D="}},
	{`A=${X:-a b} B=${HOME:+$V} a`, []string{"a"}, []string{"A=a b", "B= a  b "}},
	{`A=* B=a?[c] C=a~ D=~x a`, nil, nil}, // D=~x goes to the shell: see shellTests
	{`A=* B=a?[c] C=a~ D=\~ E="~" a`, []string{"a"}, []string{"A=*", "B=a?[c]", "C=a~", "D=~", "E=~"}},
	{`A=1 A=2 B=3 A=$A$B a`, []string{"a"}, []string{"A=23", "B=3"}},
	{`A=1'x'"y" a`, []string{"a"}, []string{"A=1xy"}},
	{`A=1B=2 a`, []string{"a"}, []string{"A=1B=2"}},
	{`A=1 a B=2`, []string{"a", "B=2"}, []string{"A=1"}},
	{`A=1 "B=2" a`, []string{"B=2", "a"}, []string{"A=1"}},
	{`'A=1' a`, []string{"A=1", "a"}, nil},
	{`A\=1 a`, []string{"A=1", "a"}, nil},
	{`=x 1A=x --a=b`, []string{"=x", "1A=x", "--a=b"}, nil},
	{`A=1 $X a`, []string{"a"}, []string{"A=1"}},
	{`A=1 B=${A:?} C=${B:?no B} a`, []string{"a"}, []string{"A=1", "B=1", "C=1"}},
	{`HOME=/x a ~x`, nil, nil}, // ~ goes to the shell

	// Split alone may see newlines: inside quotes they are kept, after a
	// backslash they join lines.
	{"a 'a\nb' \"a\nb\" a\\\nb \"a\\\nb\"", []string{"a", "a\nb", "a\nb", "ab", "ab"}, nil},

	// Built-ins that behave as the programs of the same name run directly.
	{`printf %s x`, []string{"printf", "%s", "x"}, nil},
	{`test -f x`, []string{"test", "-f", "x"}, nil},
	{`true`, []string{"true"}, nil},
	{`/bin/echo a`, []string{"/bin/echo", "a"}, nil},
	{`'[' a ']'`, []string{"[", "a", "]"}, nil},
	{`a {a,b} !`, []string{"a", "{a,b}", "!"}, nil},
	{`a if then cd`, []string{"a", "if", "then", "cd"}, nil},
}

func TestSplit(t *testing.T) {
	for _, tt := range splitTests {
		if tt.want == nil {
			continue
		}
		got, err := Split(tt.in, testConfig)
		if err != nil {
			t.Errorf("Split(%q): %v", tt.in, err)
			continue
		}
		if got.Shell || got.Why != "" {
			t.Errorf("Split(%q) goes to the shell for %s; want %q", tt.in, got.Why, tt.want)
			continue
		}
		if !reflect.DeepEqual(got.Argv, tt.want) || !reflect.DeepEqual(got.Env, tt.env) {
			t.Errorf("Split(%q) = Argv %q Env %q, want Argv %q Env %q", tt.in, got.Argv, got.Env, tt.want, tt.env)
		}
		// Text is the command after the assignments, as written.
		if !strings.HasSuffix(strings.TrimRight(tt.in, " \t"), got.Text) || got.Text == "" {
			t.Errorf("Split(%q).Text = %q", tt.in, got.Text)
		}
	}
}

// shellTests are commands that need a shell: Text is what sh runs, Env
// what pidone sets itself (nothing: sh does the assignments), and why
// part of the reason given.
var shellTests = []struct {
	in, text string
	env      []string
	why      string
}{
	// Operators.
	{`a | b`, `a | b`, nil, `a pipe ("|")`},
	{`a|b`, `a|b`, nil, `a pipe ("|")`},
	{`a || b`, `a || b`, nil, `a command list ("||")`},
	{`a && b`, `a && b`, nil, `a command list ("&&")`},
	{`a & b`, `a & b`, nil, `a background job ("&")`},
	{`a;b`, `a;b`, nil, `a command separator (";")`},
	{`a >out`, `a >out`, nil, `a redirection (">")`},
	{`a 2>&1`, `a 2>&1`, nil, `a redirection (">")`},
	{`a <in`, `a <in`, nil, `a redirection ("<")`},
	{`(a)`, `(a)`, nil, `a subshell ("(")`},
	{"a\nb", "a\nb", nil, "a newline"},
	// A comment ends at the end of its line, not of the command.
	{"a #c 'x\nb", "a #c 'x\nb", nil, "a newline"},
	{"# c\nb", "# c\nb", nil, "a newline"},
	{"A=1 # c\nb", "A=1 # c\nb", nil, "a newline"},
	{`a 'b' | c # d`, `a 'b' | c # d`, nil, `a pipe`},

	// Substitutions, special parameters, other ${...} forms, $'', $"".
	{"a `id`", "a `id`", nil, "command substitution (\"`\")"},
	{"a \"`id`\"", "a \"`id`\"", nil, "command substitution"},
	{`a $(id)`, `a $(id)`, nil, `command substitution ("$(")`},
	{`a "$(id)"`, `a "$(id)"`, nil, `command substitution ("$(")`},
	{`a $(echo ")" ')' \))x`, `a $(echo ")" ')' \))x`, nil, `command substitution`},
	{`a $((1+(2)))`, `a $((1+(2)))`, nil, `arithmetic expansion ("$((")`},
	{`a ${HOME:-$(no)}`, `a ${HOME:-$(no)}`, nil, `command substitution`},
	{"a ${X:-`id`}", "a ${X:-`id`}", nil, `command substitution`},
	{`a $1`, `a $1`, nil, `the special parameter "$1"`},
	{`a "$0"`, `a "$0"`, nil, `the special parameter "$0"`},
	{`a $$ $?`, `a $$ $?`, nil, `the special parameter "$$"`},
	{`a $@`, `a $@`, nil, `"$@"`},
	{`a $*`, `a $*`, nil, `"$*"`},
	{`a $#`, `a $#`, nil, `"$#"`},
	{`a $!`, `a $!`, nil, `"$!"`},
	{`a $-`, `a $-`, nil, `"$-"`},
	{`a ${#HOME}`, `a ${#HOME}`, nil, `the expansion "${#HOME}"`},
	{`a ${X:=d}`, `a ${X:=d}`, nil, `"${X:=d}"`},
	{`a ${X=d}`, `a ${X=d}`, nil, `"${X=d}"`},
	{`a ${X%.c} ${X#*/}`, `a ${X%.c} ${X#*/}`, nil, `"${X%.c}"`},
	{`a ${X/a/b}`, `a ${X/a/b}`, nil, `"${X/a/b}"`},
	{`a ${X:1:2}`, `a ${X:1:2}`, nil, `"${X:1:2}"`},
	{`a ${1} ${10}`, `a ${1} ${10}`, nil, `"${1}"`},
	{`a ${}`, `a ${}`, nil, `"${}"`},
	{`a ${é}`, `a ${é}`, nil, `"${é}"`},
	{`a "${X%"}"}"`, `a "${X%"}"}"`, nil, `"${X%\"}\"}"`},
	{`a ${X%'}'}`, `a ${X%'}'}`, nil, `"${X%'}'}"`},
	{`a $'\n'`, `a $'\n'`, nil, `$'...' quoting`},
	{`a $'it\'s'`, `a $'it\'s'`, nil, `$'...' quoting`},
	{`a $"x"`, `a $"x"`, nil, `$"..." quoting`},

	// Pattern matching and tilde expansion.
	{`ls *.c`, `ls *.c`, nil, `pattern matching ("*")`},
	{`a a?`, `a a?`, nil, `pattern matching ("?")`},
	{`a [b]`, `a [b]`, nil, `pattern matching ("[")`},
	{`a ${X:-*}`, `a ${X:-*}`, nil, `pattern matching ("*")`},
	{`a ${HOME:-*}`, `a ${HOME:-*}`, nil, `pattern matching ("*")`},
	{`a $GLOB`, `a $GLOB`, nil, `pattern matching (the value of GLOB holds "*")`},
	{`a ${X:-$GLOB}`, `a ${X:-$GLOB}`, nil, `the value of GLOB`},
	{`a ~/x`, `a ~/x`, nil, `tilde expansion ("~")`},
	{`a ~`, `a ~`, nil, `tilde expansion`},
	{`a a${X:-~}`, `a a${X:-~}`, nil, `tilde expansion`},
	{`a ${X:-${X:-~}}`, `a ${X:-${X:-~}}`, nil, `tilde expansion`},

	// A first word that only a shell runs, literal or expanded.
	{`cd /app`, `cd /app`, nil, `the shell built-in "cd"`},
	{`exec gunicorn app`, `exec gunicorn app`, nil, `the shell built-in "exec"`},
	{`"exec" a`, `"exec" a`, nil, `the shell built-in "exec"`},
	{`$CMD`, `$CMD`, nil, `the shell built-in "cd"`},
	{`. ./env`, `. ./env`, nil, `"."`},
	{`: nothing`, `: nothing`, nil, `":"`},
	{`echo hi`, `echo hi`, nil, `"echo"`},
	{`if true; then a; fi`, `if true; then a; fi`, nil, `a command separator`},
	{`if x`, `if x`, nil, `the shell keyword "if"`},
	{`{ a; }`, `{ a; }`, nil, `a command separator`},
	{`! a`, `! a`, nil, `the shell keyword "!"`},
	{`exec a; ${X:?unset}`, `exec a; ${X:?unset}`, nil, `a command separator`},
	{`a ${X:?$(x)}`, `a ${X:?$(x)}`, nil, `command substitution`},
	// sh takes the character after ${ as a name, even a bad one, so it
	// opens nothing: these end where dash ends them (they were
	// "unterminated double quote").
	{`a "${X-${${B}}"`, `a "${X-${${B}}"`, nil, `the expansion "${${B}"`},
	{`a "${X-${\}}"`, `a "${X-${\}}"`, nil, `the expansion "${\\}"`},
	{`a ${X-${#\}}}`, `a ${X-${#\}}}`, nil, `the expansion "${#\\}"`},

	// Assignments before a command that needs a shell are sh's to do, as
	// written: they apply to its first command, not to its expansions.
	{`A=1 B=$HOME a | b`, `A=1 B=$HOME a | b`, nil, `a pipe`},
	{`A=1 cd /x && exec a`, `A=1 cd /x && exec a`, nil, `a command list`},
	{`A=1 >log a`, `A=1 >log a`, nil, `a redirection`},
	{`A=1 2>log a`, `A=1 2>log a`, nil, `a redirection`},
	{`A=1 echo "$A"`, `A=1 echo "$A"`, nil, `"echo"`},
	{`A=1 B=$(date) C=2 a`, `A=1 B=$(date) C=2 a`, nil, `command substitution ("$(") in the assignment to B`},
	{`PATH=~/bin:$PATH a`, `PATH=~/bin:$PATH a`, nil, `tilde expansion ("~") in the assignment to PATH`},
	{`A=x:~/bin a`, `A=x:~/bin a`, nil, `tilde expansion`},
	{`A=${X:-~} a`, `A=${X:-~} a`, nil, `tilde expansion`},
	{`A=${X:-a:~} a`, `A=${X:-a:~} a`, nil, `tilde expansion`},
	{`D=~x a`, `D=~x a`, nil, `tilde expansion`},
	{`HOME=/x a ~x`, `HOME=/x a ~x`, nil, `tilde expansion`},
	// Assignments followed by an operator are not a command's: sh sees
	// them as written.
	{`A=1; a`, `A=1; a`, nil, `a command separator`},
	{`A=1 B=2 && a`, `A=1 B=2 && a`, nil, `a command list`},
	{`A=1 | a`, `A=1 | a`, nil, `a pipe`},
	{`| a`, `| a`, nil, `a pipe`},
}

func TestSplitShell(t *testing.T) {
	for _, tt := range shellTests {
		got, err := Split(tt.in, testConfig)
		if err != nil {
			t.Errorf("Split(%q): %v", tt.in, err)
			continue
		}
		// Assigned is checked by TestShellAssignedForTheCheck.
		want := Command{Argv: []string{"/bin/sh", "-c", tt.text}, Shell: true, Why: got.Why, Text: tt.text, Env: tt.env, Assigned: got.Assigned}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Split(%q) =\n %#v\nwant\n %#v", tt.in, got, want)
		}
		if !strings.Contains(got.Why, tt.why) {
			t.Errorf("Split(%q).Why = %q, want it to contain %q", tt.in, got.Why, tt.why)
		}
	}
}

func TestSplitWithoutShell(t *testing.T) {
	// A command that needs a shell is an error naming why; one that does
	// not runs as before.
	for _, tt := range shellTests {
		_, err := Split(tt.in, noShell)
		want := "needs a shell for "
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), tt.why) ||
			!strings.Contains(err.Error(), "/bin/sh does not exist") {
			t.Errorf("Split(%q) without a shell: %v, want an error saying it needs one for %s", tt.in, err, tt.why)
		}
	}
	for _, tt := range splitTests {
		if tt.want == nil {
			continue
		}
		if _, err := Split(tt.in, noShell); err != nil {
			t.Errorf("Split(%q) without a shell: %v", tt.in, err)
		}
	}
	_, err := Split("a | b", noShell)
	if want := `procfile: command needs a shell for a pipe ("|"), and /bin/sh does not exist; run a program directly or use an image with a shell`; err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

func TestSplitAsksForShellOnlyWhenNeeded(t *testing.T) {
	asked := 0
	cfg := Config{Getenv: lookup, HaveShell: func() bool { asked++; return true }}
	if _, err := Split("a $HOME 'b|c'", cfg); err != nil || asked != 0 {
		t.Errorf("direct command: err %v, asked %d times", err, asked)
	}
	if _, err := Split("a | b", cfg); err != nil || asked != 1 {
		t.Errorf("shell command: err %v, asked %d times", err, asked)
	}
}

var splitErrorTests = []struct {
	in   string
	want string // the whole message after "procfile: "
}{
	{``, "command is empty once comments and empty variables are removed"},
	{`  # c`, "command is empty once comments and empty variables are removed"},
	{`$X $EMPTY`, "command is empty once comments and empty variables are removed"},
	{`"$X" a`, "command has an empty program name"},
	{`'' a`, "command has an empty program name"},
	{`A=1`, "command has assignments but no command to apply them to"},
	{`A=1 B=$(x) # c`, "command has assignments but no command to apply them to"},
	{`'abc`, "unterminated single quote (')"},
	{`a 'b`, "unterminated single quote (')"},
	{`"abc`, `unterminated double quote (")`},
	{`"abc\"`, `unterminated double quote (")`},
	{`"abc\`, `unterminated double quote (")`},
	{`a | "b`, `unterminated double quote (")`},
	{`abc\`, "trailing backslash: a command cannot continue on the next line"},
	{`\`, "trailing backslash: a command cannot continue on the next line"},
	{`A=\`, "trailing backslash: a command cannot continue on the next line"},
	{`a ${X`, "unterminated ${: expected } to close it"},
	{`a "${X"`, `unterminated double quote (")`},
	{`a ${X:-b`, "unterminated ${: expected } to close it"},
	{`a ${X:-\`, "unterminated ${: expected } to close it"},
	{`a ${X%b`, "unterminated ${: expected } to close it"},
	{`a ${X:-'}`, "unterminated single quote (')"},
	{`a $(b`, "unterminated $(: expected ) to close it"},
	{`a $(b ')'`, "unterminated $(: expected ) to close it"},
	{"a `b", "unterminated backquote (`)"},
	{`a $'b`, "unterminated $' quote"},
	{`a ${X:?}`, "X: parameter not set or null"},
	{`a ${EMPTY:?}`, "EMPTY: parameter not set or null"},
	{`a ${X?}`, "X: parameter not set"},
	{`a ${X:?set X to the   database in $HOME}`, "X: set X to the   database in /home/u"},
	{`a "${X:?set X to the database's}"`, "X: set X to the database's"},
	{`a "${X:?'quoted'}"`, "X: 'quoted'"},
	{`a ${X:?''}`, "X: "},
	// A simple command that sh runs only for its first word or a glob
	// fails in sh before anything runs: pidone says so at once.
	{`exec ${X:?unset} a`, "X: unset"},
	{`$GLOB ${X:?unset}`, "X: unset"},
	{`a ${X?$V}`, "X:  a  b "},
	{"a\x00b", "NUL byte in command"},
	{"'a\x00b'", "NUL byte in command"},
	{`PIDONE_ONESHOT=1 a`, "PIDONE_ONESHOT cannot be set here: options go on a Procfile line, before its command"},
}

func TestSplitErrors(t *testing.T) {
	for _, tt := range splitErrorTests {
		got, err := Split(tt.in, testConfig)
		if err == nil {
			t.Errorf("Split(%q) = %+v, want error %q", tt.in, got, tt.want)
			continue
		}
		var pe *Error
		if !errors.As(err, &pe) {
			t.Errorf("Split(%q): error %T, want *Error", tt.in, err)
			continue
		}
		if pe.File != "" || pe.Line != 0 {
			t.Errorf("Split(%q): error has File %q, Line %d; want neither", tt.in, pe.File, pe.Line)
		}
		if pe.Msg != tt.want {
			t.Errorf("Split(%q):\n got %q\nwant %q", tt.in, pe.Msg, tt.want)
		}
	}
}

func TestSplitNULInVariable(t *testing.T) {
	getenv := func(string) (string, bool) { return "a\x00b", true }
	for _, in := range []string{"a $X", "A=$X a"} {
		if _, err := Split(in, Config{Getenv: getenv}); err == nil || !strings.Contains(err.Error(), "variable X holds a NUL byte") {
			t.Errorf("Split(%q) with a NUL in X: %v", in, err)
		}
	}
}

func TestSplitUnsetEqualsEmptyWithoutColon(t *testing.T) {
	// Plain $A does not tell unset from empty; only the forms with a word
	// do, as in sh.
	unset := Config{Getenv: func(string) (string, bool) { return "", false }}
	empty := Config{Getenv: func(string) (string, bool) { return "", true }}
	for _, tt := range []struct {
		in                string
		whenUnset, whenEm []string
	}{
		{`a $A "$A" x$A ${A}y`, []string{"a", "", "x", "y"}, []string{"a", "", "x", "y"}},
		{`a ${A-d} ${A:-d}`, []string{"a", "d", "d"}, []string{"a", "d"}},
		{`a ${A+p} ${A:+p}`, []string{"a"}, []string{"a", "p"}},
	} {
		a, _ := Split(tt.in, unset)
		b, _ := Split(tt.in, empty)
		if !reflect.DeepEqual(a.Argv, tt.whenUnset) || !reflect.DeepEqual(b.Argv, tt.whenEm) {
			t.Errorf("Split(%q): unset gives %q, empty gives %q; want %q and %q", tt.in, a.Argv, b.Argv, tt.whenUnset, tt.whenEm)
		}
	}
}

func TestSplitNilGetenvUsesEnvironment(t *testing.T) {
	t.Setenv("PROCFILE_TEST_VAR", "a b")
	got, err := Split("x $PROCFILE_TEST_VAR", Config{})
	if want := []string{"x", "a", "b"}; err != nil || !reflect.DeepEqual(got.Argv, want) {
		t.Errorf("Split with a zero Config = %q, %v; want %q", got.Argv, err, want)
	}
}

// A shell line's assignments are sh's to do, but a readiness check of the
// line still runs with them: Assigned keeps them. One whose expansion
// fails is sh's to report, as the rest of the line is, unless an option
// pidone reads comes after it or the line is a simple command, which sh
// would refuse before running anything.
func TestShellAssignedForTheCheck(t *testing.T) {
	for _, tt := range []struct {
		in       string
		assigned []string
		err      string
	}{
		{`A=1 B=$HOME a | b`, []string{"A=1", "B=/home/u"}, ""},
		{`A=1 B=$(date) C=2 a`, []string{"A=1"}, ""},
		{`A=1 a`, []string{"A=1"}, ""},
		{`A=${X:?need X} a | b`, nil, ""},
		{`A=${X:?need X} a`, nil, "X: need X"},
		{`A=${X:?need X} echo hi`, nil, "X: need X"},
		{`A=${X:?need X} echo hi; b`, nil, ""},
		{`echo ${X:?need X}`, nil, "X: need X"},
		{`cd ${X:?need X}`, nil, "X: need X"},
		{`A=${Y:?need Y} echo ${X:?need X}`, nil, "X: need X"},
		{`echo ${X:?need X} | b`, nil, ""},
		{`export X=1; echo ${X:?need X}`, nil, ""},
	} {
		got, err := Split(tt.in, testConfig)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Split(%q): %v, want an error with %q", tt.in, err, tt.err)
			}
		case err != nil:
			t.Errorf("Split(%q): %v", tt.in, err)
		case !reflect.DeepEqual(got.Assigned, tt.assigned):
			t.Errorf("Split(%q).Assigned = %q, want %q", tt.in, got.Assigned, tt.assigned)
		}
	}
	in := "web: A=${X:?need X} PIDONE_DIR=/$A a | b\n"
	if _, err := Parse("p", strings.NewReader(in), testConfig); err == nil || !strings.Contains(err.Error(), "need X") {
		t.Errorf("an option after a failing assignment: %v, want the failure", err)
	}
}
