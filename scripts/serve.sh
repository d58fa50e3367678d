#!/bin/sh
# `make serve`: gunicorn and TASK_WORKERS task workers (manage.py db_worker) side by side, as one
# service. When any of them stops, the others are stopped too and the script exits with an
# error, so the supervisor that started it (systemd, a container runtime) restarts the whole
# service; TERM or INT (Ctrl-C) stop everything gracefully. A job whose worker was stopped half
# way is rolled back with the worker's connection and shown as failed, to be run again
# (docs/deployment.md, "Background jobs").
set -u
VENV=${VENV:-.venv}
workers=${TASK_WORKERS:-1}
pids=""

stop() {
	trap - INT TERM
	# shellcheck disable=SC2086
	kill -TERM $pids 2>/dev/null
	wait
}
trap 'stop; exit 0' INT TERM

i=0
while [ "$i" -lt "$workers" ]; do
	"$VENV/bin/python" manage.py db_worker --worker-id "$(hostname)-$$-$i" &
	pids="$pids $!"
	i=$((i + 1))
done
"$VENV/bin/gunicorn" -c paradiplo/gunicorn.conf.py &
pids="$pids $!"

# Wait until one of them ends (POSIX sh has no `wait -n`: poll each second).
while :; do
	for pid in $pids; do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "serve: process $pid stopped; stopping the others" >&2
			stop
			exit 1
		fi
	done
	sleep 1
done
