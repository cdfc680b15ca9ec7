#!/usr/bin/env python3
"""Turns bench/results/raw/*.jsonl (written by bench/run.sh) into RESULTS.md and chart.svg.

Standard library only, so it runs on a fresh machine.
"""
import glob
import json
import math
import os
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "results")
RAW = os.path.join(OUT, "raw")

TARGETS = ["naive", "four-query", "ours-bypassed", "ours-cached", "static", "pgbench"]
COLOURS = {"naive": "#d62728", "four-query": "#ff7f0e", "ours-bypassed": "#1f77b4", "ours-cached": "#2ca02c",
           "static": "#7f7f7f", "pgbench": "#9467bd"}


def lines(name):
    path = os.path.join(RAW, name)
    return [json.loads(line) for line in open(path)] if os.path.exists(path) else []


def socket_errors(w):
    return sum(w.get(k, 0) for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))


def row_of(r):
    """One measurement as {rps, ok_rps, p50, p99, ...} in requests/s and milliseconds."""
    if r["target"] == "pgbench":
        return {"target": "pgbench", "c": r["connections"], "rps": r["tps"], "ok_rps": r["tps"],
                "p50": r["p50_us"] / 1000, "p95": None, "p99": r["p99_us"] / 1000, "non2xx": r.get("failed", 0),
                "socket": 0, "stmts": 1, "stmts_counted": None, "x_cache": "",
                "note": f'{r["clients"]} clients' if r["clients"] != r["connections"] else ""}
    w = r["wrk"]
    seconds = max(w.get("duration_us", 1), 1) / 1e6
    statuses = w.get("statuses", {})
    ok = sum(n for s, n in statuses.items() if s.startswith("2") or s.startswith("3"))
    non2xx = sum(n for s, n in statuses.items() if not (s.startswith("2") or s.startswith("3")))
    sample = r.get("sample_after") or r.get("sample") or {}
    return {"target": r["target"], "c": r["connections"], "rps": w.get("requests", 0) / seconds,
            "ok_rps": ok / seconds, "p50": w.get("p50_us", 0) / 1000, "p99": w.get("p99_us", 0) / 1000,
            "p95": (w["p95_us"] / 1000) if "p95_us" in w else None,
            "non2xx": non2xx, "statuses": statuses, "socket": socket_errors(w),
            "stmts": sample.get("statements"),
            "stmts_counted": (r["statements_delta"] / ok) if ok else None,
            "x_cache": sample.get("x_cache", ""), "burst": r.get("burst"), "note": ""}


def fmt(v, digits=1):
    if v is None:
        return "–"
    if isinstance(v, float):
        if v >= 100:
            return f"{v:,.0f}"
        return f"{v:,.{digits}f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


