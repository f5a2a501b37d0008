package ctl

import (
	"bytes"
	"strings"
	"testing"
)

// The decoders are canonical, so whatever one accepts must encode back to
// the very same bytes; whatever it rejects must be rejected with a
// one-line error. Neither may panic.

func FuzzDecodeRequest(f *testing.F) {
	for _, tt := range requestTests {
		f.Add([]byte(tt.line))
	}
	for _, in := range requestErrorTests {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		r, err := DecodeRequest(in)
		if err != nil {
			checkOneLine(t, err)
			return
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("%q decoded to an invalid %+v: %v", in, r, err)
		}
		out, err := EncodeRequest(r)
		if err != nil {
			t.Fatalf("%q decoded to %+v, which does not encode: %v", in, r, err)
		}
		if !bytes.Equal(out, in) {
			t.Fatalf("%q decoded to %+v, which encodes as %q", in, r, out)
		}
	})
}

func FuzzDecodeResponse(f *testing.F) {
	for _, tt := range responseTests {
		b, err := EncodeResponse(tt.resp)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, in := range responseErrorTests {
		if len(in) < 4096 { // the corpus stays readable
			f.Add([]byte(in))
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		r, err := DecodeResponse(in)
		if err != nil {
			checkOneLine(t, err)
			return
		}
		out, err := EncodeResponse(r)
		if err != nil {
			t.Fatalf("%q decoded to %+v, which does not encode: %v", in, r, err)
		}
		if !bytes.Equal(out, in) {
			t.Fatalf("%q decoded to %+v, which encodes as %q", in, r, out)
		}
		// What the client does with an answer must not fail either.
		var sink bytes.Buffer
		if err := RenderJSON(&sink, r); err != nil {
			t.Fatal(err)
		}
		if r.Snapshot != nil {
			if err := RenderTable(&sink, r.Snapshot); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// FuzzFitMessage checks that Reply's clean-up always yields a message the
// codec carries, and leaves one it already carried alone.
func FuzzFitMessage(f *testing.F) {
	for _, s := range []string{"", "ok", "a\nb", "caf\u00e9", "\xff", strings.Repeat("\u00e9", MaxMessage)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := fitMessage(s)
		if err := validMessage(got); err != nil {
			t.Fatalf("%q: fitted to %q: %v", s, got, err)
		}
		if validMessage(s) == nil && got != s {
			t.Fatalf("%q: changed to %q", s, got)
		}
	})
}
