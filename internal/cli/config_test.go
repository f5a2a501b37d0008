package cli

import (
	"strings"
	"testing"
)

func TestWithHome(t *testing.T) {
	cases := []struct {
		env  []string
		home string
		want string
	}{
		{[]string{"A=1"}, "/home/app", "A=1 HOME=/home/app"},
		{[]string{"HOME=", "A=1"}, "/home/app", "HOME=/home/app A=1"},
		{[]string{"HOME=/custom"}, "/home/app", "HOME=/custom"},
		{nil, "", "HOME=/"},
	}
	for _, c := range cases {
		if got := strings.Join(withHome(c.env, c.home), " "); got != c.want {
			t.Errorf("withHome(%q, %q) = %q, want %q", c.env, c.home, got, c.want)
		}
	}
}
