"""Writes RESULTS.md of bench/browser.sh from its raw/*.jsonl: report.py OUT LABEL COMMIT LOAD."""
import glob, json, os, sys
out, label, commit, load = sys.argv[1:5]
def rows(name):
    path = f"{out}/raw/{name}.jsonl"
    return [json.loads(l) for l in open(path)] if os.path.exists(path) else []
def rps(w):
    return w.get("requests", 0) / max(w.get("duration_us", 1), 1) * 1e6
lines = [f"# Browser-ready HTTP: encodings and facets", "",
         f"{label}; commit {commit}; `bench/browser.sh`; load average at the end: {load}. Service, PostgreSQL, Redis "
         "and wrk share the machine's cores: compare within this file (ratios), not across machines.", "",
         "## Bytes per page (`GET /api/v1/artifacts`, 50 artifacts)", "", "| Accept-Encoding | Content-Encoding | bytes |", "|---|---|---:|"]
for r in rows("bytes"):
    lines.append(f"| {r['encoding']} | {r['content_encoding'] or 'identity'} | {r['bytes']:,} |")
enc = rows("encodings")
if enc:
    conns = sorted({r["connections"] for r in enc})
    lines += ["", "## The cached list by encoding, beside the static ceiling", "",
              "req/s (p50 / p99 ms); `browser-encodings` sends `Accept-Encoding: gzip, deflate, br, zstd` as Chrome does.", "",
              "| target | " + " | ".join(f"c={c}" for c in conns) + " | X-Cache |", "|---|" + "---:|" * len(conns) + "---|"]
    for target in dict.fromkeys(r["target"] for r in enc):
        cells = []
        for c in conns:
            r = next((r for r in enc if r["target"] == target and r["connections"] == c), None)
            cells.append("—" if r is None else f"{rps(r['wrk']):,.0f} ({r['wrk'].get('p50_us',0)/1000:.1f} / {r['wrk'].get('p99_us',0)/1000:.1f})")
        x = next((r["x_cache"] for r in enc if r["target"] == target), "")
        lines.append(f"| {target} | " + " | ".join(cells) + f" | {x} |")
    static = {r["connections"]: rps(r["wrk"]) for r in enc if r["target"] == "static"}
    lines += ["", "Ratio to the static ceiling:", ""]
    for target in dict.fromkeys(r["target"] for r in enc if r["target"] != "static"):
        ratios = [f"c={r['connections']}: {rps(r['wrk']) / static[r['connections']]:.2f}" for r in enc
                  if r["target"] == target and static.get(r["connections"])]
        lines.append(f"- {target}: " + ", ".join(ratios))
    comp = rows("compressions")
    if comp:
        lines += ["", "Compressions counted by the service (`catalog.cache.compressions`) during those steps: "
                  + ", ".join(f"{r['target']} {r['compressions_during_steps']}" for r in comp) + "."]
for path in sorted(glob.glob(f"{out}/raw/facets-*.jsonl")):
    name = os.path.basename(path)[len("facets-"):-len(".jsonl")]
    lines += ["", f"## Facets, {int(name):,} artifacts", "", "| request | connections | req/s | p50 ms | p99 ms | X-Cache |", "|---|---:|---:|---:|---:|---|"]
    for r in map(json.loads, open(path)):
        w = r["wrk"]
        lines.append(f"| {r['target']} | {r['connections']} | {rps(w):,.0f} | {w.get('p50_us',0)/1000:.1f} | {w.get('p99_us',0)/1000:.1f} | {r['x_cache']} |")
open(f"{out}/RESULTS.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
