package logs

import (
	"fmt"
	"github.com/pidone/pidone/internal/jsontext"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Level is the severity of a log line. pidone prints warnings and errors
// by default; -v adds info, -vv debug.
type Level int

// The levels, in slog's numbering so that JSON readers see familiar names.
const (
	LevelDebug Level = -4
	LevelInfo  Level = 0
	LevelWarn  Level = 4
	LevelError Level = 8
)

func (l Level) String() string {
	switch {
	case l < LevelInfo:
		return "DEBUG"
	case l < LevelWarn:
		return "INFO"
	case l < LevelError:
		return "WARN"
	}
	return "ERROR"
}

// LevelFor maps the number of -v flags to the lowest level printed.
func LevelFor(verbose int) Level {
	switch {
	case verbose <= 0:
		return LevelWarn
	case verbose == 1:
		return LevelInfo
	}
	return LevelDebug
}

// Logger writes pidone's own messages: one line per event, as
// "pidone: message key=value ..." or as one JSON object with time, level,
// msg and the fields. It is pidone's own rather than log/slog because
// slog and encoding/json are about 150 KB of the binary, and every page of
// it counts in the resident memory of an init that does little else. A
// nil *Logger discards everything.
type Logger struct {
	mu    sync.Mutex
	w     Writer
	json  bool
	level Level
	buf   []byte
}

// Writer takes one or more whole lines. *output.Sink's Log method is one
// that never waits.
type Writer interface {
	Log(lines []byte)
}

// WriterFunc adapts a function to Writer.
type WriterFunc func(lines []byte)

// Log calls f.
func (f WriterFunc) Log(lines []byte) { f(lines) }

// New returns a logger writing to w in format "text" or "json".
func New(w Writer, format string, level Level) *Logger {
	return &Logger{w: w, json: format == "json", level: level}
}

// JSON reports whether the logger writes JSON.
func (l *Logger) JSON() bool { return l != nil && l.json }

// Enabled reports whether a line at level would be written.
func (l *Logger) Enabled(level Level) bool { return l != nil && level >= l.level }

// Debug, Info, Warn and Error write msg with fields given as key, value
// pairs.
func (l *Logger) Debug(msg string, kv ...any) { l.log(LevelDebug, msg, kv) }

// Info logs at info level; see Debug.
func (l *Logger) Info(msg string, kv ...any) { l.log(LevelInfo, msg, kv) }

// Warn logs at warn level; see Debug.
func (l *Logger) Warn(msg string, kv ...any) { l.log(LevelWarn, msg, kv) }

// Error logs at error level; see Debug.
func (l *Logger) Error(msg string, kv ...any) { l.log(LevelError, msg, kv) }

// Fail writes the one line pidone prints when something cannot go on (a
// usage error, a command that cannot start): at error level, and in text
// format as plain "pidone: msg", the way tini and a shell say it.
func (l *Logger) Fail(msg string, kv ...any) { l.write(LevelError, false, msg, kv) }

func (l *Logger) log(level Level, msg string, kv []any) { l.write(level, true, msg, kv) }

func (l *Logger) write(level Level, label bool, msg string, kv []any) {
	if !l.Enabled(level) {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buf[:0]
	if l.json {
		b = append(b, `{"time":`...)
		b = jsontext.AppendString(b, time.Now().Format(time.RFC3339Nano))
		b = append(b, `,"level":`...)
		b = jsontext.AppendString(b, level.String())
		b = append(b, `,"msg":`...)
		b = jsontext.AppendString(b, msg)
		for i := 0; i+1 < len(kv); i += 2 {
			b = append(b, ',')
			b = jsontext.AppendString(b, fmt.Sprint(kv[i]))
			b = append(b, ':')
			b = appendJSONValue(b, kv[i+1])
		}
		b = append(b, "}\n"...)
	} else {
		b = append(b, "pidone: "...)
		if label && level >= LevelWarn {
			b = append(b, strings.ToLower(level.String())...)
			b = append(b, ": "...)
		}
		b = append(b, msg...)
		for i := 0; i+1 < len(kv); i += 2 {
			b = append(b, ' ')
			b = append(b, fmt.Sprint(kv[i])...)
			b = append(b, '=')
			b = appendTextValue(b, kv[i+1])
		}
		b = append(b, '\n')
	}
	l.buf = b
	l.w.Log(b)
}

func appendTextValue(b []byte, v any) []byte {
	s := fmt.Sprint(v)
	if s == "" || strings.ContainsAny(s, " \"=\n\t") || !utf8.ValidString(s) {
		return strconv.AppendQuote(b, s)
	}
	return append(b, s...)
}

func appendJSONValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case bool:
		return strconv.AppendBool(b, x)
	case []int:
		b = append(b, '[')
		for i, n := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(n), 10)
		}
		return append(b, ']')
	}
	return jsontext.AppendString(b, fmt.Sprint(v))
}
