package main

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// median returns the median of xs (the mean of the two middle values for
// an even count), or NaN for an empty slice. xs is not modified.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := sorted(xs)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// percentile returns the p-th percentile (0 < p <= 100) of xs by the
// nearest-rank method: the smallest value with at least p% of the samples
// at or below it. NaN for an empty slice. xs is not modified.
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 || p <= 0 || p > 100 {
		return math.NaN()
	}
	s := sorted(xs)
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	if rank < 1 {
		rank = 1
	}
	return s[rank-1]
}

func sorted(xs []float64) []float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s
}

// ms converts durations to milliseconds.
func ms(ds []time.Duration) []float64 {
	out := make([]float64, len(ds))
	for i, d := range ds {
		out[i] = float64(d) / float64(time.Millisecond)
	}
	return out
}

// us converts durations to microseconds.
func us(ds []time.Duration) []float64 {
	out := make([]float64, len(ds))
	for i, d := range ds {
		out[i] = float64(d) / float64(time.Microsecond)
	}
	return out
}

// row is one line of the results table: a figure for each init, the
// lower (or higher) the better.
type row struct {
	name       string
	unit       string
	higherBest bool
	plain      bool // a count to read, not to rank: no ratios, no best peer
	decimals   int
	vals       map[string]float64 // by init name; absent or NaN = not measured
	errs       map[string]string  // by init name: why there is no value
}

func newRow(name, unit string, decimals int) *row {
	return &row{name: name, unit: unit, decimals: decimals,
		vals: map[string]float64{}, errs: map[string]string{}}
}

func (r *row) set(init string, v float64) { r.vals[init] = v }

func (r *row) fail(init string, err error) {
	r.errs[init] = err.Error()
	delete(r.vals, init)
}

func (r *row) value(init string) (float64, bool) {
	v, ok := r.vals[init]
	return v, ok && !math.IsNaN(v)
}

// best returns the best value among the given peers and its owner.
func (r *row) best(peers []string) (float64, string, bool) {
	bv, bn, found := 0.0, "", false
	for _, p := range peers {
		v, ok := r.value(p)
		if !ok {
			continue
		}
		if !found || (r.higherBest && v > bv) || (!r.higherBest && v < bv) {
			bv, bn, found = v, p, true
		}
	}
	return bv, bn, found
}

// ratio formats v relative to best as "1.23×"; "" when it cannot be said.
func ratio(v, best float64) string {
	switch {
	case math.IsNaN(v) || math.IsNaN(best):
		return ""
	case best == 0 && v == 0:
		return "1.00×"
	case best == 0:
		return "∞ (best is 0)"
	}
	return fmt.Sprintf("%.2f×", v/best)
}

func formatNum(v float64, decimals int) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	s := fmt.Sprintf("%.*f", decimals, v)
	// Thousands separators for the integer part, for readability of sizes.
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// renderTable renders rows as a Markdown table with one column per init:
// each cell is the value and its ratio to the best peer's value, and the
// last column names the best peer.
func renderTable(rows []*row, inits, peers []string) string {
	var b strings.Builder
	b.WriteString("| measurement | unit |")
	for _, n := range inits {
		fmt.Fprintf(&b, " %s |", n)
	}
	b.WriteString(" best peer |\n|---|---|")
	for range inits {
		b.WriteString("---:|")
	}
	b.WriteString("---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s |", r.name, r.unit)
		bv, bn, found := r.best(peers)
		if r.plain {
			found = false
		}
		for _, n := range inits {
			v, ok := r.value(n)
			switch {
			case ok && found:
				fmt.Fprintf(&b, " %s (%s) |", formatNum(v, r.decimals), ratio(v, bv))
			case ok:
				fmt.Fprintf(&b, " %s |", formatNum(v, r.decimals))
			case r.errs[n] != "":
				b.WriteString(" n/a¹ |")
			default: // not an init this row measures
				b.WriteString(" — |")
			}
		}
		if found {
			fmt.Fprintf(&b, " %s |\n", bn)
		} else {
			b.WriteString(" — |\n")
		}
	}
	return b.String()
}

// rowErrors lists the reasons behind the n/a¹ cells.
func rowErrors(rows []*row, inits []string) []string {
	var out []string
	for _, r := range rows {
		for _, n := range inits {
			if e := r.errs[n]; e != "" {
				out = append(out, fmt.Sprintf("%s, %s: %s", r.name, n, e))
			}
		}
	}
	return out
}
