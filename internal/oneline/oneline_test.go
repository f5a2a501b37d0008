package oneline

import (
	"errors"
	"strings"
	"testing"
)

func TestEscape(t *testing.T) {
	cases := map[string]string{
		"plain":         "plain",
		"":              "",
		"a\nb":          `a\nb`,
		"a\r\nb":        `a\r\nb`,
		"nul\x00":       `nul\x00`,
		"tab\there":     `tab\there`,
		"sep\u2028x":    `sep\u2028x`,
		"del\x7f":       `del\x7f`,
		"é漢 \"quoted\"": "é漢 \"quoted\"",
	}
	for in, want := range cases {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "a\nb", "\u2029", "\xff\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Escape(s)
		if strings.ContainsAny(out, "\n\r\u2028\u2029") {
			t.Fatalf("Escape(%q) = %q still breaks a line", s, out)
		}
		if !strings.ContainsFunc(s, breaks) && out != s {
			t.Fatalf("Escape(%q) changed a harmless string", s)
		}
	})
}

func TestError(t *testing.T) {
	inner := errors.New("bad\nvalue")
	e := Error{inner}
	if e.Error() != `bad\nvalue` || !errors.Is(e, inner) {
		t.Errorf("Error = %q, Is = %v", e.Error(), errors.Is(e, inner))
	}
}
