package ctl

import (
	"github.com/pidone/pidone/internal/jsontext"
	"io"
	"strconv"
	"strings"
	"time"
)

// tableHeader names the columns of RenderTable.
var tableHeader = [...]string{"NAME", "PID", "STATE", "RESTARTS", "UPTIME", "LAST"}

// RenderTable writes one line per process of s under a header, columns
// aligned: name, pid, state, restarts, uptime, last status. A process that
// is not running shows "-" for its pid and uptime, and one that has not
// exited yet "-" for its last status.
func RenderTable(w io.Writer, s *Snapshot) error {
	rows := [][]string{tableHeader[:]}
	for _, p := range s.Processes {
		pid, up, last := "-", "-", "-"
		if p.Pid != 0 {
			pid, up = strconv.Itoa(p.Pid), formatUptime(p.Uptime)
		}
		if p.LastStatus >= 0 {
			last = strconv.Itoa(p.LastStatus)
		}
		rows = append(rows, []string{p.Name, pid, p.State, strconv.Itoa(p.Restarts), up, last})
	}
	width := make([]int, len(tableHeader))
	for _, r := range rows {
		for i, cell := range r {
			width[i] = max(width[i], len(cell))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		for i, cell := range r {
			b.WriteString(cell)
			if i < len(r)-1 { // no trailing blanks
				b.WriteString(strings.Repeat(" ", width[i]-len(cell)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// formatUptime writes d in its two largest units, as people read an
// uptime: "42s", "3m7s", "5h3m", "12d5h".
func formatUptime(d time.Duration) string {
	s := int64(d / time.Second)
	switch {
	case s < 60:
		return strconv.FormatInt(s, 10) + "s"
	case s < 3600:
		return strconv.FormatInt(s/60, 10) + "m" + strconv.FormatInt(s%60, 10) + "s"
	case s < 86400:
		return strconv.FormatInt(s/3600, 10) + "h" + strconv.FormatInt(s%3600/60, 10) + "m"
	}
	return strconv.FormatInt(s/86400, 10) + "d" + strconv.FormatInt(s%86400/3600, 10) + "h"
}

// RenderJSON writes r as one JSON document on one line:
//
//	{"status":0,"message":"","phase":"running","processes":[
//	  {"name":"web","pid":12,"state":"ready","restarts":0,
//	   "uptime_seconds":3.25,"last_status":null}]}
//
// "phase" and "processes" are null when r has no snapshot; "pid" is null
// for a process that is not running and "last_status" for one that has
// not exited yet. The encoder is written out rather than taken from
// encoding/json, which would add its reflection to pidone's binary for one
// fixed shape.
func RenderJSON(w io.Writer, r Response) error {
	b := make([]byte, 0, 256)
	b = append(b, `{"status":`...)
	b = strconv.AppendInt(b, int64(r.Status), 10)
	b = append(b, `,"message":`...)
	b = jsontext.AppendString(b, r.Message)
	if s := r.Snapshot; s == nil {
		b = append(b, `,"phase":null,"processes":null`...)
	} else {
		b = append(b, `,"phase":`...)
		b = jsontext.AppendString(b, s.Phase)
		b = append(b, `,"processes":[`...)
		for i, p := range s.Processes {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"name":`...)
			b = jsontext.AppendString(b, p.Name)
			b = append(b, `,"pid":`...)
			b = appendNullable(b, p.Pid, p.Pid != 0)
			b = append(b, `,"state":`...)
			b = jsontext.AppendString(b, p.State)
			b = append(b, `,"restarts":`...)
			b = strconv.AppendInt(b, int64(p.Restarts), 10)
			b = append(b, `,"uptime_seconds":`...)
			b = strconv.AppendFloat(b, p.Uptime.Truncate(time.Millisecond).Seconds(), 'f', -1, 64)
			b = append(b, `,"last_status":`...)
			b = appendNullable(b, p.LastStatus, p.LastStatus >= 0)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, "}\n"...)
	_, err := w.Write(b)
	return err
}

func appendNullable(b []byte, n int, ok bool) []byte {
	if !ok {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, int64(n), 10)
}
