package account

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A FIFO as /etc/passwd hung pidone at start: opening it for reading
// waits for a writer that never comes. It must be refused at once.
func TestFIFOPasswdRefusedNotHung(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "passwd")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := Files{Passwd: fifo, Group: "testdata/group"}.Lookup("alice")
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("got %v, want a refusal of the FIFO", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Lookup hung on a FIFO")
	}
}
