#!/usr/bin/env bash
# A throwaway S3-compatible server (s3rver, from tests/s3) for the attachment tests, on 127.0.0.1 only.
#   scripts/test-s3.sh start DIR PORT   -> prints its URL (access key and secret: S3RVER)
#   scripts/test-s3.sh stop DIR
set -euo pipefail
cd "$(dirname "$0")/.."

cmd=${1:?start|stop}
dir=${2:?data directory}
case "$cmd" in
  start)
    port=${3:?port}
    [[ -x tests/s3/node_modules/.bin/s3rver ]] || (cd tests/s3 && npm ci --no-audit --no-fund --silent >/dev/null)
    rm -rf "$dir"; mkdir -p "$dir/data"
    tests/s3/node_modules/.bin/s3rver -d "$dir/data" -a 127.0.0.1 -p "$port" --silent >"$dir/server.log" 2>&1 &
    echo $! >"$dir/pid"
    for _ in $(seq 1 100); do
      if curl -s -o /dev/null "http://127.0.0.1:$port/"; then echo "http://127.0.0.1:$port"; exit 0; fi
      kill -0 "$(cat "$dir/pid")" 2>/dev/null || { cat "$dir/server.log" >&2; exit 1; }
      sleep 0.1
    done
    echo "s3rver did not answer on port $port" >&2; cat "$dir/server.log" >&2; exit 1
    ;;
  stop)
    [[ -f $dir/pid ]] && kill "$(cat "$dir/pid")" 2>/dev/null || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
