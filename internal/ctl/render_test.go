package ctl

import (
	"bytes"
	"encoding/json"
	"github.com/pidone/pidone/internal/jsontext"
	"reflect"
	"testing"
	"time"
)

var sampleSnapshot = &Snapshot{
	Phase: PhaseRunning,
	Processes: []ProcessStatus{
		{Name: "migrate", State: StateCompleted, LastStatus: 0},
		{Name: "web", Pid: 4242, State: StateReady, Restarts: 12, Uptime: 3*time.Hour + 2*time.Minute + 5*time.Second, LastStatus: 143},
		{Name: "worker-long-name", Pid: 7, State: StateBackingOff, Uptime: 999 * time.Millisecond, LastStatus: -1},
	},
}

func TestRenderTable(t *testing.T) {
	var b bytes.Buffer
	if err := RenderTable(&b, sampleSnapshot); err != nil {
		t.Fatal(err)
	}
	want := "" +
		"NAME              PID   STATE        RESTARTS  UPTIME  LAST\n" +
		"migrate           -     completed    0         -       0\n" +
		"web               4242  ready        12        3h2m    143\n" +
		"worker-long-name  7     backing-off  0         0s      -\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestRenderTableEmpty(t *testing.T) {
	var b bytes.Buffer
	if err := RenderTable(&b, &Snapshot{Phase: PhaseRunning}); err != nil {
		t.Fatal(err)
	}
	if want := "NAME  PID  STATE  RESTARTS  UPTIME  LAST\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestFormatUptime(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{999 * time.Millisecond, "0s"},
		{59 * time.Second, "59s"},
		{60 * time.Second, "1m0s"},
		{3*time.Minute + 7*time.Second, "3m7s"},
		{time.Hour - time.Nanosecond, "59m59s"},
		{5*time.Hour + 3*time.Minute + 59*time.Second, "5h3m"},
		{24 * time.Hour, "1d0h"},
		{12*24*time.Hour + 5*time.Hour + 59*time.Minute, "12d5h"},
		{1<<63 - 1, "106751d23h"},
	} {
		if got := formatUptime(tt.d); got != tt.want {
			t.Errorf("formatUptime(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// jsonDoc is the document RenderJSON promises, read back by encoding/json.
type jsonDoc struct {
	Status    *int        `json:"status"`
	Message   *string     `json:"message"`
	Phase     *string     `json:"phase"`
	Processes []jsonEntry `json:"processes"`
}

type jsonEntry struct {
	Name          string   `json:"name"`
	Pid           *int     `json:"pid"`
	State         string   `json:"state"`
	Restarts      int      `json:"restarts"`
	UptimeSeconds *float64 `json:"uptime_seconds"`
	LastStatus    *int     `json:"last_status"`
}

func decodeJSON(t *testing.T, b []byte) (jsonDoc, map[string]json.RawMessage) {
	t.Helper()
	if n := bytes.Count(b, []byte("\n")); n != 1 || b[len(b)-1] != '\n' {
		t.Fatalf("not one line: %q", b)
	}
	var doc jsonDoc
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if dec.More() {
		t.Fatalf("more than one document: %s", b)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	return doc, raw
}

func ptr[T any](v T) *T { return &v }

func TestRenderJSON(t *testing.T) {
	var b bytes.Buffer
	if err := RenderJSON(&b, Response{Status: 1, Message: `say "hi" \ there`, Snapshot: sampleSnapshot}); err != nil {
		t.Fatal(err)
	}
	doc, _ := decodeJSON(t, b.Bytes())
	want := jsonDoc{
		Status:  ptr(1),
		Message: ptr(`say "hi" \ there`),
		Phase:   ptr("running"),
		Processes: []jsonEntry{
			{Name: "migrate", State: "completed", UptimeSeconds: ptr(0.0), LastStatus: ptr(0)},
			{Name: "web", Pid: ptr(4242), State: "ready", Restarts: 12, UptimeSeconds: ptr(10925.0), LastStatus: ptr(143)},
			{Name: "worker-long-name", Pid: ptr(7), State: "backing-off", UptimeSeconds: ptr(0.999)},
		},
	}
	if !reflect.DeepEqual(doc, want) {
		t.Errorf("got %s", b.String())
	}
}

func TestRenderJSONWithoutSnapshot(t *testing.T) {
	for _, tt := range []struct {
		resp      Response
		processes string
	}{
		{Response{Status: 1, Message: "permission denied"}, "null"},
		{Response{Snapshot: &Snapshot{Phase: PhaseRunning}}, "[]"},
	} {
		var b bytes.Buffer
		if err := RenderJSON(&b, tt.resp); err != nil {
			t.Fatal(err)
		}
		_, raw := decodeJSON(t, b.Bytes())
		for _, key := range []string{"status", "message", "phase", "processes"} {
			if _, ok := raw[key]; !ok {
				t.Errorf("%s: no %q", b.String(), key)
			}
		}
		if got := string(raw["processes"]); got != tt.processes {
			t.Errorf("%s: processes %s, want %s", b.String(), got, tt.processes)
		}
	}
}

func TestJSONString(t *testing.T) {
	for _, s := range []string{
		"", "plain", `"`, `\`, "\x00\x01\x1f\x7f", "tab\there\nnewline\r",
		"caf\u00e9 \u2028 \U0001F600", "</script>", "bad \xff utf-8 \xc3",
	} {
		b := jsontext.AppendString(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Errorf("%q: %s does not parse: %v", s, b, err)
			continue
		}
		// What encoding/json itself makes of s: invalid bytes are U+FFFD.
		ref, _ := json.Marshal(s)
		var want string
		if err := json.Unmarshal(ref, &want); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%q: %s reads back as %q, want %q", s, b, got, want)
		}
	}
}
