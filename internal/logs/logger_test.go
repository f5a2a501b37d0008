package logs

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
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

// bufWriter is a Writer into a buffer, for tests.
type bufWriter struct{ b *bytes.Buffer }

func (w bufWriter) Log(lines []byte) { w.b.Write(lines) }
