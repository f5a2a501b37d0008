package account

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

var fixture = Files{Passwd: "testdata/passwd", Group: "testdata/group"}

// lineOf finds the 1-based line of file that starts with prefix, so the
// tests do not break when a fixture grows.
func lineOf(t *testing.T, file, prefix string) int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, prefix) {
			return i + 1
		}
	}
	t.Fatalf("%s: no line starts with %q", file, prefix)
	return 0
}

func TestLookup(t *testing.T) {
	tests := []struct {
		spec string
		want Credential
	}{
		// name; the first "alice" wins over the later uid-3000 one, and
		// the NIS "+nisgroup" line does not count.
		{"alice", Credential{1000, 1000, []uint32{10, 29, 50}, "/home/alice", "alice"}},
		{"alice:staff", Credential{1000, 50, []uint32{10, 29, 50}, "/home/alice", "alice"}},
		{"alice:video", Credential{1000, 44, []uint32{10, 29, 50}, "/home/alice", "alice"}},
		{"alice:4321", Credential{1000, 4321, []uint32{10, 29, 50}, "/home/alice", "alice"}},
		// a numeric GROUP is a gid, not the group named "1234"
		{"alice:1234", Credential{1000, 1234, []uint32{10, 29, 50}, "/home/alice", "alice"}},
		{"alice:0", Credential{1000, 0, []uint32{10, 29, 50}, "/home/alice", "alice"}},
		// "bob,,bob" and " bob": empty and padded members
		{"bob", Credential{1001, 1001, []uint32{50, 100}, "/home/bob", "bob"}},
		{"carol", Credential{1002, 1002, []uint32{29}, "/home/carol", "carol"}},
		{"nobody", Credential{65534, 65534, []uint32{}, "/nonexistent", "nobody"}},
		{"nohome", Credential{1003, 1003, []uint32{}, "/", "nohome"}},
		{"erin", Credential{1007, 1007, []uint32{70}, "/home/erin", "erin"}},
		// uid in passwd: first entry (root, not toor)
		{"0", Credential{0, 0, []uint32{0}, "/root", "root"}},
		{"0:10", Credential{0, 10, []uint32{0}, "/root", "root"}},
		{"1000:wheel", Credential{1000, 10, []uint32{10, 29, 50}, "/home/alice", "alice"}},
		{"00001000", Credential{1000, 1000, []uint32{10, 29, 50}, "/home/alice", "alice"}},
		{"5000", Credential{5000, 5000, []uint32{}, "/numeric", "1234"}},
		{"4294967294", Credential{4294967294, 4294967294, []uint32{}, "/max", "max"}},
		// uid absent from passwd
		{"4242", Credential{4242, 0, []uint32{}, "/", ""}},
		{"4242:44", Credential{4242, 44, []uint32{}, "/", ""}},
		{"4242:video", Credential{4242, 44, []uint32{}, "/", ""}},
		// digits are a uid, never the user named "1234"
		{"1234", Credential{1234, 0, []uint32{}, "/", ""}},
		// NIS "+nisuser" is skipped, so uid 2000 is a bare uid
		{"2000", Credential{2000, 0, []uint32{}, "/", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := fixture.Lookup(tt.spec)
			if err != nil {
				t.Fatalf("Lookup(%q): %v", tt.spec, err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("Lookup(%q) = %+v, want %+v", tt.spec, *got, tt.want)
			}
		})
	}
}

func TestLookupErrors(t *testing.T) {
	const pw, gr = "testdata/passwd", "testdata/group"
	tests := []struct {
		spec, file string
		line       int
		msg        string // substring of Error()
	}{
		{"", "", 0, `user "": empty`},
		{"a:b:c", "", 0, "more than one ':'"},
		{":grp", "", 0, "no user before ':'"},
		{"alice:", "", 0, "no group after ':'"},
		{":", "", 0, "no user"},
		{"al ice", "", 0, "whitespace"},
		{"alice\n", "", 0, "whitespace"},
		{"alice\x00", "", 0, "control character"},
		{"alice:\tstaff", "", 0, "whitespace"},
		{"-1", "", 0, "uid -1 is negative"},
		{"+1", "", 0, "uid +1 has a sign"},
		{"alice:-5", "", 0, "gid -5 is negative"},
		{"-alice", "", 0, `user name "-alice" starts with '-'`},
		{"alice:+staff", "", 0, `group name "+staff" starts with '+'`},
		{"4294967295", "", 0, "uid 4294967295 out of range 0-4294967294"},
		{"4294967296", "", 0, "out of range"},
		{"alice:99999999999999999999", "", 0, "gid 99999999999999999999 out of range"},
		{"nobody2", pw, 0, `user "nobody2": no such user in testdata/passwd`},
		{"nobody2:staff", pw, 0, `no such user "nobody2" in testdata/passwd`},
		{"nisuser", pw, 0, "no such user"},
		{"alice:nogroup", gr, 0, `user "alice:nogroup": no such group "nogroup" in testdata/group`},
		{"4242:nisgroup", gr, 0, `no such group "nisgroup"`},
		// a group named like the user is a name lookup like any other
		{"1000:1000x", gr, 0, `no such group "1000x"`},
		// malformed lines that match
		{"broken", pw, lineOf(t, pw, "broken:"), `bad uid "notanumber"`},
		{"short", pw, lineOf(t, pw, "short:"), "3 fields, want 7"},
		{"1004", pw, lineOf(t, pw, "short:"), "3 fields, want 7"},
		{"badgid", pw, lineOf(t, pw, "badgid:"), `bad gid "-1"`},
		{"1006", pw, lineOf(t, pw, "badgid:"), `bad gid "-1"`},
		{"over", pw, lineOf(t, pw, "over:"), `bad uid "4294967295"`},
		{"dave", gr, lineOf(t, gr, "brokengrp:"), `bad gid "abc"`},
		{"frank", gr, lineOf(t, gr, ":x:71:"), "empty group name"},
		{"alice:brokenname", gr, lineOf(t, gr, "brokenname:"), `bad gid "xyz"`},
		{"alice:fivefields", gr, lineOf(t, gr, "fivefields:"), "5 fields, want 4"},
		{"alice:nocolon", gr, lineOf(t, gr, "nocolon"), "1 fields, want 4"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := fixture.Lookup(tt.spec)
			if err == nil {
				t.Fatalf("Lookup(%q) = %+v, want an error", tt.spec, *got)
			}
			e := checkError(t, tt.spec, err)
			if e.File != tt.file || e.Line != tt.line {
				t.Errorf("error at %q line %d, want %q line %d", e.File, e.Line, tt.file, tt.line)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not contain %q", err, tt.msg)
			}
			if tt.line > 0 {
				if loc := tt.file + ":" + strconv.Itoa(tt.line) + ": malformed entry: "; !strings.Contains(err.Error(), loc) {
					t.Errorf("error %q does not name %q", err, loc)
				}
			}
		})
	}
}

