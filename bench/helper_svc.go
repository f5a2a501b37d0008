package main

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// The processes of the multi-process and services measurements find what
// they need in the environment, because s6-supervise runs ./run without
// arguments.
const (
	upFIFOEnv = "BENCH_UP_FIFO" // the FIFO each process writes one byte to once it runs
	upExecEnv = "BENCH_UP_EXEC" // what it then executes (sleep), with a long duration
)

// serveDelay is how long a service of the services measurement takes to
// become ready: long enough that pidone has to check more than once.
const serveDelay = 100 * time.Millisecond

// helperUp writes one byte to $BENCH_UP_FIFO and executes $BENCH_UP_EXEC,
// a sleep: the bench counts the bytes to know that every process runs,
// and the supervisors then watch a small process that dies of SIGTERM.
func helperUp() int {
	fifo, exe := os.Getenv(upFIFOEnv), os.Getenv(upExecEnv)
	if fifo == "" || exe == "" {
		fmt.Fprintf(os.Stderr, "bench helper up: %s and %s must be set\n", upFIFOEnv, upExecEnv)
		return 2
	}
	fd, err := syscall.Open(fifo, syscall.O_WRONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench helper up:", err)
		return 1
	}
	if _, err := syscall.Write(fd, []byte{'u'}); err != nil {
		fmt.Fprintln(os.Stderr, "bench helper up:", err)
		return 1
	}
	syscall.Close(fd)
	err = syscall.Exec(exe, []string{filepath.Base(exe), "1000000"}, os.Environ())
	fmt.Fprintln(os.Stderr, "bench helper up:", err)
	return 1
}

// helperTouch creates path: the one-shot of the services Procfile.
func helperTouch(path string) int {
	if err := touch(path); err != nil {
		fmt.Fprintln(os.Stderr, "bench helper touch:", err)
		return 1
	}
	return 0
}

func touch(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	return f.Close()
}

// helperServe is a service of the services Procfile: after serveDelay it
// becomes ready the way kind says (tcp PORT: listens on 127.0.0.1:PORT;
// file PATH: creates PATH; log TEXT: prints a line with TEXT; notify:
// sends READY=1 to $NOTIFY_SOCKET), then runs until SIGTERM and exits 0.
func helperServe(kind, arg string) int {
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	time.Sleep(serveDelay)
	var err error
	switch kind {
	case "tcp":
		err = serveTCP(arg)
	case "file":
		err = touch(arg)
	case "log":
		_, err = fmt.Printf("serve: %s\n", arg)
	case "notify":
		err = sdNotify("READY=1")
	default:
		err = fmt.Errorf("unknown kind %q", kind)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench helper serve %s: %v\n", kind, err)
		return 1
	}
	<-term
	return 0
}

// serveTCP listens on 127.0.0.1:port and accepts (and closes) connections
// in the background, so that a readiness check can connect.
func serveTCP(port string) error {
	n, err := strconv.Atoi(port)
	if err != nil {
		return fmt.Errorf("port %q: %w", port, err)
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("socket: %w", err)
	}
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
		return fmt.Errorf("SO_REUSEADDR: %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrInet4{Port: n, Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		return fmt.Errorf("bind 127.0.0.1:%d: %w", n, err)
	}
	if err := unix.Listen(fd, 16); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	go func() {
		for {
			c, _, err := unix.Accept4(fd, unix.SOCK_CLOEXEC)
			switch {
			case err == nil:
				unix.Close(c)
			case err != unix.EINTR && err != unix.ECONNABORTED:
				return
			}
		}
	}()
	return nil
}

// sdNotify sends msg to $NOTIFY_SOCKET, a unixgram socket whose name may
// start with '@' for the abstract namespace (x/sys/unix turns that '@'
// into the leading NUL byte).
func sdNotify(msg string) error {
	name := os.Getenv("NOTIFY_SOCKET")
	if name == "" {
		return fmt.Errorf("NOTIFY_SOCKET is not set")
	}
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("socket: %w", err)
	}
	defer unix.Close(fd)
	if err := unix.Sendto(fd, []byte(msg), 0, &unix.SockaddrUnix{Name: name}); err != nil {
		return fmt.Errorf("send to %s: %w", name, err)
	}
	return nil
}
