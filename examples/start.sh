#!/bin/sh
# start.sh: the kind of script that loses data under tini or dumb-init.
# It puts a job in the background and does not exec its last command, so
# when the main work ends the script exits and, with it, the init.
#
# A background job that must flush its data when it gets SIGTERM:
( trap 'echo "flushing on TERM"; sleep 1; echo "flushed"; exit 0' TERM
  while :; do sleep 1; done ) &

echo "main work"; sleep 2
exit 0
