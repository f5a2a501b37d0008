package logs

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestTextLogger(t *testing.T) {
	var b bytes.Buffer
	log := New(bufWriter{&b}, "text", LevelInfo)
	log.Debug("hidden")
	log.Info("started", "name", "web", "pid", 42)
	log.Warn("grace period over", "pids", []int{1, 2})
	log.Info("odd", "v", "a b")
	want := "pidone: started name=web pid=42\npidone: warn: grace period over pids=\"[1 2]\"\npidone: odd v=\"a b\"\n"
	if got := b.String(); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	if LevelFor(0) != LevelWarn || LevelFor(1) != LevelInfo || LevelFor(5) != LevelDebug {
		t.Error("LevelFor mapping")
	}
}

func TestJSONLogger(t *testing.T) {
	var b bytes.Buffer
	log := New(bufWriter{&b}, "json", LevelDebug)
	log.Warn("odd \"text\"\n", "name", "we\x01b\xff", "pid", 42, "pids", []int{1, 2}, "err", os.ErrNotExist)
	line := b.String()
	var obj map[string]any
	if err := json.Unmarshal([]byte(line), &obj); err != nil {
		t.Fatalf("not JSON: %q: %v", line, err)
	}
	want := map[string]any{"level": "WARN", "msg": "odd \"text\"\n", "name": "we\x01b\ufffd",
		"pid": 42.0, "err": "file does not exist"}
	for k, v := range want {
		if obj[k] != v {
			t.Errorf("%s = %#v, want %#v", k, obj[k], v)
		}
	}
	if _, err := time.Parse(time.RFC3339Nano, obj["time"].(string)); err != nil {
		t.Errorf("time: %v", err)
	}
	if !strings.HasSuffix(line, "}\n") || strings.Count(line, "\n") != 1 {
		t.Errorf("not one line: %q", line)
	}
	var nilLog *Logger
	nilLog.Info("discarded") // must not panic
}

func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "q\"b\\", "\x00\x1f\x7f", "\xff\xfe", "é漢"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got string
		if err := json.Unmarshal(appendJSONString(nil, s), &got); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if utf8.ValidString(s) && got != s {
			t.Fatalf("%q came back as %q", s, got)
		}
	})
}

// bufWriter is a Writer into a buffer, for tests.
type bufWriter struct{ b *bytes.Buffer }

func (w bufWriter) Log(lines []byte) { w.b.Write(lines) }
