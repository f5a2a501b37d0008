package launch

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// fakeELF builds the least of an ELF file that elfInterpreter reads: the
// header and one PT_LOAD and one PT_INTERP program header, for either
// class and byte order. interp "" leaves PT_INTERP out (a static program).
func fakeELF(class byte, bo binary.ByteOrder, interp string) []byte {
	var b bytes.Buffer
	var order byte = elfLSB
	if bo == binary.BigEndian {
		order = elfMSB
	}
	b.Write([]byte{0x7f, 'E', 'L', 'F', class, order, 1})
	phoff, phent, hsize := 52, 32, 52
	if class == elfClass64 {
		phoff, phent, hsize = 64, 56, 64
	}
	phnum := 2
	data := phoff + phnum*phent // where the interpreter's path goes
	h := make([]byte, hsize)
	copy(h, b.Bytes())
	if class == elfClass64 {
		bo.PutUint64(h[32:], uint64(phoff))
		bo.PutUint16(h[54:], uint16(phent))
		bo.PutUint16(h[56:], uint16(phnum))
	} else {
		bo.PutUint32(h[28:], uint32(phoff))
		bo.PutUint16(h[42:], uint16(phent))
		bo.PutUint16(h[44:], uint16(phnum))
	}
	out := append([]byte{}, h...)
	for i, typ := range []uint32{1, ptInterp} {
		ph := make([]byte, phent)
		if i == 1 && interp == "" {
			typ = 1
		}
		bo.PutUint32(ph, typ)
		size := uint64(len(interp) + 1)
		if class == elfClass64 {
			bo.PutUint64(ph[8:], uint64(data))
			bo.PutUint64(ph[32:], size)
		} else {
			bo.PutUint32(ph[4:], uint32(data))
			bo.PutUint32(ph[16:], uint32(size))
		}
		out = append(out, ph...)
	}
	return append(append(out, interp...), 0)
}

func TestElfInterpreter(t *testing.T) {
	cases := []struct {
		name string
		file []byte
		want string
	}{
		{"64-bit little-endian", fakeELF(elfClass64, binary.LittleEndian, "/lib/ld-musl-x86_64.so.1"), "/lib/ld-musl-x86_64.so.1"},
		{"64-bit big-endian", fakeELF(elfClass64, binary.BigEndian, "/lib64/ld64.so.1"), "/lib64/ld64.so.1"},
		{"32-bit little-endian", fakeELF(elfClass32, binary.LittleEndian, "/lib/ld-linux-armhf.so.3"), "/lib/ld-linux-armhf.so.3"},
		{"32-bit big-endian", fakeELF(elfClass32, binary.BigEndian, "/lib/ld.so.1"), "/lib/ld.so.1"},
		{"static", fakeELF(elfClass64, binary.LittleEndian, ""), ""},
		{"truncated in the program headers", fakeELF(elfClass64, binary.LittleEndian, "/x")[:80], ""},
		{"truncated in the path", fakeELF(elfClass64, binary.LittleEndian, "/lib/ld.so")[:64+2*56+3], ""},
		{"bad class", append([]byte("\x7fELF\x03\x01"), make([]byte, 100)...), ""},
		{"bad byte order", append([]byte("\x7fELF\x02\x03"), make([]byte, 100)...), ""},
		{"not ELF", []byte("#!/bin/sh\n"), ""},
		{"empty", nil, ""},
	}
	for _, c := range cases {
		if got := elfInterpreter(bytes.NewReader(c.file)); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// The hand-written reader agrees with debug/elf on the programs of this
// machine, static and dynamic.
func TestElfInterpreterAgreesWithDebugElf(t *testing.T) {
	self, _ := os.Executable()
	seen := 0
	for _, name := range []string{"sh", "true", "ls", "env", "busybox"} {
		path, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		check(t, path)
		seen++
	}
	check(t, self)
	if seen == 0 {
		t.Skip("no program to compare with")
	}
}

func check(t *testing.T, path string) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Fatalf("debug/elf: %v", err)
	}
	defer f.Close()
	want := ""
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			b := make([]byte, p.Filesz)
			p.ReadAt(b, 0)
			path, _, _ := bytes.Cut(b, []byte{0})
			want = string(path)
		}
	}
	r, _ := os.Open(path)
	defer r.Close()
	if got := elfInterpreter(r); got != want {
		t.Errorf("%s: %q, debug/elf says %q", path, got, want)
	}
}

