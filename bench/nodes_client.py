#!/usr/bin/env python3
"""Write-side client of bench/bench_nodes.sh: HTTP against one or more `datamap serve` nodes.

  latency URL_WRITE URL_READ TOKEN ORG N
      N package_create calls on URL_WRITE, one at a time; after each, package_search (fq=name:…)
      is polled on URL_READ until the new dataset is found. Prints p50/p99/max of the time from
      the create's answer to the first search that finds it (change-to-searchable latency).

  writes SECONDS URLS TOKENS_FILE
      One client per line of TOKENS_FILE ("org token": an agency and its editor's API token), all
      at once for SECONDS: each writes package_create / package_patch in its own organization,
      sending its requests to the comma-separated URLS in turn. Afterwards every node is checked:
      each acknowledged create is there exactly once (package_search per organization, paged) with
      the notes of its last acknowledged patch; nothing unacknowledged appears. Prints writes/s
      and the non-2xx answers by status; exits 1 if any answer was a 5xx or a check failed.

Only the standard library: the figures measure the server, and this client is not on any path
a user takes.
"""
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse


class Node:
    """One keep-alive connection to one node (per thread: http.client is not thread-safe)."""

    def __init__(self, url):
        self.url = url
        u = urllib.parse.urlparse(url)
        self.host, self.port = u.hostname, u.port
        self.conn = None

    def request(self, method, path, body=None, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = token
        data = json.dumps(body).encode() if body is not None else None
        for attempt in (0, 1):  # one reconnect if the server closed an idle keep-alive socket
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                payload = r.read()
                return r.status, payload
            except (http.client.HTTPException, ConnectionError) as e:
                self.conn.close()
                self.conn = None
                if attempt:
                    return 0, str(e).encode()  # 0: no answer (connection lost)

    def action(self, name, body, token=None):
        return self.request("POST", "/api/3/action/" + name, body, token)

    def search(self, params):
        return self.request("GET", "/api/3/action/package_search?" + urllib.parse.urlencode(params))


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def latency(url_write, url_read, token, org, n):
    writer, reader = Node(url_write), Node(url_read)
    stamp = "%x" % int(time.time() * 1000)
    waits = []
    for i in range(n):
        name = "lat-%s-%d" % (stamp, i)
        status, body = writer.action(
            "package_create", {"name": name, "title": "Latency probe %d" % i, "owner_org": org}, token)
        if status != 200:
            sys.exit("latency: package_create answered %d: %s" % (status, body[:300]))
        t0 = time.monotonic()
        while True:
            status, body = reader.search({"fq": "name:" + name, "rows": 0})
            if status == 200 and json.loads(body)["result"]["count"] == 1:
                break
            if time.monotonic() - t0 > 30:
                sys.exit("latency: %s not searchable on %s after 30 s" % (name, url_read))
            time.sleep(0.002)
        waits.append((time.monotonic() - t0) * 1000)
    print("change-to-searchable over %d creates: p50 %.1f ms  p99 %.1f ms  max %.1f ms"
          % (n, percentile(waits, 50), percentile(waits, 99), max(waits)))
    print("LATENCY %.1f %.1f %.1f" % (percentile(waits, 50), percentile(waits, 99), max(waits)))


class Agency(threading.Thread):
    """One agency's client: creates datasets in its organization and patches them."""

    def __init__(self, index, org, token, urls, stop_at, stamp):
        super().__init__()
        self.index, self.org, self.token, self.stop_at = index, org, token, stop_at
        self.nodes = [Node(u) for u in urls]
        self.prefix = "w-%s-%d-" % (stamp, index)
        self.acked = {}      # name -> notes of its last acknowledged write
        self.unsure = set()  # names whose create got no answer or a 5xx: may or may not exist
        self.maybe = {}      # name -> notes of writes since its last acknowledged one that got
                             # no answer or a 5xx: they may have been applied
        self.statuses = {}   # non-2xx status -> count
        self.writes = 0      # acknowledged writes
        self.latencies = []
        self.rng = random.Random(index)

    def run(self):
        op = 0
        while time.monotonic() < self.stop_at:
            node = self.nodes[op % len(self.nodes)]
            op += 1
            notes = "agency %d write %d" % (self.index, op)
            if not self.acked or self.rng.random() < 0.25:
                name = self.prefix + str(op)
                action, body = "package_create", {
                    "name": name, "title": "Agency %d dataset %d" % (self.index, op),
                    "owner_org": self.org, "notes": notes}
            else:
                name = self.rng.choice(list(self.acked))
                action, body = "package_patch", {"id": name, "notes": notes}
            t0 = time.monotonic()
            status, payload = node.action(action, body, self.token)
            self.latencies.append((time.monotonic() - t0) * 1000)
            if status == 200:
                self.acked[name] = notes
                self.maybe.pop(name, None)
                self.writes += 1
            else:
                self.statuses[status] = self.statuses.get(status, 0) + 1
                if status == 0 or status >= 500:
                    print("  %s %s on %s: %d %s" % (action, name, node.url, status,
                                                    payload[:200].decode(errors="replace")))
                    if action == "package_create":
                        self.unsure.add(name)
                    self.maybe.setdefault(name, set()).add(notes)


def organization_datasets(node, org):
    """name -> [notes, …] of every dataset package_search finds in org on node (paged)."""
    found, start = {}, 0
    while True:
        status, body = node.search({"fq": "organization:" + org, "rows": 1000, "start": start,
                                    "sort": "name asc"})
        if status != 200:
            raise RuntimeError("package_search on %s answered %d" % (node.url, status))
        result = json.loads(body)["result"]
        for d in result["results"]:
            found.setdefault(d["name"], []).append(d.get("notes"))
        start += len(result["results"])
        if not result["results"] or start >= result["count"]:
            return found, result["count"]


def check_node(url, agencies):
    """The problems found on one node, [] when every acknowledged write is there exactly once."""
    node, problems = Node(url), []
    for a in agencies:
        found, count = organization_datasets(node, a.org)
        found = {n: v for n, v in found.items() if n.startswith(a.prefix)}
        for name, notes in a.acked.items():
            if name not in found:
                problems.append("%s: %s lost (acknowledged, not found)" % (url, name))
            elif len(found[name]) != 1:
                problems.append("%s: %s found %d times" % (url, name, len(found[name])))
            elif found[name][0] != notes and found[name][0] not in a.maybe.get(name, ()):
                problems.append("%s: %s has notes %r, last acknowledged %r"
                                % (url, name, found[name][0], notes))
        for name in found:
            if name not in a.acked and name not in a.unsure:
                problems.append("%s: %s present but never acknowledged" % (url, name))
    return problems


def writes(seconds, urls, tokens_file):
    pairs = [line.split() for line in open(tokens_file) if line.strip()]
    stamp = "%x" % int(time.time() * 1000)
    stop_at = time.monotonic() + seconds
    agencies = [Agency(i, org, token, urls, stop_at, stamp) for i, (org, token) in enumerate(pairs)]
    t0 = time.monotonic()
    for a in agencies:
        a.start()
    for a in agencies:
        a.join()
    elapsed = time.monotonic() - t0
    total = sum(a.writes for a in agencies)
    statuses = {}
    for a in agencies:
        for s, c in a.statuses.items():
            statuses[s] = statuses.get(s, 0) + c
    lat = [x for a in agencies for x in a.latencies]
    datasets = sum(len(a.acked) for a in agencies)
    print("%d clients on %d node(s), %.1f s: %d acknowledged writes (%d datasets), %.1f writes/s,"
          " write p50 %.1f ms p99 %.1f ms; non-2xx: %s"
          % (len(agencies), len(urls), elapsed, total, datasets, total / elapsed,
             percentile(lat, 50), percentile(lat, 99),
             ", ".join("%s×%d" % (s or "no answer", c) for s, c in sorted(statuses.items()))
             or "none"))
    # Followers apply the log within a second or two: wait (up to 60 s) for every node to agree.
    deadline = time.monotonic() + 60
    while True:
        problems = [p for u in urls for p in check_node(u, agencies)]
        if not problems or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    for p in problems[:20]:
        print("  CHECK FAILED " + p)
    if len(problems) > 20:
        print("  … and %d more" % (len(problems) - 20))
    server_errors = sum(c for s, c in statuses.items() if s == 0 or s >= 500)
    print("check on every node: %s; 5xx or unanswered: %d"
          % ("every acknowledged write present once with its last value" if not problems
             else "%d problems" % len(problems), server_errors))
    print("WRITES %.1f %.1f %.1f %d %d" % (total / elapsed, percentile(lat, 50), percentile(lat, 99),
                                          server_errors, len(problems)))
    return 1 if problems or server_errors else 0


if __name__ == "__main__":
    if len(sys.argv) == 7 and sys.argv[1] == "latency":
        latency(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]))
    elif len(sys.argv) == 5 and sys.argv[1] == "writes":
        sys.exit(writes(float(sys.argv[2]), sys.argv[3].split(","), sys.argv[4]))
    else:
        sys.exit(__doc__)
