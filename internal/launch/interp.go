package launch

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"strconv"
)

// An exec that fails with ENOENT although the file is there failed for
// want of what the kernel runs it with: the interpreter of a script's #!
// line, or the dynamic loader of a program linked against a C library
// (the usual case: a glibc program copied into a scratch or Alpine
// image). "no such file or directory" alone then points at the wrong
// file, so the message names the missing one.

// Kinds of interpreter, as messages name them.
const (
	kindScript = "interpreter"
	kindLoader = "dynamic loader"
)

// missingInterpreter returns the interpreter that path, an existing file
// whose exec failed with ENOENT, names and that does not exist, with its
// kind; "" when path cannot be read, names none, or it exists. A relative
// path, and a relative interpreter, are taken from dir, where the process
// was to run.
func missingInterpreter(path, dir string) (interp, kind string) {
	f, err := os.Open(inDir(path, dir))
	if err != nil {
		return "", ""
	}
	defer f.Close()
	if interp = scriptInterpreter(f); interp != "" {
		kind = kindScript
	} else if interp = elfInterpreter(f); interp != "" {
		kind = kindLoader
	} else {
		return "", ""
	}
	if _, err := os.Stat(inDir(interp, dir)); err == nil {
		return "", ""
	}
	return interp, kind
}

// hashBangMax is how much of a #! line the kernel reads (BINPRM_BUF_SIZE).
const hashBangMax = 256

// scriptInterpreter returns the program a #! line names, or "".
func scriptInterpreter(r io.ReaderAt) string {
	buf := make([]byte, hashBangMax)
	n, _ := r.ReadAt(buf, 0)
	line, ok := bytes.CutPrefix(buf[:n], []byte("#!"))
	if !ok {
		return ""
	}
	if i := bytes.IndexAny(line, "\n\x00"); i >= 0 {
		line = line[:i]
	}
	// Only blanks separate, as for the kernel: a script saved with CRLF
	// line ends names "/bin/sh\r", which is what is missing.
	fields := bytes.FieldsFunc(line, func(r rune) bool { return r == ' ' || r == '\t' })
	if len(fields) == 0 {
		return ""
	}
	return string(fields[0])
}

// ELF constants: the header's identification and the program header type
// that holds the loader's path.
const (
	elfClass32 = 1
	elfClass64 = 2
	elfLSB     = 1
	elfMSB     = 2
	ptInterp   = 3
	// maxPhnum bounds the program headers read: the kernel refuses more
	// than 64 KiB of them.
	maxPhnum = 65536 / 32
	// maxInterp bounds the loader's path, as the kernel does (PATH_MAX).
	maxInterp = 4096
	// maxOffset keeps offsets far from overflowing an int64.
	maxOffset = 1 << 48
)

// elfInterpreter returns the path in an ELF program's PT_INTERP header,
// or "" for a file that is not ELF, has none (a static program) or is
// malformed.
func elfInterpreter(r io.ReaderAt) string {
	var h [64]byte
	n, _ := r.ReadAt(h[:], 0)
	bo := elfByteOrder(h[:n])
	if bo == nil || n < 52 {
		return ""
	}
	// Where the program headers are, and where in each the type, offset
	// and size of its segment are; addresses are words of the class.
	var phoff uint64
	var phentsize, phnum uint16
	var offAt, sizeAt, minEnt int
	var word func([]byte) uint64
	switch h[4] {
	case elfClass32:
		word = func(b []byte) uint64 { return uint64(bo.Uint32(b)) }
		phoff = word(h[28:])
		phentsize, phnum = bo.Uint16(h[42:]), bo.Uint16(h[44:])
		offAt, sizeAt, minEnt = 4, 16, 32
	case elfClass64:
		word = bo.Uint64
		phoff = word(h[32:])
		phentsize, phnum = bo.Uint16(h[54:]), bo.Uint16(h[56:])
		offAt, sizeAt, minEnt = 8, 32, 56
	default:
		return ""
	}
	if int(phentsize) < minEnt || int(phnum) > maxPhnum || phoff > maxOffset {
		return ""
	}
	ph := make([]byte, phentsize)
	for i := uint64(0); i < uint64(phnum); i++ {
		if n, _ := r.ReadAt(ph, int64(phoff+i*uint64(phentsize))); n < len(ph) {
			return ""
		}
		if bo.Uint32(ph) != ptInterp {
			continue
		}
		off, size := word(ph[offAt:]), word(ph[sizeAt:])
		if size == 0 || size > maxInterp || off > maxOffset {
			return ""
		}
		path := make([]byte, size)
		if n, _ := r.ReadAt(path, int64(off)); n < len(path) {
			return ""
		}
		path, _, _ = bytes.Cut(path, []byte{0})
		return string(path)
	}
	return ""
}

// elfByteOrder returns the byte order of an ELF file whose start is h, or
// nil when h is not the start of one.
func elfByteOrder(h []byte) binary.ByteOrder {
	if len(h) < 6 || !bytes.HasPrefix(h, []byte("\x7fELF")) {
		return nil
	}
	switch h[5] {
	case elfLSB:
		return binary.LittleEndian
	case elfMSB:
		return binary.BigEndian
	}
	return nil
}

// ELF machines (e_machine) of the architectures Go builds pidone for,
// named as GOARCH names them.
var elfMachines = map[uint16]string{
	3: "386", 8: "mips", 20: "ppc", 21: "ppc64", 22: "s390x", 40: "arm",
	62: "amd64", 183: "arm64", 243: "riscv64", 258: "loong64",
}

// formatHint says why an exec of path, an existing file, failed with
// ENOEXEC, where a likely reason can be read from the file: a program for
// another architecture (an image built for arm64 run on amd64), or a
// script without a #! line. It returns "" otherwise.
func formatHint(path, dir, arch string) string {
	f, err := os.Open(inDir(path, dir))
	if err != nil {
		return ""
	}
	defer f.Close()
	var h [20]byte
	n, _ := f.ReadAt(h[:], 0)
	switch {
	case bytes.HasPrefix(h[:n], []byte("\x7fELF")):
		bo := elfByteOrder(h[:n])
		if bo == nil || n < len(h) {
			return ""
		}
		m := bo.Uint16(h[18:])
		name, ok := elfMachines[m]
		if !ok {
			name = "ELF machine " + strconv.Itoa(int(m))
		}
		if name == goarchFamily(arch) {
			return ""
		}
		return "a program for " + name + ", and this pidone is built for " + arch
	case !bytes.HasPrefix(h[:n], []byte("#!")):
		return "no #! line names the interpreter of this script, if it is one"
	}
	return ""
}

// goarchFamily is the name elfMachines gives arch's machine.
func goarchFamily(arch string) string {
	switch arch {
	case "ppc64le":
		return "ppc64"
	case "mipsle", "mips64", "mips64le":
		return "mips"
	}
	return arch
}
