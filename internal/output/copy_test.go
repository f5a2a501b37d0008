package output

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

func TestAppendLinesSplitsLongLines(t *testing.T) {
	line := bytes.Repeat([]byte("x"), 2*maxLine+10)
	out := appendLines(nil, []byte("p | "), line)
	parts := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(parts) != 3 {
		t.Fatalf("%d pieces, want 3", len(parts))
	}
	var joined string
	for _, p := range parts {
		body, ok := strings.CutPrefix(p, "p | ")
		if !ok {
			t.Fatalf("piece without prefix: %.20q", p)
		}
		joined += body
	}
	if joined != string(line) {
		t.Error("pieces do not add up to the line")
	}
}

// pipeSink is a Sink writing into a pipe the test reads.
func pipeSink(t *testing.T) (*Sink, *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return newSink("test", w, nil), r
}

func TestCopyIsLossless(t *testing.T) {
	sink, r := pipeSink(t)
	o := &Out{Stdout: sink, Stderr: sink}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	o.copiers.Add(1)
	go o.copy(pr, sink, []byte("ab | "), &matcher{f: func(l []byte) bool { lines = append(lines, string(l)); return false }})
	in := "one\n\ntwo\r\nthree\x00four\n\xff\xfeinvalid\nlast without newline"
	for i := 0; i < len(in); i += 3 { // in small, odd writes
		pw.Write([]byte(in[i:min(i+3, len(in))]))
	}
	pw.Close()
	o.Close(time.Now().Add(5*time.Second), time.Second)
	sink.f.Close()
	got, _ := io.ReadAll(r)
	want := "ab | one\nab | \nab | two\r\nab | three\x00four\nab | \xff\xfeinvalid\nab | last without newline\n"
	if string(got) != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if len(lines) != 6 || lines[5] != "last without newline" {
		t.Errorf("the line watcher saw %q", lines)
	}
}
