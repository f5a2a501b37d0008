package main

// Integration tests of the issue "Real containers and faults": each test
// pins a defect found when pidone ran in real containers, and is named
// after it. The helpers that set the scene (capabilities dropped, another
// uid, a process entered with setns, no /proc, a removed directory) are in
// helpers_faults_test.go.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// checkOneLine fails the test unless msg is one line that starts with
// "pidone: " and contains each of names.
func checkOneLine(t *testing.T, msg string, names ...string) {
	t.Helper()
	if strings.Count(msg, "\n") != 1 || !strings.HasSuffix(msg, "\n") || !strings.HasPrefix(msg, "pidone: ") {
		t.Errorf("want one line starting %q, got %q", "pidone: ", msg)
	}
	for _, n := range names {
		if !strings.Contains(msg, n) {
			t.Errorf("message %q does not name %q", msg, n)
		}
	}
}

// nobodyFixture is setupUser with accounts as an image has them: nobody
// (65534:65534, as `docker run --user 65534` finds it) and app (1000).
func nobodyFixture(t *testing.T) userFixture {
	t.Helper()
	fx := setupUser(t)
	dir := t.TempDir()
	fx.passwd, fx.group = filepath.Join(dir, "passwd"), filepath.Join(dir, "group")
	files := map[string]string{
		fx.passwd: "root:x:0:0:root:/root:/bin/sh\n" +
			"nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n" +
			"app:x:1000:1000:App:/home/app:/bin/sh\n",
		fx.group: "root:x:0:\nnogroup:x:65534:\napp:x:1000:\n",
	}
	for path, text := range files {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return fx
}

// 1. `docker run --cap-drop ALL --cap-add SETUID --cap-add SETGID` with
// `-u nobody`: pidone could change to nobody but not signal it afterwards,
// so a docker stop could only end in SIGKILL. It must refuse at start.
func TestUserWithoutCapKillIsRefused(t *testing.T) {
	fx := nobodyFixture(t)
	eachMode(t, func(t *testing.T, m mode) {
		run := func(t *testing.T, keep string, args ...string) *pidoneRun {
			wrap := fx.wrap(helper("caps-exec", "-keep", keep, "--")...)
			return start(t, m, args, opts{wrap: wrap, dir: worldDir(t)})
		}
		t.Run("refused", func(t *testing.T) {
			marker := filepath.Join(worldDir(t), "started")
			r := run(t, "SETUID,SETGID", "-u", "nobody", "--", "sh", "-c", "touch "+marker)
			got := r.wait(10 * time.Second)
			if _, err := os.Stat(marker); err == nil {
				t.Errorf("the command ran")
			}
			if got != 1 {
				t.Fatalf("status %d, want 1; stderr %q", got, r.stderr.String())
			}
			checkOneLine(t, r.stderr.String(), "CAP_KILL", "nobody")
		})
		// Controls: the helper leaves pidone exactly SETUID and SETGID,
		// and with CAP_KILL too the same run works.
		t.Run("capabilities as docker leaves them", func(t *testing.T) {
			r := run(t, "SETUID,SETGID", "grep", "^CapBnd:", "/proc/self/status")
			if got := r.wait(10 * time.Second); got != 0 {
				t.Fatalf("status %d; stderr %q", got, r.stderr.String())
			}
			if got := strings.Join(strings.Fields(r.stdout.String()), " "); got != "CapBnd: 00000000000000c0" {
				t.Errorf("the bounding set pidone's process inherited: %q, want SETUID and SETGID alone (c0)", got)
			}
		})
		t.Run("with CAP_KILL", func(t *testing.T) {
			r := run(t, "SETUID,SETGID,KILL", "-u", "nobody", "--", "id", "-u")
			if got := r.wait(10 * time.Second); got != 0 {
				t.Fatalf("status %d; stderr %q", got, r.stderr.String())
			}
			if got := r.stdout.String(); got != "65534\n" {
				t.Errorf("id -u printed %q, want 65534", got)
			}
		})
	})
}

// 2. `docker run --user 65534 -e PIDONE_USER=65534`: pidone already is
// that user, so there is nothing to change and no capability is needed;
// it failed with 126 (setgroups: operation not permitted) as though the
// command were at fault. When a change is needed and not allowed, pidone
// must say which user and what it lacks, with status 1, never 126.
func TestUserAlreadyThatUserNeedsNoCapability(t *testing.T) {
	fx := nobodyFixture(t)
	const cmd = `echo "$(id -u) $(id -g)"; exit 7`
	cases := []struct {
		name  string
		args  []string
		env   []string
		want  int
		out   string   // stdout, when the command runs
		names []string // the message must contain each, when it does not
	}{
		{"PIDONE_USER=65534", nil, []string{"PIDONE_USER=65534"}, 7, "65534 65534\n", nil},
		{"-u nobody", []string{"-u", "nobody"}, nil, 7, "65534 65534\n", nil},
		{"-u 65534:nogroup", []string{"-u", "65534:nogroup"}, nil, 7, "65534 65534\n", nil},
		{"-u 1000", []string{"-u", "1000"}, nil, 1, "", []string{`"1000"`, "CAP_SETUID"}},
		{"-u app", []string{"-u", "app"}, nil, 1, "", []string{`"app"`, "CAP_SETUID"}},
		{"-u nobody:app", []string{"-u", "nobody:app"}, nil, 1, "", []string{`"nobody:app"`, "CAP_SETGID"}},
	}
	eachMode(t, func(t *testing.T, m mode) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				wrap := fx.wrap(helper("as-user", "65534", "65534", "--")...)
				args := append(append([]string(nil), c.args...), "--", "sh", "-c", cmd)
				r := start(t, m, args, opts{wrap: wrap, env: c.env, dir: worldDir(t)})
				got := r.wait(10 * time.Second)
				if got != c.want {
					t.Fatalf("status %d, want %d; stdout %q stderr %q", got, c.want, r.stdout.String(), r.stderr.String())
				}
				if r.stdout.String() != c.out {
					t.Errorf("stdout %q, want %q", r.stdout.String(), c.out)
				}
				if c.names == nil {
					if r.stderr.String() != "" {
						t.Errorf("stderr %q, want nothing", r.stderr.String())
					}
					return
				}
				checkOneLine(t, r.stderr.String(), c.names...)
			})
		}
	})
}