func TestScriptInterpreter(t *testing.T) {
	for in, want := range map[string]string{
		"#!/bin/sh\necho":           "/bin/sh",
		"#! /usr/bin/env python3\n": "/usr/bin/env",
		"#!\t/bin/bash -e\n":        "/bin/bash",
		"#!/bin/sh":                 "/bin/sh",
		"#!/bin/sh\r\necho":         "/bin/sh\r",
		"#!\n":                      "",
		"echo hi\n":                 "",
		"":                          "",
	} {
		if got := scriptInterpreter(bytes.NewReader([]byte(in))); got != want {
			t.Errorf("scriptInterpreter(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMissingInterpreter(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	os.Mkdir(filepath.Join(dir, "bin"), 0o755)
	write("bin/interp", nil)
	cases := []struct {
		path, dir  string
		want, kind string
	}{
		{write("gone", []byte("#!/nonexistent/sh\n")), "", "/nonexistent/sh", kindScript},
		{write("there", []byte("#!"+filepath.Join(dir, "bin/interp")+"\n")), "", "", ""},
		{"relative", dir, "", ""}, // the script itself is missing
		{write("rel", []byte("#!bin/interp\n")), dir, "", ""},
		{write("relgone", []byte("#!bin/nope\n")), dir, "bin/nope", kindScript},
		{"./gone", dir, "/nonexistent/sh", kindScript},
		{write("glibc", fakeELF(elfClass64, binary.LittleEndian, "/nonexistent/ld-linux.so.2")), "", "/nonexistent/ld-linux.so.2", kindLoader},
		{write("static", fakeELF(elfClass64, binary.LittleEndian, "")), "", "", ""},
		// Saved with CRLF line ends: the kernel looks for "/bin/sh\r".
		{write("crlf", []byte("#!/bin/sh\r\necho hi\r\n")), "", "/bin/sh\r", kindScript},
	}
	for _, c := range cases {
		got, kind := missingInterpreter(c.path, c.dir)
		if got != c.want || kind != c.kind {
			t.Errorf("missingInterpreter(%q, %q) = %q, %q; want %q, %q", c.path, c.dir, got, kind, c.want, c.kind)
		}
	}
}

func FuzzElfInterpreter(f *testing.F) {
	f.Add(fakeELF(elfClass64, binary.LittleEndian, "/lib/ld.so"))
	f.Add(fakeELF(elfClass32, binary.BigEndian, "/lib/ld.so.1"))
	f.Add([]byte("\x7fELF"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got := elfInterpreter(bytes.NewReader(b)); len(got) > maxInterp {
			t.Fatalf("a path of %d bytes", len(got))
		}
	})
}

func TestFormatHint(t *testing.T) {
	dir := t.TempDir()
	machine := func(m uint16, bo binary.ByteOrder) string {
		b := fakeELF(elfClass64, bo, "")
		bo.PutUint16(b[18:], m)
		p := filepath.Join(dir, fmt.Sprint("m", m, bo))
		os.WriteFile(p, b, 0o755)
		return p
	}
	script := filepath.Join(dir, "script")
	os.WriteFile(script, []byte("echo hi\n"), 0o755)
	hashbang := filepath.Join(dir, "hashbang")
	os.WriteFile(hashbang, []byte("#!/bin/sh\n"), 0o755)
	cases := []struct {
		path, arch, want string
	}{
		{machine(183, binary.LittleEndian), "amd64", "a program for arm64, and this pidone is built for amd64"},
		{machine(62, binary.LittleEndian), "arm64", "a program for amd64, and this pidone is built for arm64"},
		{machine(62, binary.LittleEndian), "amd64", ""},
		{machine(21, binary.BigEndian), "ppc64le", ""},
		{machine(22, binary.BigEndian), "amd64", "a program for s390x, and this pidone is built for amd64"},
		{machine(9999, binary.LittleEndian), "amd64", "a program for ELF machine 9999, and this pidone is built for amd64"},
		{script, "amd64", "no #! line names the interpreter of this script, if it is one"},
		{hashbang, "amd64", ""},
		{filepath.Join(dir, "missing"), "amd64", ""},
	}
	for _, c := range cases {
		if got := formatHint(c.path, "", c.arch); got != c.want {
			t.Errorf("formatHint(%s, %s) = %q, want %q", filepath.Base(c.path), c.arch, got, c.want)
		}
	}
}
