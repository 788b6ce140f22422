#!/usr/bin/env bash
#
# Throughput of the built-in proxy next to nginx doing the same job, on this machine: wrk sends
# keep-alive GETs through each proxy to one nginx upstream (a 13-byte answer), then asks each for
# a small static file. Prints requests per second and the ratio. Not a test: figures go to
# docs/benchmarks.md. Needs nginx and wrk (apt-get install nginx-light wrk).
#
# Usage: bench/proxy.sh [seconds per run, default 10] [connections, default 64]
#
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
CONNECTIONS=${2:-64}
WORK=$PWD/bench/work/proxy
UPSTREAM_PORT=18181 NGINX_PORT=18182 HOP3_PORT=18183
rm -rf "$WORK" && mkdir -p "$WORK/site" "$WORK/logs"
head -c 2048 /dev/urandom | base64 > "$WORK/site/page.html"

for tool in nginx wrk mvn java; do
  command -v $tool >/dev/null || { echo "bench/proxy.sh needs $tool" >&2; exit 1; }
done

echo "Building the proxy and its test classpath..."
mvn -B -q -o test-compile dependency:build-classpath -pl plugins/proxy-builtin -am \
  -Dmdep.outputFile="$WORK/classpath" -Dmdep.includeScope=test >/dev/null
CP=plugins/proxy-builtin/target/classes:plugins/proxy-builtin/target/test-classes:api/target/classes:$(cat "$WORK/classpath")

cat > "$WORK/upstream.conf" <<CONF
worker_processes 1;
pid $WORK/upstream.pid;
error_log $WORK/logs/upstream-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$UPSTREAM_PORT reuseport;
    keepalive_requests 1000000;
    location / { default_type text/plain; return 200 "hello world\n"; }
  }
}
CONF
cat > "$WORK/proxy.conf" <<CONF
worker_processes auto;
pid $WORK/proxy.pid;
error_log $WORK/logs/proxy-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  include /etc/nginx/mime.types;
  upstream app { server 127.0.0.1:$UPSTREAM_PORT; keepalive 64; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    keepalive_requests 1000000;
    server_name app.bench;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$host;
      proxy_set_header X-Forwarded-Port \$server_port;
    }
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    keepalive_requests 1000000;
    server_name static.bench;
    root $WORK/site;
  }
}
CONF

cleanup() {
  [ -f "$WORK/upstream.pid" ] && kill "$(cat "$WORK/upstream.pid")" 2>/dev/null || true
  [ -f "$WORK/proxy.pid" ] && kill "$(cat "$WORK/proxy.pid")" 2>/dev/null || true
  [ -n "${HOP3_PID:-}" ] && kill "$HOP3_PID" 2>/dev/null || true
}
trap cleanup EXIT
nginx -c "$WORK/upstream.conf" -e "$WORK/logs/upstream-error.log"
nginx -c "$WORK/proxy.conf" -e "$WORK/logs/proxy-error.log"
java -Xms512m -Xmx512m -cp "$CP" cloud.hop3.proxy.builtin.BenchProxy $HOP3_PORT $UPSTREAM_PORT "$WORK/site" >"$WORK/logs/hop3.log" 2>&1 &
HOP3_PID=$!
for _ in $(seq 100); do grep -q "ready on" "$WORK/logs/hop3.log" 2>/dev/null && break; sleep 0.1; done

rps() { # port host path
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -H "Host: $2" "http://127.0.0.1:$1$3" | awk '/Requests\/sec/ {print $2}'
}
check() { # port host path
  curl -fsS -H "Host: $2" "http://127.0.0.1:$1$3" >/dev/null || { echo "no answer from port $1 for $2$3" >&2; exit 1; }
}
check $NGINX_PORT app.bench / ; check $HOP3_PORT app.bench / ; check $NGINX_PORT static.bench /page.html ; check $HOP3_PORT static.bench /page.html

echo "Warming up the JVM..."
wrk -t2 -c"$CONNECTIONS" -d10s -H "Host: app.bench" "http://127.0.0.1:$HOP3_PORT/" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d5s -H "Host: static.bench" "http://127.0.0.1:$HOP3_PORT/page.html" >/dev/null

printf "%-22s %12s %12s %7s\n" "case ($CONNECTIONS conns)" "nginx req/s" "hop3 req/s" "ratio"
for case in "proxy app.bench /" "static static.bench /page.html"; do
  set -- $case
  n1=$(rps $NGINX_PORT "$2" "$3"); h1=$(rps $HOP3_PORT "$2" "$3")
  n2=$(rps $NGINX_PORT "$2" "$3"); h2=$(rps $HOP3_PORT "$2" "$3")
  n=$(echo "($n1 + $n2) / 2" | bc -l); h=$(echo "($h1 + $h2) / 2" | bc -l)
  printf "%-22s %12.0f %12.0f %7.2f\n" "$1" "$n" "$h" "$(echo "$h / $n" | bc -l)"
done
