package procfile

import (
	"fmt"
	"strings"
)

// lookupFunc is the shape of os.LookupEnv.
type lookupFunc func(name string) (value string, ok bool)

// overlay returns a lookup that sees vars before falling back to base.
// It reads vars when called, so it sees what is added to it later.
func overlay(base lookupFunc, vars map[string]string) lookupFunc {
	return func(name string) (string, bool) {
		if v, ok := vars[name]; ok {
			return v, true
		}
		return base(name)
	}
}

// envMap turns "NAME=value" strings into a map, later ones winning.
func envMap(env []string) map[string]string {
	m := make(map[string]string, len(env))
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		m[name] = value
	}
	return m
}

// segment is a piece of an expanded word. split marks a piece that came
// from outside quotes, which sh splits into fields and matches against
// file names; from names the variable whose value it is, if any.
type segment struct {
	text  string
	split bool
	from  string
}

// expander expands the nodes of one word.
type expander struct {
	get  lookupFunc
	segs []segment
}

// expand appends the segments of nodes.
func (x *expander) expand(nodes []node) *Error {
	for _, n := range nodes {
		if n.param == nil {
			x.segs = append(x.segs, segment{text: string(n.text), split: !n.quoted})
			continue
		}
		if err := x.param(n.param, n.quoted); err != nil {
			return err
		}
	}
	return nil
}

// param expands one parameter as sh does: the colon forms treat an empty
// variable like an unset one, the others only an unset one.
func (x *expander) param(p *param, quoted bool) *Error {
	v, set := x.get(p.name)
	if strings.IndexByte(v, 0) >= 0 {
		return errorf("variable %s holds a NUL byte, which no argument can carry", p.name)
	}
	null := !set || v == "" && strings.HasPrefix(p.op, ":")
	switch strings.TrimPrefix(p.op, ":") {
	case "-":
		if null {
			return x.expand(p.word)
		}
	case "+":
		if null {
			return nil
		}
		return x.expand(p.word)
	case "?":
		if null {
			return x.failure(p)
		}
	}
	x.segs = append(x.segs, segment{text: v, split: !quoted, from: p.name})
	return nil
}

// failure is the error of ${NAME?message} and ${NAME:?message}, worded
// as sh words it.
func (x *expander) failure(p *param) *Error {
	if !p.hasWord {
		if p.op == ":?" {
			return errorf("%s: parameter not set or null", p.name)
		}
		return errorf("%s: parameter not set", p.name)
	}
	msg, err := expandString(p.word, x.get)
	if err != nil {
		return err
	}
	return errorf("%s: %s", p.name, msg)
}

// expandString expands nodes to one string, without field splitting: the
// value of an assignment, or the message of ${X:?message}.
func expandString(nodes []node, get lookupFunc) (string, *Error) {
	x := expander{get: get}
	if err := x.expand(nodes); err != nil {
		return "", err
	}
	var b strings.Builder
	for _, s := range x.segs {
		b.WriteString(s.text)
	}
	return b.String(), nil
}

// expandFields expands nodes and splits the result into fields at
// spaces, tabs and newlines, as sh does with its default IFS. IFS from
// the environment is deliberately ignored: it would change how every
// later line splits. why is set when a value from a variable would be
// matched against file names by sh, which pidone leaves to a shell.
func expandFields(nodes []node, get lookupFunc) (fields []string, why string, err *Error) {
	x := expander{get: get}
	if err := x.expand(nodes); err != nil {
		return nil, "", err
	}
	var cur strings.Builder
	has := false // cur holds a field, even an empty one: "" is a word
	for _, s := range x.segs {
		if !s.split {
			cur.WriteString(s.text)
			has = true
			continue
		}
		if s.from != "" && why == "" && strings.ContainsAny(s.text, "*?[") {
			why = fmt.Sprintf("pattern matching (the value of %s holds %q)", s.from, s.text[strings.IndexAny(s.text, "*?["):][:1])
		}
		for i := 0; i < len(s.text); i++ {
			switch c := s.text[i]; c {
			case ' ', '\t', '\n':
				if has {
					fields = append(fields, cur.String())
					cur.Reset()
					has = false
				}
			default:
				cur.WriteByte(c)
				has = true
			}
		}
	}
	if has {
		fields = append(fields, cur.String())
	}
	return fields, why, nil
}
