// Package procfile reads the Procfile of pidone's multi-process mode
// (--procfile): one process a line, as NAME: COMMAND.
//
//	# comment
//	web: nginx -g 'daemon off;'
//	php: php-fpm --nodaemonize
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
// included, is an error on that line. A file that declares no process is an
// error, as is a file larger than 1 MiB.
//
// # Commands
//
// A command is split into words as a POSIX shell splits a simple command,
// restricted to quoting and parameter expansion:
//
//   - Blanks separate words. A '#' at the start of a word begins a comment
//     that runs to the end of the line; elsewhere it is an ordinary
//     character.
//   - A backslash outside quotes keeps the next character as it is. A
//     backslash at the end of the line is an error: a command is one line.
//   - 'Single quotes' keep everything up to the next ' as it is.
//   - "Double quotes" keep everything up to the next unescaped " as it is,
//     except that $ expands, and a backslash escapes only $, `, " and
//     backslash, and stays in the word before any other character.
//   - $NAME and ${NAME} expand to the variable's value, NAME being ASCII
//     letters, digits and '_', not starting with a digit. An unset variable
//     expands to nothing, like an empty one. Within double quotes the value
//     becomes part of the word as it is, and "$UNSET" is an empty word.
//     Outside quotes the value is split into fields at spaces, tabs and
//     newlines, as sh does with its default IFS, and an expansion to nothing
//     adds no word: with X="a b", $X gives two words. IFS from the
//     environment is not consulted.
//   - A '$' that starts none of the above, as in "a$" or "$ ", is an ordinary
//     character, as in sh.
//
// Features of a shell that would change what runs if their characters were
// taken literally are refused with an error that names them, so that a
// command written for sh fails when pidone starts rather than running
// differently: unquoted | & ; < > ( ), backquotes, $( ), ${NAME...} forms
// other than ${NAME}, special parameters ($1, $$, $? and the like), $'...',
// and a first word of the form NAME=value, which sh takes as an
// environment assignment. The errors suggest sh -c '...', which is the way
// to get a shell. Characters whose shell meaning only widens a word are
// kept as they are: *, ? and [ are not globbed and ~ is not expanded, which
// is also what sh does with a pattern that matches no file.
//
// The first word of a command is the program to run, and must not be
// empty.
//
// # Errors
//
// Every error is an *Error, whose message is one line naming the file and,
// where there is one, the line: "procfile app.procfile:3: duplicate name
// "web", first declared on line 1".
package procfile
