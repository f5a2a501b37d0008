package procfile

import (
	"fmt"
	"strings"
	"testing"
)

var afterTests = []struct {
	name string
	in   string
	want string // the error message, "" for none
}{
	{"none", "a: x\nb: y\n", ""},
	{"chain", "a: x\nb: PIDONE_AFTER=a y\nc: PIDONE_AFTER=b z\n", ""},
	{"forward reference", "a: PIDONE_AFTER=b x\nb: y\n", ""},
	{"diamond", "a: x\nb: PIDONE_AFTER=a y\nc: PIDONE_AFTER=a y\nd: PIDONE_AFTER=b,c z\n", ""},
	{"unknown", "a: x\nb: PIDONE_AFTER=a,c y\n", `procfile p:2: PIDONE_AFTER: no line declares "c"`},
	{"unknown differs in case", "a: x\nb: PIDONE_AFTER=A y\n", `procfile p:2: PIDONE_AFTER: no line declares "A"`},
	{"self", "a: x\nb: PIDONE_AFTER=a,b y\n", `procfile p:2: PIDONE_AFTER: "b" cannot wait for itself`},
	{"two", "a: PIDONE_AFTER=b x\nb: PIDONE_AFTER=a y\n",
		`procfile p:1: PIDONE_AFTER makes a cycle, where each waits for the next: a -> b -> a`},
	{"three, found from a later line", "z: x\nb: PIDONE_AFTER=c y\na: PIDONE_AFTER=b x\nc: PIDONE_AFTER=a y\n",
		`procfile p:2: PIDONE_AFTER makes a cycle, where each waits for the next: b -> c -> a -> b`},
	{"cycle behind a chain", "web: PIDONE_AFTER=app x\napp: PIDONE_AFTER=db y\ndb: PIDONE_AFTER=cache z\ncache: PIDONE_AFTER=db w\n",
		`procfile p:3: PIDONE_AFTER makes a cycle, where each waits for the next: db -> cache -> db`},
	{"unknown before cycle", "a: PIDONE_AFTER=b x\nb: PIDONE_AFTER=a,nope y\n", `procfile p:2: PIDONE_AFTER: no line declares "nope"`},
}

func TestAfter(t *testing.T) {
	for _, tt := range afterTests {
		_, err := Parse("p", strings.NewReader(tt.in), testConfig)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != "" && (err == nil || err.Error() != tt.want):
			t.Errorf("%s:\n got %v\nwant %s", tt.name, err, tt.want)
		}
	}
}

func TestAfterLongChain(t *testing.T) {
	// A chain as long as the size limit allows must neither overflow a
	// stack nor take long; closing it makes a cycle through every line.
	const n = 25000
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "p%d: PIDONE_AFTER=p%d x\n", i, i+1)
	}
	fmt.Fprintf(&b, "p%d: x\n", n)
	if _, err := Parse("p", strings.NewReader(b.String()), testConfig); err != nil {
		t.Fatal(err)
	}
	closed := strings.Replace(b.String(), fmt.Sprintf("p%d: x", n), fmt.Sprintf("p%d: PIDONE_AFTER=p0 x", n), 1)
	_, err := Parse("p", strings.NewReader(closed), testConfig)
	if err == nil || !strings.HasPrefix(err.Error(), "procfile p:1: PIDONE_AFTER makes a cycle, where each waits for the next: p0 -> p1 -> ") ||
		!strings.HasSuffix(err.Error(), fmt.Sprintf(" -> p%d -> p0", n)) {
		t.Errorf("got %.200v", err)
	}
}
