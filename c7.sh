cd /tmp/audit2
C() { echo "\$ ctl $*"; timeout 10 /tmp/audit2/pidone --ctl "$@"; echo "rc=$?"; }
printf 'a: PIDONE_ONESHOT=1 sleep 1\nb: sleep 30\n' > pf7
/tmp/audit2/pidone --procfile pf7 > c7out 2>&1 & NP=$!; sleep 0.3
C stop b; sleep 1.5; kill -0 $NP && echo pidone-still-running; C status
kill -TERM $NP; wait $NP; echo pidone-rc=$?
