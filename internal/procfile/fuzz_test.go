package procfile

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// checkError holds every error to the contract callers print it by: an
// *Error whose message is a single non-empty line.
func checkError(t *testing.T, in string, err error) {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("%q: error %T %v, want *Error", in, err, err)
	}
	if pe.Msg == "" {
		t.Fatalf("%q: empty Msg", in)
	}
	if msg := err.Error(); strings.ContainsAny(msg, "\r\n") {
		t.Fatalf("%q: message is not one line: %q", in, msg)
	}
}

// checkCommand holds a Command to what its fields promise.
func checkCommand(t *testing.T, in string, c Command) {
	t.Helper()
	if c.Shell {
		if c.Why == "" || len(c.Argv) != 3 || c.Argv[0] != ShellPath || c.Argv[1] != "-c" || c.Argv[2] != c.Text || c.Text == "" {
			t.Fatalf("%q: shell command %#v", in, c)
		}
	} else if c.Why != "" || len(c.Argv) == 0 || c.Argv[0] == "" {
		t.Fatalf("%q: direct command %#v", in, c)
	}
	for _, a := range c.Argv {
		if strings.IndexByte(a, 0) >= 0 {
			t.Fatalf("%q: NUL in argument %q", in, a)
		}
	}
	seen := map[string]bool{}
	for _, kv := range c.Env {
		name, _, ok := strings.Cut(kv, "=")
		if !ok || !isVarName(name) || isOption(name) || seen[name] {
			t.Fatalf("%q: Env %q", in, c.Env)
		}
		seen[name] = true
	}
}

func FuzzParse(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.in)
	}
	for _, tt := range parseErrorTests {
		f.Add(tt.in)
	}
	for _, tt := range splitTests {
		f.Add("web: " + tt.in)
	}
	for _, tt := range shellTests {
		f.Add("web: " + tt.in)
	}
	for _, tt := range splitErrorTests {
		f.Add("web: " + tt.in)
	}
	for _, tt := range optionTests {
		f.Add("web: " + tt.in + " a\ndb: b\nmigrate: c")
	}
	for _, tt := range afterTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		entries, err := Parse("fuzz.procfile", strings.NewReader(in), testConfig)
		if err != nil {
			checkError(t, in, err)
			var pe *Error
			errors.As(err, &pe)
			if pe.File != "fuzz.procfile" || pe.Line < 0 || pe.Line > strings.Count(in, "\n")+1 {
				t.Fatalf("%q: File %q, Line %d", in, pe.File, pe.Line)
			}
			return
		}
		if len(entries) == 0 {
			t.Fatalf("%q: no entries and no error", in)
		}
		seen := map[string]bool{}
		prevLine := 0
		for _, e := range entries {
			if !ValidName(e.Name) || seen[e.Name] {
				t.Fatalf("%q: bad or repeated name %q", in, e.Name)
			}
			seen[e.Name] = true
			if e.Line <= prevLine {
				t.Fatalf("%q: entries out of file order at line %d", in, e.Line)
			}
			prevLine = e.Line
			checkCommand(t, in, e.Command)
			o := e.Options
			if o.OneShot && o.Restart == "always" {
				t.Fatalf("%q: a one-shot that always restarts", in)
			}
			if o.Ready != nil && o.Ready.Kind == CheckExec {
				checkCommand(t, in, *o.Ready.Exec)
			}
		}
		for _, e := range entries {
			for _, n := range e.Options.After {
				if !seen[n] || n == e.Name {
					t.Fatalf("%q: %s waits for %q", in, e.Name, n)
				}
			}
		}
	})
}

func FuzzSplit(f *testing.F) {
	for _, tt := range splitTests {
		f.Add(tt.in)
	}
	for _, tt := range shellTests {
		f.Add(tt.in)
	}
	for _, tt := range splitErrorTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		c, err := Split(in, testConfig)
		bare, bareErr := Split(in, noShell)
		if err != nil {
			checkError(t, in, err)
			if bareErr == nil || bareErr.Error() != err.Error() {
				t.Fatalf("%q: %v with a shell, %v without", in, err, bareErr)
			}
			return
		}
		checkCommand(t, in, c)
		if c.Shell {
			if !strings.HasSuffix(strings.TrimRight(in, " \t"), c.Text) {
				t.Fatalf("%q: Text %q is not what follows the assignments", in, c.Text)
			}
			if bareErr == nil || !strings.Contains(bareErr.Error(), "needs a shell for "+c.Why) {
				t.Fatalf("%q: needs a shell for %s, but without one: %v", in, c.Why, bareErr)
			}
			return
		}
		if bareErr != nil || !reflect.DeepEqual(bare, c) {
			t.Fatalf("%q: %#v with a shell, %#v, %v without", in, c, bare, bareErr)
		}
		// Quoting every word and value and splitting again must give the
		// same command: this checks the splitter against its own quoting
		// rules.
		quoted := make([]string, 0, len(c.Env)+len(c.Argv))
		for _, kv := range c.Env {
			name, value, _ := strings.Cut(kv, "=")
			quoted = append(quoted, name+"="+shellQuote(value))
		}
		for _, w := range c.Argv {
			quoted = append(quoted, shellQuote(w))
		}
		again, err := Split(strings.Join(quoted, " "), testConfig)
		if err != nil {
			t.Fatalf("%q: %#v quoted back fails: %v", in, c, err)
		}
		if !reflect.DeepEqual(again.Argv, c.Argv) || !reflect.DeepEqual(again.Env, c.Env) || again.Shell {
			t.Fatalf("%q: %#v, quoted back %#v", in, c, again)
		}
	})
}

// shellQuote quotes s for sh, as one word with no expansion.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
