#!/bin/bash
# pg_ctl refuses to run as root: re-run it as the postgres user, after letting that user
# reach the data directory (see ../shared/INFRA.md).
PGCTL=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)/pg_ctl
[ "$(id -u)" != 0 ] && exec "$PGCTL" "$@"
args=("$@"); d=
for ((i=0;i<${#args[@]};i++)); do case "${args[i]}" in -D|--pgdata) d="${args[i+1]}";; esac; done
if [ -n "$d" ]; then p=$(dirname "$d"); chown postgres: "$p"
  while [ "$p" != / ]; do chmod o+x "$p"; p=$(dirname "$p"); done; fi
exec runuser -u postgres -- "$PGCTL" "$@"
