package procfile

import "fmt"

// shellWords are the first words that make a command need a shell, with
// what they are. A word that is not here runs as a program, so each
// entry is here because running a program of that name would differ from
// what foreman or honcho, which always go through sh, would do:
//
//   - reserved words: only a shell parses them;
//   - POSIX special built-ins: they act on the shell itself;
//   - POSIX intrinsic utilities: a shell must never look them up in PATH,
//     and most only make sense inside one (cd, umask, wait);
//   - built-ins of bash and ksh, which some images have as /bin/sh, that
//     act on the shell itself;
//   - echo and pwd: their built-in versions differ from the programs
//     (dash's echo reads backslash escapes; pwd prints the logical path).
//
// Built-ins that behave like the programs of the same name are not here
// (printf, test, [, true, false): running the program gives the same
// result without needing a shell.
var shellWords = map[string]string{
	"!": "keyword", "{": "keyword", "}": "keyword", "case": "keyword",
	"do": "keyword", "done": "keyword", "elif": "keyword", "else": "keyword",
	"esac": "keyword", "fi": "keyword", "for": "keyword", "if": "keyword",
	"in": "keyword", "then": "keyword", "until": "keyword", "while": "keyword",
	"[[": "keyword", "]]": "keyword", "function": "keyword", "select": "keyword",
	"time": "keyword", "coproc": "keyword",

	"break": "built-in", ":": "built-in", "continue": "built-in", ".": "built-in",
	"eval": "built-in", "exec": "built-in", "exit": "built-in", "export": "built-in",
	"readonly": "built-in", "return": "built-in", "set": "built-in", "shift": "built-in",
	"times": "built-in", "trap": "built-in", "unset": "built-in",

	"alias": "built-in", "bg": "built-in", "cd": "built-in", "command": "built-in",
	"fc": "built-in", "fg": "built-in", "getopts": "built-in", "hash": "built-in",
	"jobs": "built-in", "kill": "built-in", "read": "built-in", "type": "built-in",
	"ulimit": "built-in", "umask": "built-in", "unalias": "built-in", "wait": "built-in",

	"source": "built-in", "local": "built-in", "declare": "built-in", "typeset": "built-in",
	"let": "built-in", "shopt": "built-in", "builtin": "built-in", "enable": "built-in",
	"pushd": "built-in", "popd": "built-in", "dirs": "built-in", "disown": "built-in",
	"suspend": "built-in", "logout": "built-in", "history": "built-in", "mapfile": "built-in",
	"readarray": "built-in", "caller": "built-in", "complete": "built-in", "compgen": "built-in",
	"compopt": "built-in", "bind": "built-in", "help": "built-in",

	"echo": "built-in", "pwd": "built-in",
}

// shellWordWhy says why a command whose first word is w needs a shell, or
// returns "" when it does not.
func shellWordWhy(w string) string {
	kind, ok := shellWords[w]
	if !ok {
		return ""
	}
	return fmt.Sprintf("the shell %s %q", kind, w)
}