// checkError holds every error to the contract: an *Error for spec with
// a one-line message.
func checkError(t testing.TB, spec string, err error) *Error {
	t.Helper()
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("Lookup(%q) error %T %v, want *Error", spec, err, err)
	}
	if e.Spec != spec {
		t.Errorf("Error.Spec = %q, want %q", e.Spec, spec)
	}
	msg := e.Error()
	if strings.ContainsAny(msg, "\n\r") || !strings.HasPrefix(msg, "user ") {
		t.Errorf("Lookup(%q) error %q: want one line starting with \"user \"", spec, msg)
	}
	return e
}

func TestMissingPasswd(t *testing.T) {
	f := Files{Passwd: filepath.Join(t.TempDir(), "passwd"), Group: "testdata/group"}
	got, err := f.Lookup("1000")
	if err != nil {
		t.Fatal(err)
	}
	if want := (Credential{1000, 0, []uint32{}, "/", ""}); !reflect.DeepEqual(*got, want) {
		t.Errorf("got %+v, want %+v", *got, want)
	}
	got, err = f.Lookup("1000:staff")
	if err != nil || got.Gid != 50 {
		t.Errorf(`Lookup("1000:staff") = %+v, %v; want gid 50`, got, err)
	}
	_, err = f.Lookup("alice")
	if err == nil {
		t.Fatal("a name resolved without a passwd file")
	}
	checkError(t, "alice", err)
	if !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("error %q should say the file does not exist", err)
	}
}

