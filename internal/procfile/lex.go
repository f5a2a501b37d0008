package procfile

import (
	"fmt"
	"strings"
)

// A node is one piece of a word after quote removal: literal text, or a
// parameter expansion still to be done.
type node struct {
	// text is literal text, a byte slice so that a long run of it grows
	// in amortized constant time per byte.
	text []byte
	// quoted is true for text that came from quotes or a backslash, and
	// for an expansion inside double quotes: such a piece is never split
	// into fields, and it makes a field even when it is empty ("" is an
	// argument).
	quoted bool
	param  *param // non-nil for an expansion; text is then unused
}

// param is $NAME, ${NAME} or ${NAME op word}.
type param struct {
	name string
	op   string // "", "-", ":-", "+", ":+", "?" or ":?"
	word []node
	// hasWord tells ${X:?} (sh's own message) from ${X:?''} (an empty
	// one): sh makes the same distinction.
	hasWord bool
}

// word is one blank-separated word of a command, as written.
type word struct {
	start, end int // byte offsets in the command
	// name is set for a leading assignment NAME=value; nodes are then
	// the value only.
	name  string
	nodes []node
	// why names the first construct in the word that only a shell can
	// run, or is "" when there is none.
	why string
}

// lexer reads one command. It knows enough of the shell's grammar to find
// where every word ends, and to name what in a word would need a shell;
// the constructs it does not expand itself are only skipped over.
type lexer struct {
	s     string
	i     int    // next byte to read
	why   string // first shell-only construct of the current word
	depth int    // how deeply ${ and $( nest at lx.i
}

// maxDepth bounds how deeply ${...} and $(...) may nest, so that a line
// of a million "${X:-" costs an error rather than a deep recursion, here
// and when the result is expanded.
const maxDepth = 100

// enter notes one more level of nesting; leave undoes it.
func (lx *lexer) enter() *Error {
	if lx.depth++; lx.depth > maxDepth {
		return errorf("${ or $( nested more than %d deep", maxDepth)
	}
	return nil
}

func (lx *lexer) leave() { lx.depth-- }

// Contexts a '$' or a backslash can appear in. The rules differ in what a
// quote means and in what a backslash escapes.
type context int

const (
	ctxWord    context = iota // a word outside quotes
	ctxBrace                  // the word of ${X-word} outside double quotes
	ctxDquote                 // inside "..."
	ctxBraceDq                // the word of "${X-word}" and quotes within it
)

func (c context) quoted() bool { return c == ctxDquote || c == ctxBraceDq }

// isOperator reports the bytes that end a word outside quotes because they
// start one of the shell's operators.
func isOperator(c byte) bool {
	switch c {
	case '|', '&', ';', '<', '>', '(', ')', '\n':
		return true
	}
	return false
}

// operatorWhy describes the operator at s[i] for a message.
func operatorWhy(s string, i int) string {
	two := ""
	if i+1 < len(s) {
		two = s[i : i+2]
	}
	switch {
	case two == "&&" || two == "||":
		return fmt.Sprintf("a command list (%q)", two)
	case s[i] == '|':
		return `a pipe ("|")`
	case s[i] == '&':
		return `a background job ("&")`
	case s[i] == ';':
		return `a command separator (";")`
	case s[i] == '<' || s[i] == '>':
		return fmt.Sprintf("a redirection (%q)", s[i:i+1])
	case s[i] == '(' || s[i] == ')':
		return fmt.Sprintf("a subshell (%q)", s[i:i+1])
	}
	return "a newline, which separates commands"
}

func (lx *lexer) need(why string) {
	if lx.why == "" {
		lx.why = why
	}
}

// add appends literal text to nodes, joining it to the last node when
// both are literal and quoted alike.
func add(nodes []node, text string, quoted bool) []node {
	if n := len(nodes); n > 0 && nodes[n-1].param == nil && nodes[n-1].quoted == quoted {
		nodes[n-1].text = append(nodes[n-1].text, text...)
		return nodes
	}
	return append(nodes, node{text: []byte(text), quoted: quoted})
}

