package output

import (
	"bytes"
	"os"
)

// maxLine is the longest line pidone writes in one piece; a longer one is
// split into several prefixed lines rather than dropped or held in memory.
const maxLine = 64 << 10

// pipeSize is what pidone asks the kernel for each output pipe; readSize
// is how much a copier takes at once. The read buffer stays smaller than
// the pipe: it is held for every stream of every process.
const (
	pipeSize = 1 << 20
	readSize = 256 << 10
)

// copy moves what a process writes to dst a line at a time, each line
// with prefix in front, until the last writer is gone.
func (o *Out) copy(r *os.File, dst *Sink, prefix []byte, match *matcher) {
	defer o.copiers.Done()
	defer r.Close()
	buf := make([]byte, readSize)
	var carry, out []byte
	for {
		n, err := r.Read(buf)
		out = out[:0]
		data := buf[:max(n, 0)]
		for len(data) > 0 {
			i := bytes.IndexByte(data, '\n')
			if i < 0 {
				carry = append(carry, data...)
				break
			}
			line := data[:i]
			if len(carry) > 0 {
				carry = append(carry, line...)
				line = carry
			}
			if match != nil {
				match.see(line)
			}
			out = appendLines(out, prefix, line)
			carry = carry[:0]
			data = data[i+1:]
		}
		for len(carry) >= maxLine {
			out = appendLine(out, prefix, carry[:maxLine])
			carry = append(carry[:0], carry[maxLine:]...)
		}
		if err != nil && len(carry) > 0 {
			// The last line had no newline: it is still written, ended.
			if match != nil {
				match.see(carry)
			}
			out = appendLine(out, prefix, carry)
			carry = carry[:0]
		}
		if len(out) > 0 {
			dst.Write(out)
		}
		if err != nil {
			return
		}
	}
}

// appendLines appends line, split into pieces of at most maxLine.
func appendLines(out, prefix, line []byte) []byte {
	for len(line) > maxLine {
		out = appendLine(out, prefix, line[:maxLine])
		line = line[maxLine:]
	}
	return appendLine(out, prefix, line)
}

func appendLine(out, prefix, line []byte) []byte {
	out = append(out, prefix...)
	out = append(out, line...)
	return append(out, '\n')
}
