#!/usr/bin/env python3
"""Compares two directories of `ckanapi dump` JSON lines (datasets, organizations, groups,
users .jsonl), as bench/ckanapi_check.sh writes them: the dump of a site and the dump of the site
it was loaded into. Prints one line per difference (at most 20 per kind) and a summary; exits 1
when anything differs. What is compared is what a migration must keep: ids, names, owners,
group links, extras, tags, resources (ids, urls, formats), organization and group titles,
memberships (from the users' and organizations' dumps)."""
import json
import sys


def load(directory, kind):
    records = {}
    try:
        with open(f"{directory}/{kind}.jsonl", encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    records[r["id"]] = r
    except FileNotFoundError:
        pass
    return records


def dataset_key(d):
    return {
        "name": d.get("name"),
        "title": d.get("title"),
        "notes": d.get("notes"),
        "owner_org": d.get("owner_org"),
        "private": d.get("private"),
        "state": d.get("state"),
        "groups": sorted(g.get("id") or g.get("name") for g in d.get("groups", [])),
        "tags": sorted(t["name"] for t in d.get("tags", [])),
        "extras": sorted((e["key"], e["value"]) for e in d.get("extras", [])),
        "resources": [(r.get("id"), r.get("url"), r.get("format")) for r in d.get("resources", [])],
        "license_id": d.get("license_id"),
    }


def org_key(o):
    members = sorted((u.get("id") or u.get("name"), u.get("capacity")) for u in o.get("users", []))
    return {"name": o.get("name"), "title": o.get("title"), "users": members}


def user_key(u):
    orgs = sorted((o.get("id"), o.get("capacity")) for o in u.get("organizations", []))
    return {"name": u.get("name"), "sysadmin": u.get("sysadmin"), "organizations": orgs}


KEYS = {"datasets": dataset_key, "organizations": org_key, "groups": org_key, "users": user_key}


def main():
    before_dir, after_dir = sys.argv[1], sys.argv[2]
    ignore_users = set(sys.argv[3].split(",")) if len(sys.argv) > 3 else set()
    differences = 0
    for kind, key in KEYS.items():
        before, after = load(before_dir, kind), load(after_dir, kind)
        if kind == "users":  # the loading sysadmin exists only on the target
            after = {i: u for i, u in after.items() if u.get("name") not in ignore_users}
            before = {i: u for i, u in before.items() if u.get("name") not in ignore_users}
        shown, kind_differences = 0, 0
        for record_id in sorted(set(before) | set(after)):
            if record_id not in after:
                message = f"{kind} {record_id} ({before[record_id].get('name')}): missing"
            elif record_id not in before:
                message = f"{kind} {record_id} ({after[record_id].get('name')}): extra"
            else:
                a, b = key(before[record_id]), key(after[record_id])
                changed = [f for f in a if a[f] != b[f]]
                if not changed:
                    continue
                field = changed[0]
                message = f"{kind} {a['name']}: {field} {a[field]!r} -> {b[field]!r}"
            kind_differences += 1
            if shown < 20:
                print(message)
                shown += 1
        differences += kind_differences
        print(f"{kind}: {len(before)} dumped, {len(after)} loaded, {kind_differences} differ")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
