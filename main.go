// Command pidone is a container init: it runs as PID 1, starts one or many
// processes, forwards signals to them, reaps every zombie and shuts the
// container down gracefully. SPEC.md is its contract and README.md its
// manual; package cli (internal/cli) is where it starts.
package main

import (
	"os"
	"runtime/debug"

	"github.com/pidone/pidone/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=..." (the
// release builds do); otherwise the module version go install recorded.
var version = ""

func main() {
	os.Exit(cli.Main(os.Args[1:], versionOf()))
}

func versionOf() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "0.1.0-dev"
}
