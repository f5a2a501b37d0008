// Package account resolves pidone's --user USER[:GROUP] option to the
// credentials the started processes run with, reading the image's own
// /etc/passwd and /etc/group.
//
// pidone is a static binary for distroless images, so it cannot ask libc's
// NSS (no cgo, no os/user): it parses the two files itself, with the rules
// of glibc's "files" backend, and follows docker run --user wherever the
// result could differ.
//
// # User
//
// A USER made only of ASCII digits is a uid and never a name, as in docker
// and runc: "--user 1000" must mean uid 1000 whatever the image calls its
// accounts, or an entry named "1000" could silently change who runs. The
// first passwd entry with that uid supplies the name, primary gid and home.
// When no entry has it the uid is still used, with gid 0 (or GROUP), no
// supplementary groups and home "/", so an arbitrary uid runs even in an
// image without /etc/passwd. Any other USER is a name that must be found in
// /etc/passwd; the first entry with that name wins.
//
// # Group
//
// GROUP follows the same rule: digits are a gid, used as given (a gid
// absent from /etc/group is fine, and the file is not needed for it);
// anything else is the first /etc/group entry of that name and must exist.
// Without GROUP the gid is the primary gid from passwd.
//
// The supplementary groups are exactly the gids of the /etc/group entries
// whose member list names the user, the memberships gosu and su-exec use
// too. The primary gid is not added unless the user is listed in it (su-exec
// adds it through getgrouplist): the kernel checks the effective gid on its
// own, so repeating it grants nothing, and the list then says only what
// /etc/group says. They are kept when GROUP is
// given (docker drops them then): GROUP changes the primary group, not the
// user's memberships. A uid without a passwd entry has no name and so no
// supplementary groups.
//
// # Files
//
// Blank lines, '#' comments and NIS "+"/"-" lines are skipped; leading and
// trailing blanks are ignored. A line is checked only when it matches the
// lookup: its name field is the wanted user or group, its uid field parses
// as the wanted uid, or its member list names the user. A matching line
// that is malformed (wrong number of fields, a bad uid or gid) is an error
// naming file and line, where glibc would skip it, because skipping would
// fall through to a later entry, or to the bare-uid case, and run the
// process with credentials nobody wrote down. A malformed line that does
// not match is skipped as glibc does, so a broken entry for some other
// account does not keep the container from starting.
//
// A missing /etc/passwd only matters for a user name, and a missing
// /etc/group only for a group name. A file that exists but cannot be read,
// or is not a regular file, is an error whenever it is consulted: passwd
// always is, group unless the uid has no passwd entry and GROUP is absent
// or numeric, the one case where it could not change the result.
//
// Ids range over 0-4294967294: 4294967295 is (uid_t)-1, which setuid(2)
// and friends take as "leave unchanged".
//
// Every error is an *Error with a one-line message, ready for pidone's
// usage error (exit status 2).
package account
