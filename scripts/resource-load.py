"""The load of scripts/measure-resources.sh: N clients for T seconds, each
looping over reads and writes on every service (registry: list units, add a
person — an event the notification service consumes —, list people;
notification: delivery counts; scheduling and inspection: readiness and
metrics), on loopback only. Samples the services' CPU each second from
/proc to report the busiest second. Standard library only; bounded in time."""
import argparse
import json
import os
import sys
import threading
import time
import urllib.request
import uuid


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--token", required=True)
    for service in ("registry", "scheduling", "inspection", "notification"):
        parser.add_argument(f"--{service}", required=True)
    parser.add_argument("--watch-pids", required=True, help="registry,scheduling,inspection,notification")
    args = parser.parse_args()

    headers = {"Authorization": f"Bearer {args.token}", "Content-Type": "application/json"}

    def call(method, url, body=None):
        request = urllib.request.Request(url, method=method, headers=headers, data=json.dumps(body).encode() if body else None)
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()

    _, units = call("GET", f"{args.registry}/v1/units")
    unit_ids = [u["id"] for u in json.loads(units)["items"]]

    deadline = time.monotonic() + args.seconds
    counts = {"requests": 0, "errors": 0, "people": 0}
    lock = threading.Lock()

    def client(number):
        i = 0
        while time.monotonic() < deadline:
            i += 1
            steps = [
                ("GET", f"{args.registry}/v1/units", None),
                ("POST", f"{args.registry}/v1/people",
                 {"name": f"负载{number}-{i}", "unitId": unit_ids[i % len(unit_ids)]}),
                ("GET", f"{args.registry}/v1/people?unit={unit_ids[i % len(unit_ids)]}", None),
                ("GET", f"{args.notification}/v1/deliveries/counts", None),
                ("GET", f"{args.scheduling}/health/ready", None),
                ("GET", f"{args.inspection}/metrics", None),
            ]
            for method, url, body in steps:
                try:
                    call(method, url, body)
                    ok = True
                except Exception as error:
                    ok = False
                    if counts["errors"] < 3:
                        print(f"error: {method} {url}: {error}", file=sys.stderr)
                with lock:
                    counts["requests"] += 1
                    counts["errors"] += 0 if ok else 1
                    counts["people"] += 1 if ok and method == "POST" else 0

    names = ["registry", "scheduling", "inspection", "notification"]
    pids = [int(p) for p in args.watch_pids.split(",")]
    hz = os.sysconf("SC_CLK_TCK")
    peak = {name: 0.0 for name in names}

    def ticks(pid):
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    def sampler():
        last = [ticks(p) for p in pids]
        last_time = time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(1)
            now = [ticks(p) for p in pids]
            now_time = time.monotonic()
            for name, a, b in zip(names, last, now):
                peak[name] = max(peak[name], (b - a) / hz / (now_time - last_time))
            last, last_time = now, now_time

    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)] + [threading.Thread(target=sampler)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    print(f"load: {args.clients} clients, {elapsed:.0f} s, {counts['requests']} requests "
          f"({counts['requests'] / elapsed:.0f}/s), {counts['errors']} errors, {counts['people']} people added (events)")
    for name in names:
        print(f"peak-cpu {name} {peak[name]:.3f}")


if __name__ == "__main__":
    main()
