//go:build !(linux && (amd64 || arm64))

package signals

// CatchReserved is a no-op where pidone has no assembly handler: signals
// 32–34 keep the disposition pidone inherited.
func CatchReserved() error { return nil }