// word reads a word outside quotes, up to a blank, an operator or the end.
// assign is true for the value of a leading assignment, where sh expands
// a '~' after any ':' too and does no pattern matching.
func (lx *lexer) word(assign bool) ([]node, *Error) {
	var nodes []node
	start := true // at the start of the word or, in an assignment, after ':'
	for lx.i < len(lx.s) {
		c := lx.s[lx.i]
		if c == ' ' || c == '\t' || isOperator(c) {
			break
		}
		atStart := start
		start = false
		var err *Error
		switch c {
		case '\\':
			if lx.i+1 == len(lx.s) {
				return nil, errorf("trailing backslash: a command cannot continue on the next line")
			}
			if lx.s[lx.i+1] == '\n' {
				// A line continuation: sh removes both bytes.
				lx.i += 2
				start = atStart
				continue
			}
			nodes = add(nodes, lx.s[lx.i+1:lx.i+2], true)
			lx.i += 2
		case '\'':
			nodes, err = lx.single(nodes)
		case '"':
			nodes, err = lx.dquote(nodes, false)
		case '$':
			nodes, err = lx.dollar(nodes, ctxWord, assign)
		case '`':
			lx.need("command substitution (\"`\")")
			err = lx.skipBackquote()
		default:
			lx.literal(c, atStart, assign)
			nodes = add(nodes, lx.s[lx.i:lx.i+1], false)
			lx.i++
			start = assign && c == ':'
		}
		if err != nil {
			return nil, err
		}
	}
	return nodes, nil
}

// literal notes what an unquoted byte would make sh do beyond keeping it.
func (lx *lexer) literal(c byte, atStart, assign bool) {
	switch {
	case c == '~' && atStart:
		lx.need(`tilde expansion ("~")`)
	case (c == '*' || c == '?' || c == '[') && !assign:
		lx.need(fmt.Sprintf("pattern matching (%q)", string(c)))
	}
}

func (lx *lexer) single(nodes []node) ([]node, *Error) {
	end := strings.IndexByte(lx.s[lx.i+1:], '\'')
	if end < 0 {
		return nil, errorf("unterminated single quote (')")
	}
	nodes = add(nodes, lx.s[lx.i+1:lx.i+1+end], true)
	lx.i += end + 2
	return nodes, nil
}

// dquote reads "..." from the opening quote. Within the word of a ${...},
// sh lets a backslash escape '}' too, even inside nested quotes.
func (lx *lexer) dquote(nodes []node, inBrace bool) ([]node, *Error) {
	nodes = add(nodes, "", true) // "" is a word of its own
	ctx := ctxDquote
	if inBrace {
		ctx = ctxBraceDq
	}
	lx.i++
	for lx.i < len(lx.s) {
		c := lx.s[lx.i]
		var err *Error
		switch c {
		case '"':
			lx.i++
			return nodes, nil
		case '\\':
			nodes = lx.dqBackslash(nodes, inBrace)
		case '$':
			nodes, err = lx.dollar(nodes, ctx, false)
		case '`':
			lx.need("command substitution (\"`\")")
			err = lx.skipBackquote()
		default:
			nodes = add(nodes, lx.s[lx.i:lx.i+1], true)
			lx.i++
		}
		if err != nil {
			return nil, err
		}
	}
	return nil, errorf("unterminated double quote (\")")
}

