// Package procfile reads the Procfile of pidone's multi-process mode
// (--procfile): one process a line, as NAME: COMMAND.
//
//	# comment
//	migrate: PIDONE_ONESHOT=1 python manage.py migrate --noinput
//	web:     PIDONE_AFTER=migrate PIDONE_READY=tcp:8000 gunicorn app.wsgi -b ":${PORT:-8000}"
//	nginx:   PIDONE_AFTER=web PIDONE_STOP_SIGNAL=QUIT nginx -g 'daemon off;'
//	worker:  PIDONE_RESTART=on-failure LOG_LEVEL=info ./worker 2>&1 | tee -a /var/log/worker
//
// A command is read the way sh reads a simple command, so a Procfile
// written for foreman or honcho, which run every line with sh, runs
// unchanged, and a pidone Procfile stays one for them: everything pidone
// adds is shell syntax. pidone runs a command itself when it needs nothing
// more than quoting, parameter expansion and leading assignments, and
// through /bin/sh otherwise, so images without a shell work as long as
// their lines need none.
//
// # Lines
//
// Blank lines and lines whose first non-blank character is '#' are skipped.
// Every other line declares a process. The first ':' ends the name; blanks
// (spaces and tabs) may stand around the name and after the colon. A name is
// one or more ASCII letters, digits, '_' and '-', and no two lines declare
// the same name; names are compared byte for byte, so "web" and "Web" are
// two processes. A line may end in "\r\n", and the file may start with a
// UTF-8 byte order mark. A NUL byte or invalid UTF-8 anywhere, comments
// included, is an error on that line. A command is one line: a backslash
// at the end of a line is an error rather than a continuation.
//
// ParseFile reads only a regular file (or a symbolic link to one) of at
// most 1 MiB: a directory, a named pipe, a device or a socket is refused
// without being read, so that a wrong --procfile cannot hang pidone. A file
// that declares no process is an error.
//
// # Words
//
// A command is cut into words as sh cuts a simple command:
//
//   - Blanks separate words. A '#' at the start of a word begins a comment
//     that runs to the end of the line; elsewhere it is an ordinary
//     character.
//   - A backslash outside quotes keeps the next character as it is.
//   - 'Single quotes' keep everything up to the next ' as it is.
//   - "Double quotes" keep everything up to the next unescaped " as it is,
//     except that $ expands, and a backslash escapes only $, `, " and
//     backslash (and '}' within the word of a ${...}), and stays in the word
//     before any other character.
//   - A '$' that starts no expansion, as in "a$" or "$ ", is an ordinary
//     character.
//
// # Parameter expansion
//
// Variables come from pidone's environment (Config.Getenv). NAME is ASCII
// letters, digits and '_', not starting with a digit.
//
//   - $NAME and ${NAME} give the value; an unset variable gives nothing,
//     like an empty one.
//   - ${NAME:-word} gives word when NAME is unset or empty, ${NAME-word}
//     when it is unset.
//   - ${NAME:+word} gives word when NAME is set and not empty, ${NAME+word}
//     when it is set, and nothing otherwise.
//   - ${NAME:?message} is an error when NAME is unset or empty,
//     ${NAME?message} when it is unset: the error reads "NAME: message", or
//     "NAME: parameter not set or null" ("...not set" for ?) without a
//     message, as sh words it.
//
// word and message are expanded only when used, and may hold quotes and
// expansions of their own, nested up to 100 deep. Outside double quotes they are quoted and split
// like any word; inside double quotes, as in "${X:-'a'}", a single quote is
// an ordinary character and a double quote opens a nested quoted part.
// Outside double quotes, the result of an expansion is split into fields
// at spaces, tabs and newlines (IFS from the environment is not consulted:
// it would change how every line splits), and an expansion to nothing
// adds no word: with X="a b", $X gives two words and "$X" one. Inside
// double quotes the result is part of the word as it is, and "$UNSET" is
// an empty word.
//
// # Assignments
//
// Words of the form NAME=value before the first word of the command are
// assignments, as in sh: NAME must be written without quotes, the value is
// quoted and expanded like a word but not split into fields or matched
// against file names. An assignment sets a variable for that process
// only, adding to or replacing one of pidone's environment (Command.Env);
// the PIDONE_ ones set the process's options instead and are not passed
// on. As in sh, the command's words are expanded before the assignments
// apply, so "PORT=80 app $PORT" passes pidone's PORT, while each value
// sees the assignments to its left: "A=1 B=$A" sets B to 1.
//
// # Options
//
// An unknown PIDONE_ name, an option set twice on a line, or a bad value
// is an error; each value is expanded as an assignment's is.
//
//	PIDONE_ONESHOT=1|0|true|false    a task that runs to completion
//	PIDONE_AFTER=NAME[,NAME...]      start once each NAME is ready or done
//	PIDONE_READY=CHECK               when the process counts as ready
//	PIDONE_RESTART=never|on-failure|always
//	PIDONE_MAX_RESTARTS=N            N is 0 or more, in decimal digits
//	PIDONE_STOP_SIGNAL=SIG           a signal pidone forwards, not KILL
//	PIDONE_SIGNALS=SIG[,SIG...]|all|none
//	PIDONE_USER=USER[:GROUP]         names or ids, looked up at start
//	PIDONE_DIR=PATH                  the working directory; not empty
//
// Every NAME of PIDONE_AFTER is declared somewhere in the file, none twice,
// not the process itself, and no chain of them leads back to where it
// started; these are checked once the whole file is read. PIDONE_ONESHOT=1
// with PIDONE_RESTART=always is an error: such a task would never complete.
// Signals are read as --stop-signal reads them (TERM, SIGTERM, 15,
// RTMIN+1). CHECK is one of
//
//	tcp:PORT           a connection to PORT on this host succeeds
//	tcp:HOST:PORT      a connection succeeds; an IPv6 HOST in brackets: tcp:[::1]:80
//	file:PATH          the path exists
//	log:TEXT           a line of the process's output contains TEXT
//	exec:COMMAND       COMMAND exits 0
//	notify             READY=1 arrives on NOTIFY_SOCKET (sd_notify)
//
// COMMAND is split as a line's command is, shell included, once the
// value has been expanded as an assignment: quote it so that its blanks
// survive, as in PIDONE_READY='exec:pg_isready -h "$DB_HOST"'. Its
// expansions see the line's assignments, since it runs in the process's
// environment; it may have assignments of its own but no PIDONE_ ones.
//
// # Commands that need a shell
//
// A command runs through /bin/sh -c TEXT, TEXT being the command as
// written less its PIDONE_ assignments, when it uses anything of sh beyond
// the above:
//
//   - outside quotes: an operator (| & ; < > ( ) && || and a newline),
//     a pattern character (* ? [), or a '~' that sh would expand: at the
//     start of a word or of the word of a ${...}, and in an assignment also
//     after a ':';
//   - anywhere but in single quotes: a backquote, $( ), $(( )), a special
//     parameter ($1, $#, $?, $$, $!, $@, $*, $-, $0), or a ${...} of another
//     form (${#X}, ${X:=word}, ${X%pattern} and so on);
//   - outside quotes: $'...' and $"...";
//   - the value of a variable expanded outside quotes in the command that
//     holds * ? or [, which sh would match against file names;
//   - a first word, after expansion, that only a shell runs or that a
//     shell runs differently from the program of that name:
//     reserved words (! { } case do done elif else esac fi for if in then
//     until while [[ ]] function select time coproc), POSIX special
//     built-ins (break : continue . eval exec exit export readonly return
//     set shift times trap unset), the utilities POSIX forbids a shell to
//     look up in PATH (alias bg cd command fc fg getopts hash jobs kill
//     read type ulimit umask unalias wait), built-ins of bash and ksh that
//     act on the shell (source local declare typeset let shopt builtin
//     enable pushd popd dirs disown suspend logout history mapfile
//     readarray caller complete compgen compopt bind help), and echo and
//     pwd, whose built-in forms differ from the programs (dash's echo reads
//     backslash escapes; pwd prints the logical directory). Built-ins that
//     behave as their programs do (printf, test, [, true, false) run
//     directly.
//
// Pattern characters count wherever they stand unquoted, even in a ${...}
// word that is not used, which may send a line to the shell that could
// have done without: sh then runs it as it would have run anyway.
//
// The options before TEXT still apply; the other assignments are part of
// TEXT, less the PIDONE_ ones, so that sh does them as it does for
// foreman: they apply to the first command of TEXT, not to its expansions
// nor to the commands after it ("PORT=80 cd app && ./run" gives PORT to
// cd only). From an assignment whose own value needs a shell on
// (B=$(date) cmd), no PIDONE_ assignment may follow, since pidone would
// have to read sh's result; and assignments followed by an operator
// instead of a command (A=1; cmd) are not a command's, so no PIDONE_
// assignment may follow the first of them that is not a PIDONE_ one.
//
// A line that needs a shell while /bin/sh does not exist (Config.HaveShell
// says whether it does) is an error naming what needs it. Expansions in
// TEXT are the shell's to do, with one exception: a simple command that
// needs a shell only for its first word (echo, cd, exec) or for a value
// sh would match against file names is expanded by pidone too, and a
// failing ${X:?} there is an error at once, as sh would fail on it before
// running anything. Elsewhere in TEXT, what runs first may change the
// expansion (export X=1; echo ${X:?}), so sh reports it.
//
// # Errors
//
// Every error is an *Error, whose message is one line naming the file and,
// where there is one, the line: "procfile app.procfile:3: duplicate name
// "web", first declared on line 1". One bad line rejects the file. The
// first error in the file is reported, except that PIDONE_AFTER is checked
// across lines once every line has been read.
package procfile
