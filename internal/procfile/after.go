package procfile

import (
	"fmt"
	"slices"
	"strings"
)

// checkAfter checks the PIDONE_AFTER lists of a whole file: every name is
// declared somewhere in it, none is its own line's, and no chain of them
// comes back to where it started, since such processes would wait for
// each other forever.
func checkAfter(entries []Entry) *Error {
	index := make(map[string]int, len(entries))
	for i, e := range entries {
		index[e.Name] = i
	}
	for _, e := range entries {
		for _, n := range e.Options.After {
			if n == e.Name {
				return &Error{Line: e.Line, Msg: fmt.Sprintf("PIDONE_AFTER: %q cannot wait for itself", n)}
			}
			if _, ok := index[n]; !ok {
				return &Error{Line: e.Line, Msg: fmt.Sprintf("PIDONE_AFTER: no line declares %q", n)}
			}
		}
	}
	if cycle := findCycle(entries, index); cycle != nil {
		names := make([]string, 0, len(cycle)+1)
		for _, i := range cycle {
			names = append(names, entries[i].Name)
		}
		names = append(names, names[0])
		return &Error{
			Line: entries[cycle[0]].Line,
			Msg:  "PIDONE_AFTER makes a cycle, where each waits for the next: " + strings.Join(names, " -> "),
		}
	}
	return nil
}

// findCycle returns the entries of one cycle of PIDONE_AFTER, in the
// order they wait for each other and starting from the one declared
// first, or nil when there is none. The search runs without recursion:
// a file may hold a chain of thousands of lines.
func findCycle(entries []Entry, index map[string]int) []int {
	const (
		unseen = iota
		onPath
		done
	)
	state := make([]int, len(entries))
	type frame struct{ entry, next int } // next: the After name to follow next
	for root := range entries {
		if state[root] != unseen {
			continue
		}
		path := []frame{{root, 0}}
		state[root] = onPath
		for len(path) > 0 {
			top := &path[len(path)-1]
			after := entries[top.entry].Options.After
			if top.next == len(after) {
				state[top.entry] = done
				path = path[:len(path)-1]
				continue
			}
			to := index[after[top.next]]
			top.next++
			switch state[to] {
			case onPath:
				var cycle []int
				for k := len(path) - 1; ; k-- {
					cycle = append(cycle, path[k].entry)
					if path[k].entry == to {
						break
					}
				}
				slices.Reverse(cycle)
				first := slices.Index(cycle, slices.Min(cycle))
				return append(cycle[first:], cycle[:first]...)
			case unseen:
				state[to] = onPath
				path = append(path, frame{to, 0})
			}
		}
	}
	return nil
}
