#!/bin/sh
# Latency of one Mesos HTTP health check: upstream's way (the checker enters the task's network namespace and runs
# curl against 127.0.0.1:PORT) against the container-IP way of --docker_check_container_ip (curl against IP:PORT from
# the agent's own namespace, no namespace entry). Both run the exact argv of Mesos' checker
# (src/checks/checker_process.cpp: curl -s -S -L -k -w %{http_code} -o /dev/null -g URL) with the curl of the agent
# image, interleaved, against the same busybox httpd on an engine bridge network. Upstream's clone+setns is done here
# by nsenter (setns, then exec curl), which adds one exec that Mesos does not do: the upstream column is therefore an
# upper bound of upstream's cost by about one exec.
#
# usage: bench/health-check/run.sh --image <triton-mesos-agent:tag> [--checks 300] [--subnet 10.213.250.0/24]
# DOCKER_HOST selects the engine (it must run containers the host can reach on a bridge network). Results: stdout.
set -eu
image=""; checks=300; subnet="10.213.250.0/24"
while [ $# -gt 0 ]; do
  case "$1" in
    --image) image="$2"; shift 2 ;;
    --checks) checks="$2"; shift 2 ;;
    --subnet) subnet="$2"; shift 2 ;;
    *) echo "bench/health-check/run.sh: unknown argument '$1' (see the usage line at the top of the script)" >&2; exit 2 ;;
  esac
done
[ -n "$image" ] || { echo "bench/health-check/run.sh: --image <agent image> is required (docker images | grep triton-mesos-agent)" >&2; exit 2; }
busybox="triton-mesos-test/busybox:latest"
docker image inspect "$busybox" > /dev/null 2>&1 || { echo "bench/health-check/run.sh: $busybox is missing: run the test suite once (it makes it) or docker import a busybox-static rootfs under that name" >&2; exit 2; }
net="triton-mesos-bench-health-check"; app="triton-mesos-bench-health-check-app"
cleanup() { docker rm -f "$app" > /dev/null 2>&1 || true; docker network rm "$net" > /dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup
docker network create --driver bridge --subnet "$subnet" "$net" > /dev/null
docker run -d --name "$app" --network "$net" "$busybox" \
  sh -c 'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 80 -h /www' > /dev/null
ip=$(docker inspect -f "{{(index .NetworkSettings.Networks \"$net\").IPAddress}}" "$app")
pid=$(docker inspect -f '{{.State.Pid}}' "$app")
echo "machine: $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "image: $image; app: busybox httpd at $ip:80 (pid $pid); $checks checks per way, interleaved"
# The loop runs inside the agent image (its curl, its libc), on the host's network and pid namespaces like the agent.
docker run --rm --network host --pid host --cap-add SYS_ADMIN --cap-add SYS_PTRACE --entrypoint /bin/sh "$image" -c '
  set -eu; n=$1; ip=$2; pid=$3
  check() { curl -s -S -L -k -w "%{http_code}" -o /dev/null -g "$1"; }
  now() { date +%s%N; }
  i=0; : > /tmp/upstream; : > /tmp/container-ip
  while [ $i -lt "$n" ]; do
    t0=$(now); code=$(nsenter -t "$pid" -n curl -s -S -L -k -w "%{http_code}" -o /dev/null -g "http://127.0.0.1:80/"); t1=$(now)
    [ "$code" = 200 ] || { echo "upstream check answered $code" >&2; exit 1; }
    echo $(( (t1 - t0) / 1000 )) >> /tmp/upstream
    t0=$(now); code=$(check "http://$ip:80/"); t1=$(now)
    [ "$code" = 200 ] || { echo "container-ip check answered $code" >&2; exit 1; }
    echo $(( (t1 - t0) / 1000 )) >> /tmp/container-ip
    i=$((i + 1))
  done
  stats() {
    sort -n "$2" | awk -v name="$1" "{ a[NR] = \$1; s += \$1 } END {
      printf \"%-38s median %6.2f ms  p90 %6.2f ms  mean %6.2f ms  (n=%d)\n\", name,
        a[int((NR + 1) / 2)] / 1000, a[int(NR * 0.9)] / 1000, s / NR / 1000, NR }"
  }
  stats "upstream (nsenter -n, 127.0.0.1:80)" /tmp/upstream
  stats "--docker_check_container_ip (IP:80)" /tmp/container-ip
' bench "$checks" "$ip" "$pid"