// dqBackslash reads a backslash within double quotes, where it escapes
// only a few bytes and is kept before any other.
func (lx *lexer) dqBackslash(nodes []node, inBrace bool) []node {
	if lx.i+1 < len(lx.s) {
		switch next := lx.s[lx.i+1]; {
		case next == '\n':
			lx.i += 2
			return nodes
		case next == '$' || next == '`' || next == '"' || next == '\\' || inBrace && next == '}':
			lx.i += 2
			return add(nodes, string(next), true)
		}
	}
	lx.i++
	return add(nodes, `\`, true)
}

// dollar reads what starts at the '$' at lx.i.
func (lx *lexer) dollar(nodes []node, ctx context, assign bool) ([]node, *Error) {
	rest := lx.s[lx.i+1:]
	lit := func() []node {
		lx.i++
		return add(nodes, "$", ctx.quoted())
	}
	if rest == "" {
		return lit(), nil
	}
	switch c := rest[0]; {
	case c == '{':
		return lx.braced(nodes, ctx, assign)
	case isVarStart(c):
		n := 1
		for n < len(rest) && isVarByte(rest[n]) {
			n++
		}
		lx.i += 1 + n
		return append(nodes, node{quoted: ctx.quoted(), param: &param{name: rest[:n]}}), nil
	case c == '(':
		if strings.HasPrefix(rest, "((") {
			lx.need(`arithmetic expansion ("$((")`)
		} else {
			lx.need(`command substitution ("$(")`)
		}
		lx.i += 2
		return nodes, lx.skipParens()
	case c >= '0' && c <= '9' || strings.IndexByte("@*#?-$!", c) >= 0:
		lx.need(fmt.Sprintf("the special parameter %q", "$"+string(c)))
		lx.i += 2
		return nodes, nil
	case c == '\'' && !ctx.quoted():
		lx.need(`$'...' quoting`)
		lx.i += 2
		return nodes, lx.skipANSI()
	case c == '"' && !ctx.quoted():
		// POSIX leaves $"..." unspecified; bash translates it.
		lx.need(`$"..." quoting`)
		lx.i++
		return lx.dquote(nodes, ctx == ctxBrace)
	}
	// sh keeps a '$' that starts no expansion as it is.
	return lit(), nil
}

// braced reads ${...} from the '$'. It expands ${NAME} and the six forms
// with a default, an alternative or an error; every other form is left
// to a shell.
func (lx *lexer) braced(nodes []node, ctx context, assign bool) ([]node, *Error) {
	if err := lx.enter(); err != nil {
		return nil, err
	}
	defer lx.leave()
	open := lx.i
	j := lx.i + 2
	for j < len(lx.s) && isVarByte(lx.s[j]) {
		j++
	}
	name := lx.s[lx.i+2 : j]
	op := ""
	if isVarName(name) && j < len(lx.s) {
		switch c := lx.s[j]; {
		case c == '}':
			lx.i = j + 1
			return append(nodes, node{quoted: ctx.quoted(), param: &param{name: name}}), nil
		case c == '-' || c == '+' || c == '?':
			op = lx.s[j : j+1]
		case c == ':' && j+1 < len(lx.s) && strings.IndexByte("-+?", lx.s[j+1]) >= 0:
			op = lx.s[j : j+2]
		}
	}
	if op == "" {
		lx.i += 2
		if err := lx.skipBrace(ctx.quoted()); err != nil {
			return nil, err
		}
		lx.need(fmt.Sprintf("the expansion %q", lx.s[open:lx.i]))
		return nodes, nil
	}
	lx.i = j + len(op)
	wstart := lx.i
	w, err := lx.braceWord(ctx, assign)
	if err != nil {
		return nil, err
	}
	p := &param{name: name, op: op, word: w, hasWord: lx.i-1 > wstart}
	return append(nodes, node{quoted: ctx.quoted(), param: p}), nil
}

// braceWord reads the word of ${NAME op word} up to and including its
// closing brace. Outside double quotes the word is quoted, expanded and
// split into fields like any word, except that blanks and operators are
// part of it; inside double quotes a single quote is an ordinary byte.
func (lx *lexer) braceWord(ctx context, assign bool) ([]node, *Error) {
	quoted := ctx.quoted()
	inner := ctxBrace
	if quoted {
		inner = ctxBraceDq
	}
	var nodes []node
	start := true
	for lx.i < len(lx.s) {
		c := lx.s[lx.i]
		atStart := start
		start = false
		var err *Error
		switch {
		case c == '}':
			lx.i++
			return nodes, nil
		case c == '\\' && quoted:
			nodes = lx.dqBackslash(nodes, true)
		case c == '\\':
			if lx.i+1 == len(lx.s) {
				lx.i++
				continue // reported as an unterminated ${ below
			}
			if lx.s[lx.i+1] == '\n' {
				lx.i += 2
				start = atStart
				continue
			}
			nodes = add(nodes, lx.s[lx.i+1:lx.i+2], true)
			lx.i += 2
		case c == '\'' && !quoted:
			nodes, err = lx.single(nodes)
		case c == '"':
			nodes, err = lx.dquote(nodes, true)
		case c == '$':
			nodes, err = lx.dollar(nodes, inner, assign)
		case c == '`':
			lx.need("command substitution (\"`\")")
			err = lx.skipBackquote()
		default:
			if !quoted {
				lx.literal(c, atStart, assign)
				start = assign && c == ':'
			}
			nodes = add(nodes, lx.s[lx.i:lx.i+1], quoted)
			lx.i++
		}
		if err != nil {
			return nil, err
		}
	}
	return nil, errorf("unterminated ${: expected } to close it")
}

