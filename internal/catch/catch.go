package catch

import (
	"os"
	"os/signal"

	"golang.org/x/sys/unix"
)

// catch falls back to os/signal where pidone has no assembly handler: a
// goroutine copies what it delivers into the inbox. Correct, only slower
// to set up and one hop longer.
func catch(in *Inbox, sigs []unix.Signal) error {
	ch := make(chan os.Signal, 1024)
	list := make([]os.Signal, len(sigs))
	for i, s := range sigs {
		list[i] = s
	}
	signal.Notify(ch, list...)
	go func() {
		for s := range ch {
			_ = in.Post(byte(s.(unix.Signal)))
		}
	}()
	return nil
}