def comparison_table(rows):
    out = ["| target | connections | requests/s | of which 2xx/s | p50 ms | p95 ms | p99 ms | non-2xx (503) | socket errors/timeouts "
           "| statements/request (Server-Timing) | statements/2xx (counter) | X-Cache |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for t in TARGETS:
        for r in sorted((r for r in rows if r["target"] == t), key=lambda r: r["c"]):
            c = f'{r["c"]}' + (f' ({r["note"]})' if r["note"] else "")
            out.append(f'| {t} | {c} | {fmt(r["rps"])} | {fmt(r["ok_rps"])} | {fmt(r["p50"])} | {fmt(r["p95"])} | {fmt(r["p99"])} '
                       f'| {fmt(r["non2xx"])} | {fmt(r["socket"])} | {fmt(r["stmts"])} | {fmt(r["stmts_counted"], 2)} '
                       f'| {r["x_cache"] or ""} |')
    return "\n".join(out)


def ratio_table(rows):
    by = {(r["target"], r["c"]): r for r in rows}
    cs = sorted({r["c"] for r in rows})
    pairs = [("ours-bypassed", "naive"), ("ours-bypassed", "four-query"), ("ours-bypassed", "pgbench"),
             ("ours-cached", "static")]
    out = ["| ratio (2xx throughput; p99 in brackets, lower is better) | " + " | ".join(f"c={c}" for c in cs) + " |",
           "|---|" + "---:|" * len(cs)]
    for a, b in pairs:
        cells = []
        for c in cs:
            ra, rb = by.get((a, c)), by.get((b, c))
            if not ra or not rb:
                cells.append("–")
                continue
            if not rb["ok_rps"]:
                cells.append(f"{b} served no 2xx" if ra["ok_rps"] else "neither served 2xx")
                continue
            p99 = f' ({ra["p99"] / rb["p99"]:.2f}×)' if rb["p99"] else ""
            cells.append(f'{ra["ok_rps"] / rb["ok_rps"]:.2f}×{p99}')
        out.append(f"| {a} / {b} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def burst_table(rows):
    out = ["| target | connections | requests/s | 2xx | 503 | socket errors/timeouts | p99 ms | max ms "
           "| heap used MB | JVM threads | OS threads | RSS MB | pool acquired | pool pending |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for t in TARGETS:
        for r in rows:
            if r["target"] != t or not r.get("burst"):
                continue
            b = r["burst"]
            st = r.get("statuses", {})
            ok = sum(n for s, n in st.items() if s.startswith("2"))

            def mb(v):
                return f"{v / 1048576:,.0f}" if isinstance(v, (int, float)) else "–"

            def n(v):
                return f"{v:,.0f}" if isinstance(v, (int, float)) else "–"
            out.append(f'| {t} | {r["c"]} | {fmt(r["rps"])} | {ok:,} | {st.get("503", 0):,} | {r["socket"]:,} '
                       f'| {fmt(r["p99"])} | {fmt(r.get("max"))} | {mb(b.get("heap_used"))} | {n(b.get("jvm_threads_live"))} '
                       f'| {n(b.get("os_threads"))} | {mb(b.get("rss"))} | {n(b.get("pool_acquired"))} '
                       f'| {n(b.get("pool_pending"))} |')
    return "\n".join(out)


def scaling_tables():
    sections = []
    for path in sorted(glob.glob(os.path.join(RAW, "scaling-*.jsonl")),
                       key=lambda p: [float(x) for x in os.path.basename(p)[8:-6].split("-")]):
        name = os.path.basename(path)[:-6]
        artifacts, share = name[len("scaling-"):].split("-")
        hot = None
        hot_path = os.path.join(RAW, name + ".hot.json")
        if os.path.exists(hot_path):
            try:
                hot = json.load(open(hot_path)).get("artifactCount")
            except Exception:
                hot = None
        rows = {r["target"]: row_of(r) for r in lines(os.path.basename(path))}
        sections.append((int(artifacts), float(share), hot, rows))
    if not sections:
        return "(scaling not run)"
    out = ["| artifacts | hot collection members | endpoint | requests/s | p50 ms | p99 ms | statements/request |",
           "|---:|---:|---|---:|---:|---:|---:|"]
    for artifacts, share, hot, rows in sections:
        for t in ("first-page", "filtered-by-hot", "hot-members"):
            r = rows.get(t)
            if r:
                out.append(f'| {artifacts:,} | {fmt(hot)} | {t} | {fmt(r["rps"])} | {fmt(r["p50"])} | {fmt(r["p99"])} '
                           f'| {fmt(r["stmts"])} |')
    return "\n".join(out)


def chart(rows, path):
    """Two panels: 2xx throughput and p99 against connections, log-scaled."""
    width, height, margin = 1000, 420, 60
    panel_w = (width - 3 * margin) / 2
    cs = sorted({r["c"] for r in rows})
    if not cs:
        return
    xs = {c: i for i, c in enumerate(cs)}

    def x_of(c, left):
        return left + (xs[c] / max(len(cs) - 1, 1)) * panel_w

    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 80}" '
           f'font-family="sans-serif" font-size="12">', f'<rect width="100%" height="100%" fill="white"/>']

    def panel(left, key, title, unit):
        values = [r[key] for r in rows if r[key] and r[key] > 0]
        if not values:
            return
        lo = 10 ** math.floor(math.log10(min(values)))
        hi = 10 ** math.ceil(math.log10(max(values)))
        top, bottom = margin, height - margin

        def y_of(v):
            v = max(v, lo)
            return bottom - (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * (bottom - top)
        svg.append(f'<text x="{left + panel_w / 2}" y="{top - 20}" text-anchor="middle" font-size="14">{title}</text>')
        svg.append(f'<line x1="{left}" y1="{bottom}" x2="{left + panel_w}" y2="{bottom}" stroke="black"/>')
        svg.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="black"/>')
        decade = lo
        while decade <= hi:
            y = y_of(decade)
            svg.append(f'<line x1="{left}" y1="{y}" x2="{left + panel_w}" y2="{y}" stroke="#ddd"/>')
            svg.append(f'<text x="{left - 5}" y="{y + 4}" text-anchor="end">{decade:g}</text>')
            decade *= 10
        for c in cs:
            x = x_of(c, left)
            svg.append(f'<text x="{x}" y="{bottom + 16}" text-anchor="middle">{c}</text>')
        svg.append(f'<text x="{left + panel_w / 2}" y="{bottom + 34}" text-anchor="middle">concurrent connections</text>')
        svg.append(f'<text transform="translate({left - 45},{(top + bottom) / 2}) rotate(-90)" '
                   f'text-anchor="middle">{unit} (log)</text>')
        for t in TARGETS:
            points = sorted((r["c"], r[key]) for r in rows if r["target"] == t and r[key])
            if not points:
                continue
            coords = " ".join(f"{x_of(c, left):.1f},{y_of(v):.1f}" for c, v in points)
            svg.append(f'<polyline points="{coords}" fill="none" stroke="{COLOURS[t]}" stroke-width="2"/>')
            for c, v in points:
                svg.append(f'<circle cx="{x_of(c, left):.1f}" cy="{y_of(v):.1f}" r="3" fill="{COLOURS[t]}"/>')

    panel(margin, "ok_rps", "Successful requests per second", "requests/s")
    panel(2 * margin + panel_w, "p99", "p99 latency", "ms")
    lx = margin
    for t in TARGETS:
        svg.append(f'<rect x="{lx}" y="{height + 40}" width="14" height="4" fill="{COLOURS[t]}"/>')
        svg.append(f'<text x="{lx + 18}" y="{height + 46}">{t}</text>')
        lx += 150
    svg.append("</svg>")
    open(path, "w").write("\n".join(svg))


def main():
    machine = json.load(open(os.path.join(RAW, "machine.json"))) if os.path.exists(os.path.join(RAW, "machine.json")) else {}
    rows = [row_of(r) for r in lines("comparison.jsonl")] + [row_of(r) for r in lines("pgbench.jsonl")]
    for raw, row in zip(lines("comparison.jsonl"), rows):
        row["max"] = raw["wrk"].get("max_us", 0) / 1000
    chart(rows, os.path.join(OUT, "chart.svg"))
    md = [f'# Benchmark results — {machine.get("label", "")}', "",
          "Written by `bench/run.sh` (see the README); raw measurements in `raw/`.", "",
          "## Machine", "",
          f'- {machine.get("nproc", "?")} CPUs ({machine.get("cpu", "?")}), {machine.get("memory", "?")} memory, '
          f'{machine.get("os", "")}, kernel {machine.get("kernel", "")}',
          f'- {machine.get("jdk", "")}; service JVM options `{machine.get("java_opts", "")}`'
          + (f'; extra arguments `{machine["extra_args"]}`' if machine.get("extra_args") else ""),
          f'- {machine.get("wrk", "")}; {machine.get("pgbench", "")}; wrk, PostgreSQL, Redis and the service share the machine',
          f'- load average before the run: {machine.get("load_before", "?")}; date {machine.get("date", "")}, commit {machine.get("commit", "")}',
          f'- catalog: {machine.get("artifacts", 0):,} artifacts, {machine.get("collections", 0):,} collections, '
          f'2 memberships per artifact, hot collection share {machine.get("hot_share", "")}; '
          f'{machine.get("duration_s", "?")} s per step, wrk `--timeout {machine.get("wrk_timeout", "")}`, '
          f'{machine.get("wrk_threads", "")} wrk threads', "",
          "## Throughput and latency", "",
          "![throughput and p99 against concurrency](chart.svg)", "",
          comparison_table(rows), "",
          "Statements per request: the `Server-Timing` count of one request sampled right after the step; "
          "the counter column is the `catalog_db_statements_total` delta divided by the step's 2xx responses. "
          "pgbench runs our list statement (`ArtifactQueries`, first page, no filter) as a custom script with "
          "`-M prepared`; its clients are capped (PostgreSQL allows 300 connections).", "",
          "## Ratios", "",
          ratio_table(rows), "",
          "## Bursts (heap and threads sampled half-way through the 1,000-connection steps)", "",
          burst_table(rows), "",
          "## Scaling (ours, cache bypassed)", "",
          scaling_tables(), ""]
    open(os.path.join(OUT, "RESULTS.md"), "w").write("\n".join(md))


main()
