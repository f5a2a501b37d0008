// Package procfs reads the little pidone needs from /proc: a process's
// parent, group and state from /proc/PID/stat, the list of processes, and
// from those the processes below pidone.
//
// /proc/PID/stat is parsed here and nowhere else. Its second field, the
// command name, is in parentheses and may itself contain ") " and spaces,
// so the fields after it are counted from the last ')'.
//
// Every function reports ErrUnavailable when /proc is missing or shows
// another PID namespace than pidone's own (a PID 1 started in a new
// namespace with the old /proc still mounted would otherwise take the
// host's processes for its own): callers then know they are blind rather
// than that nothing is there.
package procfs
