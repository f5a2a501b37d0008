package procfile

import (
	"errors"
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
	for _, tt := range splitErrorTests {
		f.Add("web: " + tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		entries, err := Parse("fuzz.procfile", strings.NewReader(in), lookup)
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
			if !isName(e.Name) || seen[e.Name] {
				t.Fatalf("%q: bad or repeated name %q", in, e.Name)
			}
			seen[e.Name] = true
			if e.Line <= prevLine {
				t.Fatalf("%q: entries out of file order at line %d", in, e.Line)
			}
			prevLine = e.Line
			if len(e.Argv) == 0 || e.Argv[0] == "" {
				t.Fatalf("%q: entry %q has Argv %q", in, e.Name, e.Argv)
			}
			for _, a := range e.Argv {
				if strings.IndexByte(a, 0) >= 0 {
					t.Fatalf("%q: NUL in argument %q", in, a)
				}
			}
		}
	})
}

func FuzzSplit(f *testing.F) {
	for _, tt := range splitTests {
		f.Add(tt.in)
	}
	for _, tt := range splitErrorTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		words, err := Split(in, lookup)
		if err != nil {
			checkError(t, in, err)
			return
		}
		// Quoting every word and splitting again must give the same words:
		// this checks the splitter against its own quoting rules.
		quoted := make([]string, len(words))
		for i, w := range words {
			quoted[i] = "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
		}
		again, err := Split(strings.Join(quoted, " "), lookup)
		if err != nil {
			t.Fatalf("%q: words %q quoted back fail: %v", in, words, err)
		}
		if len(again) != len(words) {
			t.Fatalf("%q: words %q, quoted back %q", in, words, again)
		}
		for i := range words {
			if again[i] != words[i] {
				t.Fatalf("%q: words %q, quoted back %q", in, words, again)
			}
		}
	})
}