func TestMissingGroup(t *testing.T) {
	f := Files{Passwd: "testdata/passwd", Group: filepath.Join(t.TempDir(), "group")}
	for spec, want := range map[string]Credential{
		"alice":    {1000, 1000, []uint32{}, "/home/alice", "alice"},
		"alice:50": {1000, 50, []uint32{}, "/home/alice", "alice"},
		"4242:7":   {4242, 7, []uint32{}, "/", ""},
	} {
		got, err := f.Lookup(spec)
		if err != nil {
			t.Errorf("Lookup(%q): %v", spec, err)
		} else if !reflect.DeepEqual(*got, want) {
			t.Errorf("Lookup(%q) = %+v, want %+v", spec, *got, want)
		}
	}
	_, err := f.Lookup("alice:staff")
	if err == nil {
		t.Fatal("a group name resolved without a group file")
	}
	checkError(t, "alice:staff", err)
}

// A file that exists but cannot be read is an error even when the lookup
// would find nothing in it.
func TestUnreadable(t *testing.T) {
	for _, tt := range []struct {
		f    Files
		spec string
	}{
		{Files{Passwd: "testdata", Group: "testdata/group"}, "4242"},
		{Files{Passwd: "testdata", Group: "testdata/group"}, "alice"},
		{Files{Passwd: "testdata/passwd", Group: "testdata"}, "alice"},
		{Files{Passwd: "testdata/passwd", Group: "testdata"}, "4242:staff"},
	} {
		_, err := tt.f.Lookup(tt.spec)
		if err == nil {
			t.Errorf("%+v Lookup(%q) succeeded on a directory", tt.f, tt.spec)
			continue
		}
		checkError(t, tt.spec, err)
		if !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("error %q should say why the file cannot be read", err)
		}
	}
	// A bare uid and gid need no group file.
	if _, err := (Files{Passwd: "testdata/passwd", Group: "testdata"}).Lookup("4242:7"); err != nil {
		t.Errorf("bare uid and gid read the group file: %v", err)
	}
	// ENOENT below a missing directory is just a missing file.
	missing := filepath.Join(t.TempDir(), "no-dir", "passwd")
	if _, err := (Files{Passwd: missing, Group: "testdata/group"}).Lookup("4242"); err != nil {
		t.Errorf("missing directory: %v", err)
	}
}

func TestPermissionDenied(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads any file")
	}
	p := filepath.Join(t.TempDir(), "passwd")
	if err := os.WriteFile(p, []byte("alice:x:1:1::/:/bin/sh\n"), 0); err != nil {
		t.Fatal(err)
	}
	_, err := Files{Passwd: p, Group: "testdata/group"}.Lookup("1")
	if !errors.Is(err, fs.ErrPermission) {
		t.Fatalf("got %v, want a permission error", err)
	}
	checkError(t, "1", err)
}

func TestLongLine(t *testing.T) {
	g := filepath.Join(t.TempDir(), "group")
	long := "big:x:5:" + strings.Repeat("u,", maxLine/2) + "alice\n"
	if err := os.WriteFile(g, []byte("a:x:1:\n"+long), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Files{Passwd: "testdata/passwd", Group: g}.Lookup("alice")
	if err == nil {
		t.Fatal("a line over the limit was accepted")
	}
	if e := checkError(t, "alice", err); e.File != g || e.Line != 2 {
		t.Errorf("error at %s:%d, want %s:2", e.File, e.Line, g)
	}
}

func TestErrorOneLine(t *testing.T) {
	e := &Error{Spec: "a\nb", File: "/etc/\npasswd", Line: 3, Msg: "x\ry\u2028z"}
	if got, want := e.Error(), `user "a\nb": /etc/\npasswd:3: x\ry\u2028z`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// Lookup reads the real files; whatever the test machine has, it must
// keep the contract.
func TestLookupSystem(t *testing.T) {
	c, err := Lookup("0")
	if err != nil {
		checkError(t, "0", err)
		return
	}
	if c.Uid != 0 || c.Home == "" || c.Groups == nil {
		t.Errorf(`Lookup("0") = %+v`, *c)
	}
}
