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
}

func lookup(name string) (string, bool) {
	v, ok := testEnv[name]
	return v, ok
}

var splitTests = []struct {
	in   string
	want []string
}{
	{"", nil},
	{"   \t ", nil},
	{"a", []string{"a"}},
	{"  a  b\tc  ", []string{"a", "b", "c"}},
	{"nginx -g 'daemon off;'", []string{"nginx", "-g", "daemon off;"}},

	// Quoting.
	{`'a b' c`, []string{"a b", "c"}},
	{`"a b" c`, []string{"a b", "c"}},
	{`a\ b`, []string{"a b"}},
	{`a\	b`, []string{"a\tb"}},
	{`"a\"b"`, []string{`a"b`}},
	{`"\$"`, []string{"$"}},
	{`"\$HOME"`, []string{"$HOME"}},
	{`"\a"`, []string{`\a`}},
	{`"a\\b"`, []string{`a\b`}},
	{"\"\\`\"", []string{"`"}},
	{`'a\b'`, []string{`a\b`}},
	{`'a"b'`, []string{`a"b`}},
	{`"a'b"`, []string{`a'b`}},
	{`a''b`, []string{"ab"}},
	{`''`, []string{""}},
	{`""`, []string{""}},
	{`'' ""`, []string{"", ""}},
	{`a"b"'c'd`, []string{"abcd"}},
	{`\$HOME`, []string{"$HOME"}},
	{`\'`, []string{"'"}},
	{`\"`, []string{`"`}},
	{`\\`, []string{`\`}},
	{`\|`, []string{"|"}},
	{`'a|b;c>d&e'`, []string{"a|b;c>d&e"}},
	{`"a|b;c>d&e"`, []string{"a|b;c>d&e"}},
	{`\é`, []string{"é"}},
	{"日本 語", []string{"日本", "語"}},

	// Expansion.
	{`$HOME`, []string{"/home/u"}},
	{`${HOME}`, []string{"/home/u"}},
	{`x${HOME}y`, []string{"x/home/uy"}},
	{`$HOME/x`, []string{"/home/u/x"}},
	{`"$HOME"/x`, []string{"/home/u/x"}},
	{`$HOMEx`, nil},
	{`${_u1}`, []string{"under"}},
	{`$_u1`, []string{"under"}},
	{`'$X'`, []string{"$X"}},
	{`'${HOME}'`, []string{"${HOME}"}},
	{`$X`, nil},
	{`${X}`, nil},
	{`"$X"`, []string{""}},
	{`"${X}"`, []string{""}},
	{`$EMPTY`, nil},
	{`"$EMPTY"`, []string{""}},
	{`a $X b`, []string{"a", "b"}},
	{`a "$X" b`, []string{"a", "", "b"}},
	{`x$X`, []string{"x"}},
	{`$X''`, []string{""}},

	// Unquoted expansions are split into fields, quoted ones are not.
	{`$V`, []string{"a", "b"}},
	{`"$V"`, []string{" a  b "}},
	{`x$V`, []string{"x", "a", "b"}},
	{`x${V}y`, []string{"x", "a", "b", "y"}},
	{`''$V`, []string{"", "a", "b"}},
	{`$V''`, []string{"a", "b", ""}},
	{`$NL`, []string{"x", "y"}},
	{`"$NL"`, []string{"x\ny"}},

	// Characters that only widen a word stay literal.
	{`*.c`, []string{"*.c"}},
	{`$GLOB`, []string{"*"}},
	{`a? [b]`, []string{"a?", "[b]"}},
	{`~/x`, []string{"~/x"}},
	{`{a,b}`, []string{"{a,b}"}},
	{`!`, []string{"!"}},

	// A '$' that starts no expansion.
	{`$`, []string{"$"}},
	{`a$`, []string{"a$"}},
	{`$ a`, []string{"$", "a"}},
	{`"$"`, []string{"$"}},
	{`"a$"`, []string{"a$"}},
	{`$/`, []string{"$/"}},
	{`$é`, []string{"$é"}},
	{`"$'"`, []string{"$'"}},

	// Comments start only at a word's start.
	{`#c`, nil},
	{`x #c 'unterminated`, []string{"x"}},
	{`a#b`, []string{"a#b"}},
	{`$X#b`, []string{"#b"}},
	{`a\#b`, []string{"a#b"}},
	{`'#' b`, []string{"#", "b"}},

	// An assignment only counts as the first word.
	{`x PORT=1`, []string{"x", "PORT=1"}},
	{`'PORT=1' x`, []string{"PORT=1", "x"}},
	{`=x`, []string{"=x"}},
	{`1A=x`, []string{"1A=x"}},
	{`--a=b`, []string{"--a=b"}},

	// Split alone may see newlines: inside quotes they are kept, after a
	// backslash they join lines.
	{"'a\nb'", []string{"a\nb"}},
	{"\"a\nb\"", []string{"a\nb"}},
	{"a\\\nb", []string{"ab"}},
	{"\"a\\\nb\"", []string{"ab"}},
}

func TestSplit(t *testing.T) {
	for _, tt := range splitTests {
		got, err := Split(tt.in, lookup)
		if err != nil {
			t.Errorf("Split(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Split(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

var splitErrorTests = []struct {
	in   string
	want string // part of the message
}{
	{`'abc`, "unterminated single quote"},
	{`a 'b`, "unterminated single quote"},
	{`"abc`, "unterminated double quote"},
	{`"abc\"`, "unterminated double quote"},
	{`"abc\`, "unterminated double quote"},
	{`abc\`, "trailing backslash"},
	{`\`, "trailing backslash"},
	{`${X`, "unterminated ${"},
	{`"${X"`, "unterminated ${"},
	{`"${X" }`, `bad expansion "${X\" }"`},
	{`${}`, `bad expansion "${}"`},
	{`${1x}`, `bad expansion "${1x}"`},
	{`${X:-d}`, `bad expansion "${X:-d}"`},
	{`${#X}`, `bad expansion "${#X}"`},
	{`${X Y}`, `bad expansion "${X Y}"`},
	{`"${X:-d}"`, `bad expansion "${X:-d}"`},
	{`${é}`, `bad expansion "${é}"`},
	{`a|b`, `'|' is shell syntax (pipe)`},
	{`a | b`, `'|' is shell syntax (pipe)`},
	{`a;b`, `';' is shell syntax (command separator)`},
	{`a&b`, `'&' is shell syntax`},
	{`a && b`, `'&' is shell syntax`},
	{`a >out`, `'>' is shell syntax (redirection)`},
	{`a <in`, `'<' is shell syntax (redirection)`},
	{`(a)`, `'(' is shell syntax (subshell)`},
	{"a\nb", "command separator"},
	{"`id`", "command substitution"},
	{"\"`id`\"", "command substitution"},
	{`$(id)`, `"$(" is shell syntax`},
	{`"$(id)"`, `"$(" is shell syntax`},
	{`$((1+1))`, `"$(" is shell syntax`},
	{`$1`, `"$1" is a shell special parameter`},
	{`"$0"`, `"$0" is a shell special parameter`},
	{`$$`, `"$$" is a shell special parameter`},
	{`$?`, `"$?" is a shell special parameter`},
	{`$@`, `"$@" is a shell special parameter`},
	{`$*`, `"$*" is a shell special parameter`},
	{`$#`, `"$#" is a shell special parameter`},
	{`$!`, `"$!" is a shell special parameter`},
	{`$-`, `"$-" is a shell special parameter`},
	{`$'\n'`, "$'...' quoting is not supported"},
	{`PORT=1 x`, `"PORT=1" is a variable assignment`},
	{`  A_1= x`, `"A_1=" is a variable assignment`},
	{"a\x00b", "NUL byte"},
	{"'a\x00b'", "NUL byte"},
}

func TestSplitErrors(t *testing.T) {
	for _, tt := range splitErrorTests {
		got, err := Split(tt.in, lookup)
		if err == nil {
			t.Errorf("Split(%q) = %q, want an error containing %q", tt.in, got, tt.want)
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
		msg := err.Error()
		if !strings.HasPrefix(msg, "procfile: ") || !strings.Contains(msg, tt.want) || strings.ContainsAny(msg, "\r\n") {
			t.Errorf("Split(%q): error %q, want one line \"procfile: ...%s...\"", tt.in, msg, tt.want)
		}
	}
}

func TestSplitShellHint(t *testing.T) {
	// Whoever writes a pipe expects a shell, so the message says how to get one.
	_, err := Split("a | b", lookup)
	if err == nil || !strings.Contains(err.Error(), "sh -c '...'") {
		t.Errorf("Split(\"a | b\"): %v, want a hint at sh -c", err)
	}
}

func TestSplitNULInVariable(t *testing.T) {
	getenv := func(string) (string, bool) { return "a\x00b", true }
	if _, err := Split("$X", getenv); err == nil || !strings.Contains(err.Error(), "variable X holds a NUL byte") {
		t.Errorf("Split($X) with a NUL in X: %v", err)
	}
}

func TestSplitUnsetEqualsEmpty(t *testing.T) {
	// The lookup's "set" result must not change the words: sh treats an
	// unset and an empty variable alike.
	unset := func(string) (string, bool) { return "", false }
	empty := func(string) (string, bool) { return "", true }
	for _, in := range []string{`$A`, `"$A"`, `x$A`, `${A}y`} {
		a, _ := Split(in, unset)
		b, _ := Split(in, empty)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("Split(%q): unset gives %q, empty gives %q", in, a, b)
		}
	}
}

func TestSplitNilGetenvUsesEnvironment(t *testing.T) {
	t.Setenv("PROCFILE_TEST_VAR", "a b")
	got, err := Split("$PROCFILE_TEST_VAR", nil)
	if want := []string{"a", "b"}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Split with nil getenv = %q, %v; want %q", got, err, want)
	}
}
