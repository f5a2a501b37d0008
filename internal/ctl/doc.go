// Package ctl is pidone's control channel: the protocol, the server that a
// running pidone offers, and the client behind `pidone --ctl VERB [ARG...]`,
// which an operator or a health check runs in the container with
// `docker exec` or `kubectl exec`.
//
// The server owns no process state. It turns each permitted connection
// into a Call on a channel; pidone's loop, which owns everything, answers
// with Call.Reply whenever it is done, and the server writes the answer.
//
// # Protocol
//
// One request and one response per connection, over a Unix stream socket.
// A request is one line of at most 4 KiB (MaxRequest), printable ASCII,
// words separated by single spaces, ending in a newline:
//
//	pidone-ctl/1 status
//	pidone-ctl/1 restart web
//	pidone-ctl/1 stop web
//	pidone-ctl/1 start web
//	pidone-ctl/1 signal web SIGHUP
//
// The first word names the protocol and its version, so that two pidone
// versions that meet (a nested pidone, a shared PID namespace) fail
// cleanly. NAME is a Procfile name; SIG is spelled as signals.Name spells
// it. How status is shown (--json) stays with the client.
//
// A response is lines of the same alphabet, in this order, the last one
// "end" so that a cut answer is seen as one:
//
//	pidone-ctl/1 STATUS
//	message TEXT                                   optional, at most 1 KiB
//	phase PHASE                                    status only, then:
//	process NAME PID STATE RESTARTS UPTIME_NS LAST one per process
//	end
//
// STATUS is the client's exit status. PID is 0 for a process that is not
// running, UPTIME_NS its current run's length in nanoseconds, and LAST the
// exit status of its last run or -1. The encoding is canonical: the
// decoders accept exactly what the encoders write (no leading zeros, no
// other signal spellings, no extra blanks or lines), and reject the rest
// with an error. Anything a peer sends is bounded before it is read.
//
// # Naming
//
// The server binds an abstract socket (no file system, so a read-only
// root works; no port, so nothing is exposed):
//
//	@pidone-ctl/<inode of pidone's PID namespace>/<pidone's pid in it>
//
// Abstract names live in the network namespace, which the containers of a
// Kubernetes pod share; each container usually has its own PID namespace,
// with its pidone as pid 1. The inode of /proc/self/ns/pid tells those
// namespaces apart, and the pid tells apart the pidones of one PID
// namespace (a nested pidone; a pod with a shared PID namespace, where
// pause is pid 1 and each container's pidone has another pid).
//
// # Discovery
//
// The client reads the listening sockets of its network namespace in
// /proc/net/unix and keeps those named with the inode of its own PID
// namespace. It connects to each and asks the kernel who bound it
// (SO_PEERCRED, which reports the pid in the client's PID namespace): a
// socket held by any other pid than its name claims is ignored. Anyone in
// the network namespace may bind any abstract name, but a process in
// another PID namespace cannot hold the pid a name claims in ours, so
// another container cannot pose as this one's pidone.
//
// One pidone left is the answer. When several are (all in this PID
// namespace), the client prefers, in this order:
//
//  1. the nearest one it descends from: a process that pidone started
//     means its own pidone;
//  2. those in its own mount namespace, which is its container's when it
//     came in with docker exec or kubectl exec; of those
//  3. the ones whose closest common ancestor with the client is nearest
//     to it: a script or test harness that started a pidone as a
//     subreaper, and runs --ctl, means that pidone; and of those
//  4. the ones that descend from no other: the outermost pidone of a
//     nested pair.
//
// More than one left is an error naming their pids, never a guess. The
// third rule reads the process tree as it is: a pidone whose starter has
// exited (a double fork) is related to the client only through init, and
// a nearer stranger of the same mount namespace is preferred to it. The
// client's /proc may belong to another PID namespace than the client
// (`nsenter --pid --net` keeps the host's /proc): the NSpid lines of
// /proc/*/status translate pids before any /proc/PID is read, and only
// when there is something to rank.
//
// Known limits. A process of this PID namespace can bind a name with its
// own pid and pose as a pidone; it runs in the container already. A
// process in the network namespace can bind a pidone's name before that
// pidone does (the name is predictable), which keeps that pidone from
// serving, not from running. A pidone inside a nested pidone can be
// reached only from its own descendants or from another mount namespace.
// Discovery needs /proc (self/ns/pid, net/unix); so does Listen
// (self/ns/pid).
//
// # Security
//
// Abstract sockets have no permissions: anyone in the network namespace
// can connect. The server checks the client's credentials with
// SO_PEERCRED, recorded by the kernel at connect time, and serves only uid
// 0 and pidone's own effective uid (who could signal its processes
// anyway); anyone else gets a refusal and is disconnected at once, before
// it can read a byte of theirs or hold one of the connection slots. Replies are sent with MSG_NOSIGNAL, so a client that
// hangs up cannot make pidone raise, and then forward, a SIGPIPE.
//
// # Deadlines and limits
//
// The server waits for connections in the runtime's poller, with no timer:
// an idle pidone does not wake up. Once connected a client has
// ReadTimeout (2 s) to send its request, and the answer gets WriteTimeout
// (2 s) to go out; a client that sends nothing, garbage or too much gets
// an error answer or is dropped, and holds nothing longer. MaxConns (8)
// connections are served at once, each until the loop answers it; more are
// refused. The wait for the loop's answer has no deadline of the server's:
// a restart answers when the process runs again.
//
// The client connects within 2 s and waits at most 10 s for the answer to
// status, so a health check fails rather than hang; the other verbs wait
// for their work to finish.
//
// # Exit statuses
//
// The server computes the status each response carries: for status, 0
// when no stop is in progress and every service is ready, else 1 (Docker's
// HEALTHCHECK convention); for restart, stop, start and signal, 0 done and
// 1 failed; 2 for a request it cannot take, such as an unknown NAME. The
// client exits with it, with 2 for its own usage errors and 1 when no
// pidone answered.
package ctl