// The skip functions step over what only a shell can run, so that the
// word it sits in still ends where sh would end it. They follow quotes
// and nesting; the one thing they miss is a ')' of a case pattern inside
// $(...), which matters only for a word that goes to sh anyway.

// skipDollar steps over what the '$' at lx.i starts: ${...}, $(...) when
// parens is set, or the '$' alone.
func (lx *lexer) skipDollar(quoted, parens bool) *Error {
	switch {
	case strings.HasPrefix(lx.s[lx.i:], "${"):
		lx.i += 2
		return lx.skipBrace(quoted)
	case parens && strings.HasPrefix(lx.s[lx.i:], "$("):
		lx.i += 2
		return lx.skipParens()
	}
	lx.i++
	return nil
}

// skipParens steps over the rest of $( ... ) after "$(".
func (lx *lexer) skipParens() *Error {
	if err := lx.enter(); err != nil {
		return err
	}
	defer lx.leave()
	depth := 1
	for lx.i < len(lx.s) {
		var err *Error
		switch lx.s[lx.i] {
		case '\\':
			lx.i += 2
			continue
		case '\'':
			_, err = lx.single(nil)
		case '"':
			err = lx.skipDquote()
		case '`':
			err = lx.skipBackquote()
		case '$':
			// A "$(" here is counted by the '(' below.
			err = lx.skipDollar(false, false)
		case '(':
			depth++
			lx.i++
		case ')':
			depth--
			lx.i++
			if depth == 0 {
				return nil
			}
		default:
			lx.i++
		}
		if err != nil {
			return err
		}
	}
	return errorf("unterminated $(: expected ) to close it")
}

// skipBrace steps over the rest of ${...} after "${".
func (lx *lexer) skipBrace(quoted bool) *Error {
	if err := lx.enter(); err != nil {
		return err
	}
	defer lx.leave()
	lx.skipOddName()
	for lx.i < len(lx.s) {
		var err *Error
		switch lx.s[lx.i] {
		case '\\':
			lx.i += 2
			continue
		case '\'':
			if quoted {
				lx.i++
				continue
			}
			_, err = lx.single(nil)
		case '"':
			err = lx.skipDquote()
		case '`':
			err = lx.skipBackquote()
		case '$':
			err = lx.skipDollar(quoted, true)
		case '}':
			lx.i++
			return nil
		default:
			lx.i++
		}
		if err != nil {
			return err
		}
	}
	return errorf("unterminated ${: expected } to close it")
}

// skipOddName steps over a name right after "${" that is not a variable's
// or a positional parameter's. sh takes the character there as a name
// whatever it is, even one that makes the expansion bad, so it never
// starts a quote or a nested construct: ${${X}} is the bad ${$ with the
// word {X}, closed by X's brace, and ${\} ends at its brace. After '#',
// a character and a closing brace are the length of a special parameter
// (${#$}).
func (lx *lexer) skipOddName() {
	s, i := lx.s, lx.i
	switch {
	case i >= len(s) || isVarStart(s[i]) || s[i] >= '0' && s[i] <= '9' || s[i] == '}':
	case s[i] == '#' && i+2 < len(s) && s[i+1] != '}' && s[i+2] == '}':
		lx.i += 2
	default:
		lx.i++
	}
}

