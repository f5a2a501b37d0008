package supervise

import (
	"context"

	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// NewLogger returns the logger for pidone's own messages: one line per
// event on w, as "pidone: message key=value ..." (format "text") or as one
// JSON object with time, level and msg (format "json").
func NewLogger(w io.Writer, format string, level slog.Level) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(&textHandler{w: w, level: level, mu: new(sync.Mutex)})
}

// textHandler writes the plain format. slog's own text handler puts time
// and level first; pidone's lines read like those of other Unix tools.
type textHandler struct {
	w     io.Writer
	level slog.Level
	mu    *sync.Mutex
	attrs []slog.Attr
}

func (h *textHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level }

func (h *textHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString("pidone: ")
	if r.Level >= slog.LevelWarn {
		b.WriteString(strings.ToLower(r.Level.String()))
		b.WriteString(": ")
	}
	b.WriteString(r.Message)
	for _, a := range h.attrs {
		writeAttr(&b, a)
	}
	r.Attrs(func(a slog.Attr) bool {
		writeAttr(&b, a)
		return true
	})
	b.WriteByte('\n')
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.w, b.String())
	return err
}

func writeAttr(b *strings.Builder, a slog.Attr) {
	b.WriteByte(' ')
	b.WriteString(a.Key)
	b.WriteByte('=')
	v := a.Value.Resolve().String()
	if v == "" || strings.ContainsAny(v, " \"=\n\t") || !utf8.ValidString(v) {
		v = strconv.Quote(v)
	}
	b.WriteString(v)
}

func (h *textHandler) WithAttrs(as []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append(append([]slog.Attr(nil), h.attrs...), as...)
	return &c
}

// WithGroup is not used by pidone; groups are flattened.
func (h *textHandler) WithGroup(string) slog.Handler { return h }

// LevelFor maps the number of -v flags to a log level: warnings by
// default, then info, then debug.
func LevelFor(verbose int) slog.Level {
	switch {
	case verbose <= 0:
		return slog.LevelWarn
	case verbose == 1:
		return slog.LevelInfo
	}
	return slog.LevelDebug
}
