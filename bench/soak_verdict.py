"""The verdict of a soak run (bench/soak.sh): does any series trend upward?

For each series (one value a minute), a least-squares line is fitted to the minutes of the
second half of the run (the first half includes the JIT's warm-up, the connection pools
filling and the cache loading); its slope, projected over the whole run (slope x minutes), is
the series' "rise". A series fails when its rise exceeds its tolerance: a share of its value
in the first minute plus an absolute allowance (below), so a flat series with noise passes and
one that keeps growing does not. Exit status 1 if any series fails, 0 otherwise.

    python3 bench/soak_verdict.py RESULT_DIR LABEL COMMIT CAPACITY RATE CORES > verdict.md
"""
import json
import sys

# series: (label, relative tolerance of the first minute's value, absolute allowance, unit)
TOLERANCES = {
    "cached.heap_after_gc_kb": ("heap after GC, cached instance", 0.10, 8 * 1024, "KB"),
    "bypassed.heap_after_gc_kb": ("heap after GC, bypassing instance", 0.10, 8 * 1024, "KB"),
    "cached.threads": ("live threads, cached instance", 0.05, 2, ""),
    "bypassed.threads": ("live threads, bypassing instance", 0.05, 2, ""),
    "cached.pool_allocated": ("R2DBC connections open, cached instance", 0.0, 2, ""),
    "bypassed.pool_allocated": ("R2DBC connections open, bypassing instance", 0.0, 2, ""),
    "cached.pool_acquired": ("R2DBC connections in use, cached instance", 0.5, 3, ""),
    "bypassed.pool_acquired": ("R2DBC connections in use, bypassing instance", 0.5, 3, ""),
    "redis_used_memory": ("Redis used_memory", 0.10, 2 * 1024 * 1024, "B"),
    "p99_us": ("p99 of the minute", 0.50, 5000, "µs"),
}


def slope(points):
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return 0.0 if sxx == 0 else sum((x - mx) * (y - my) for x, y in points) / sxx


def value(row, path):
    for part in path.split("."):
        row = row.get(part) if isinstance(row, dict) else None
    return row


def main():
    out, label, commit, capacity, rate, cores = sys.argv[1:7]
    samples = [json.loads(line) for line in open(f"{out}/samples.jsonl")]
    minutes = [json.loads(line) for line in open(f"{out}/minutes.jsonl")]
    by_minute = {m["minute"]: dict(m) for m in minutes}
    for s in samples:
        by_minute.setdefault(s["minute"], {}).update(s)
    rows = [by_minute[m] for m in sorted(by_minute)]
    n = len(rows)
    failed = []
    lines = [f"### {label} (commit {commit})", "",
             f"{n} minutes at {rate} req/s due (capacity measured right before: {capacity} req/s; "
             f"{cores} cores shared with other sessions' builds: load averages below)", "",
             "| series | first minute | last minute | min | max | rise projected over the run (2nd-half slope x minutes) "
             "| tolerance | verdict |", "|---|---|---|---|---|---|---|---|"]
    for path, (name, relative, absolute, unit) in TOLERANCES.items():
        points = [(i + 1, value(r, path)) for i, r in enumerate(rows)]
        points = [(x, y) for x, y in points if isinstance(y, (int, float))]
        if len(points) < 2:
            lines.append(f"| {name} | no data | | | | | | skipped |")
            continue
        second = [p for p in points if p[0] > n / 2] or points
        if len(second) < 3:
            second = points
        rise = slope(second) * n
        first = points[0][1]
        tolerance = relative * first + absolute
        ok = rise <= tolerance
        if not ok:
            failed.append(name)
        ys = [y for _, y in points]
        lines.append(f"| {name} | {first:,} {unit} | {ys[-1]:,} {unit} | {min(ys):,} | {max(ys):,} | "
                     f"{rise:+,.0f} {unit} | {relative:.0%} of first + {absolute:,} | {'ok' if ok else '**grows**'} |")
    total_due = sum(r.get("due", 0) for r in rows)
    total_completed = sum(r.get("completed", 0) for r in rows)
    total_errors = sum(r.get("errors", 0) for r in rows)
    outcomes = {}
    for r in rows:
        for k, v in (r.get("outcomes") or {}).items():
            outcomes[k] = outcomes.get(k, 0) + v
    loads = [r.get("load", "") for r in rows]
    lines += ["", f"Requests due {total_due:,}, completed {total_completed:,}, answered 4xx/5xx or failed "
                  f"{total_errors:,}; change-feed events received {sum(r.get('feed_events', 0) for r in rows):,} "
                  f"over {sum(r.get('feed_connects', 0) for r in rows):,} connections.", "",
              "Outcomes: " + ", ".join(f"{k}: {v:,}" for k, v in sorted(outcomes.items())), "",
              f"Load average (1/5/15 min) at the first, middle and last sample: {loads[0] if loads else ''} / "
              f"{loads[len(loads) // 2] if loads else ''} / {loads[-1] if loads else ''}", "",
              "p99 per minute (ms): " + " ".join(f"{r.get('p99_us', 0) / 1000:.0f}" for r in rows), "",
              f"**Verdict: {'FAIL (grows: ' + ', '.join(failed) + ')' if failed else 'PASS: no series trends upward beyond its tolerance'}**"]
    print("\n".join(lines))
    sys.exit(1 if failed else 0)


main()