// skipDquote steps over "..." from the opening quote.
func (lx *lexer) skipDquote() *Error {
	lx.i++
	for lx.i < len(lx.s) {
		var err *Error
		switch lx.s[lx.i] {
		case '"':
			lx.i++
			return nil
		case '\\':
			lx.i += 2
			continue
		case '`':
			err = lx.skipBackquote()
		case '$':
			err = lx.skipDollar(true, true)
		default:
			lx.i++
		}
		if err != nil {
			return err
		}
	}
	return errorf("unterminated double quote (\")")
}

// skipBackquote steps over `...` from the opening backquote.
func (lx *lexer) skipBackquote() *Error {
	lx.i++
	for lx.i < len(lx.s) {
		switch lx.s[lx.i] {
		case '\\':
			lx.i += 2
			continue
		case '`':
			lx.i++
			return nil
		}
		lx.i++
	}
	return errorf("unterminated backquote (`)")
}

// skipANSI steps over the rest of $'...' after "$'", where a backslash
// escapes the quote.
func (lx *lexer) skipANSI() *Error {
	for lx.i < len(lx.s) {
		switch lx.s[lx.i] {
		case '\\':
			lx.i += 2
			continue
		case '\'':
			lx.i++
			return nil
		}
		lx.i++
	}
	return errorf("unterminated $' quote")
}

// assignmentPrefix returns the length of "NAME=" when s starts with an
// unquoted NAME followed by '=', which makes the word an assignment while
// no command word has been seen; 0 otherwise.
func assignmentPrefix(s string) int {
	if s == "" || !isVarStart(s[0]) {
		return 0
	}
	n := 1
	for n < len(s) && isVarByte(s[n]) {
		n++
	}
	if n < len(s) && s[n] == '=' {
		return n + 1
	}
	return 0
}

// lexed is a command cut into its parts.
type lexed struct {
	assigns []word // leading assignments, in order
	words   []word // the command's words
	// cmdStart is the offset of the first command word or operator after
	// the assignments, or of the comment or end that comes instead.
	cmdStart int
	// opFirst is set when an operator comes right after the assignments
	// (or starts the command), instead of a command word.
	opFirst bool
	// why is the first construct outside the assignments that only a
	// shell can run.
	why string
}

// lex cuts a command into assignments and words. It reads past an
// operator so that a quote left open anywhere in the line is still an
// error.
func lex(s string) (lexed, *Error) {
	var l lexed
	lx := lexer{s: s}
	skipBlanks := func() {
		for lx.i < len(s) && (s[lx.i] == ' ' || s[lx.i] == '\t') {
			lx.i++
		}
	}
	for {
		skipBlanks()
		n := assignmentPrefix(s[lx.i:])
		if n == 0 {
			break
		}
		w := word{start: lx.i, name: s[lx.i : lx.i+n-1]}
		lx.i += n
		lx.why = ""
		nodes, err := lx.word(true)
		if err != nil {
			return l, err
		}
		w.nodes, w.end, w.why = nodes, lx.i, lx.why
		l.assigns = append(l.assigns, w)
	}
	l.cmdStart = lx.i
	for {
		skipBlanks()
		if lx.i < len(s) && s[lx.i] == '#' {
			// A comment runs to the end of its line; Split may be given
			// more than one.
			if nl := strings.IndexByte(s[lx.i:], '\n'); nl >= 0 {
				lx.i += nl
			} else {
				lx.i = len(s)
			}
		}
		if lx.i == len(s) {
			return l, nil
		}
		if isOperator(s[lx.i]) {
			if len(l.words) == 0 {
				l.opFirst = true
			}
			if l.why == "" {
				l.why = operatorWhy(s, lx.i)
			}
			lx.i++
			continue
		}
		w := word{start: lx.i}
		lx.why = ""
		nodes, err := lx.word(false)
		if err != nil {
			return l, err
		}
		w.nodes, w.end, w.why = nodes, lx.i, lx.why
		if l.why == "" {
			l.why = w.why
		}
		l.words = append(l.words, w)
	}
}
