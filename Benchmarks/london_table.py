#!/usr/bin/env python3
"""Prints the London benchmark's markdown tables from a run_london.sh data folder."""
import json
import os
import sys

d = sys.argv[1]


def path(*p):
    return os.path.join(d, *p)


def load_json(*p):
    try:
        with open(path(*p)) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def gnu_time(name):
    """(wall seconds, max RSS MiB) from /usr/bin/time -v."""
    try:
        text = open(path(name)).read()
    except OSError:
        return None, None
    wall = rss = None
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("Elapsed (wall clock)"):
            v = line.rsplit(" ", 1)[1].split(":")
            wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(v)))
        if line.startswith("Maximum resident set size"):
            rss = int(line.rsplit(" ", 1)[1]) / 1024
    return wall, rss


meta = {}
for line in open(path("meta.txt")):
    k, _, v = line.strip().partition(" ")
    meta[k] = v


def fmt(x):
    return "—" if x is None else (f"{x:.2f}" if x < 100 else f"{x:.1f}")


def ratio(peer, ours):
    return "—" if peer is None or ours is None or ours <= 0 else f"**{peer / ours:.1f}×**"


ours_manifest = load_json("ours", "manifest.json")
ours_bench = load_json("ours.json")
ours_wall, ours_rss = gnu_time("ours.time")
peer = load_json("peer.json")
peer_wall, peer_rss = gnu_time("peer.time")
ps = (peer or {}).get("stages_s", {})

if ours_manifest:
    t = dict(ours_manifest["timings_s"])
    t.update(ours_manifest.get("selection_timings_s", {}))
    t["outputs"] = t.get("surface", 0) + t.get("hotspots", 0) + t.get("write", 0)
    t["startup"] = ours_wall - ours_manifest["total_s"] if ours_wall else None
else:
    t = {r["stage"]: r["seconds"] for r in (ours_bench or {}).get("stages", [])}
    t["startup"] = ours_wall - sum(t.values()) if ours_wall else None

synth = meta.get("synth", "").split()
print(f"Study: `rtm synth --preset london --seed 1` ({synth[0] if synth else '?'} s, peak {int(synth[1]) // 1024 if len(synth) > 1 else '?'} MiB to generate).")
print(f"Load average (1, 5, 15 min) before ours: {meta.get('load_before_ours', '?')}; after ours: {meta.get('load_after_ours', '?')}; "
      f"after the peer: {meta.get('load_after_peer', '—')}.")
samples = {}
try:
    for line in open(path("load.log")):
        ph, _, v = line.strip().partition(" ")
        samples.setdefault(ph, []).append(float(v))
except OSError:
    pass
if samples:
    print("1-min load average sampled every 15 s while each part ran (2 cores; ours and the peer add up to 2 themselves): "
          + "; ".join(f"{ph} mean {sum(v) / len(v):.2f} (min {min(v):.2f}, max {max(v):.2f}, {len(v)} samples)"
                      for ph, v in samples.items() if ph in ("ours", "peer", "rerun", "quick")) + ".")
print()
print("| stage | ours (s) | peer (s) | peer / ours | ours: what | peer: what |")
print("|---|---|---|---|---|---|")
rows = [
    ("startup", "startup", "process start, spec, exit", "imports (geopandas, rasterio, statsmodels, OpenCV)"),
    ("read_inputs", "read_inputs", "GDAL/OGR + PROJ", "pyogrio + pyproj"),
    ("grid", "grid", "mask, cell index", "rasterio mask, event binning"),
    ("influences", "influences", "exact EDT, FFTW Gaussian KDE, bit-packed", "OpenCV EDT, scipy fftconvolve"),
    ("design", "design", "compress to study cells, drop constant/duplicate", "240 columns, constant/duplicate check"),
    ("cv_elastic_net", "cv_elastic_net", "RiskModel 10-fold CV elastic net", "R cv.glmnet, 2 forked workers"),
    ("stepwise", "stepwise", "stepwise BIC, Poisson + NB2, grouped", "statsmodels, grouped"),
    ("outputs", "surface_write", "surface, hotspots, GeoTIFF/GPKG/GeoJSON/CSV/HTML/manifest", "risk.tif + model.json (no hotspots)"),
]
for ours_key, peer_key, ow, pw in rows:
    o, p = t.get(ours_key), ps.get(peer_key)
    if o is None and p is None:
        continue
    print(f"| {ours_key} | {fmt(o)} | {fmt(p)} | {ratio(p, o)} | {ow} | {pw} |")
print(f"| **total (wall clock)** | **{fmt(ours_wall)}** | **{fmt(peer_wall)}** | {ratio(peer_wall, ours_wall)} | `/usr/bin/time` | `/usr/bin/time` |")
peer_mem = (peer or {}).get("peak_rss_mb", {})
print(f"| peak RSS (MiB) | {fmt(ours_rss)} | {fmt(peer_rss)} | | one process | largest process in the tree (`/usr/bin/time`); "
      f"the peer's own getrusage: Python {peer_mem.get('python', '—')} MB, largest R child {peer_mem.get('R', '—')} MB |")
print()
if ours_bench:
    print(f"Ours through the design: {ours_bench['cells']} study cells ({ours_bench['grid_cells']} in the grid), "
          f"{ours_bench['layers']} candidate layers holding {ours_bench['layer_mib']:.1f} MiB bit-packed "
          f"(Float32 per cell would be {ours_bench['layer_float32_mib']:.0f} MiB); design {ours_bench['design_mib']:.1f} MiB.")
    for r in ours_bench["stages"]:
        print(f"- {r['stage']}: {r['seconds']:.3f} s, peak RSS so far {r['peak_mib']:.0f} MiB, now {r['current_mib']:.0f} MiB ({r['note']})")
    print()

# The models side by side, with the truth.
truth = load_json("study", "truth.json")
om, pm = load_json("ours", "model.json"), load_json("peer", "model.json")


def terms(m):
    out = {}
    for x in (m or {}).get("terms", []):
        dist = x.get("distance_m") or x.get("bandwidth_m")
        out[(x["factor"], x["influence"], dist)] = x["rrv"]
    return out


if om or pm:
    print(f"Models: ours {om.get('family') if om else '—'} (BIC {om.get('bic', 0):.1f}, θ {om.get('theta')}) · "
          f"peer {pm.get('family') if pm else '—'} (BIC {pm.get('bic', 0) if pm else 0:.1f}, θ {pm.get('theta') if pm else None})")
    print()
    print("| term | true RRV | ours RRV | peer RRV |")
    print("|---|---|---|---|")
    tt = {(x["factor"], x["influence"], x["metres"]): x["rrv"] for x in (truth or {}).get("terms", [])}
    ot, pt = terms(om), terms(pm)
    for k in sorted(set(tt) | set(ot) | set(pt), key=lambda k: (k[0], k[1], k[2] or 0)):
        f = lambda v: "—" if v is None else f"{v:.3f}"
        print(f"| {k[0]} {k[1]} {k[2]:g} m | {f(tt.get(k))} | {f(ot.get(k))} | {f(pt.get(k))} |")
    print()

rerun = load_json("rerun", "manifest.json")
if rerun:
    rw, rr = gnu_time("rerun.time")
    lc = rerun.get("layer_cache") or {}
    fill = load_json("fill.json") or {}
    rt = dict(rerun["timings_s"])
    print(f"Rerun after adding one factor (hospitals) to a cache filled without it: layers {lc.get('layers_from_cache')} from cache, "
          f"{lc.get('layers_computed')} computed. Load before: {meta.get('load_before_rerun', '?')}; after: {meta.get('load_after_rerun', '?')}.")
    print()
    quick = load_json("quick", "manifest.json")
    qt = dict(quick["timings_s"]) if quick else {}
    qw, qr = gnu_time("quick.time") if quick else (None, None)
    pct = lambda b, a: f"{(b / a * 100 if a and b is not None else 0):.0f} %"
    qh = " quick rerun (`--lambda-from`) | quick / full |" if quick else ""
    print("| | full run, no cache | rerun with the cache | rerun / full |" + qh)
    print("|---|---|---|---|" + ("---|---|" if quick else ""))
    for k in ("read_inputs", "influences", "design", "selection"):
        a, b = t.get(k), rt.get(k)
        q = f" {fmt(qt.get(k))} | {pct(qt.get(k), a)} |" if quick else ""
        print(f"| {k} | {fmt(a)} | {fmt(b)} | {pct(b, a)} |" + q)
    q = f" {fmt(qw)} | {pct(qw, ours_wall)} |" if quick else ""
    print(f"| total (wall clock) | {fmt(ours_wall)} | {fmt(rw)} | {pct(rw, ours_wall)} |" + q)
    print(f"| peak RSS (MiB) | {fmt(ours_rss)} | {fmt(rr)} | |" + (f" {fmt(qr)} | |" if quick else ""))
    if fill:
        st = {r['stage']: r['seconds'] for r in fill.get('stages', [])}
        print()
        print(f"(Filling the cache with the other 19 factors, through the design: influences {st.get('influences', 0):.2f} s.)")
    print()
    same = load_json("ours", "model.json") == load_json("rerun", "model.json")
    print(f"model.json of the rerun {'is identical to' if same else 'DIFFERS from'} the full run's.")
    qm = load_json("quick", "model.json")
    if qm and om:
        same_terms = terms(qm).keys() == terms(om).keys() and qm.get("family") == om.get("family")
        print()
        print(f"Quick rerun: the shortlist at λ = {qm['glmnet']['lambda']:.4g}, the λ.min of the run without hospitals "
              f"(that run: {fmt(gnu_time('previous.time')[0])} s), against λ.min {om['glmnet']['lambda']:.4g} of the full run; "
              f"{len(qm['glmnet']['nonzero'])} shortlisted against {len(om['glmnet']['nonzero'])}. Its model "
              f"{'has the same family and terms as' if same_terms else 'DIFFERS from'} the full run's "
              f"(BIC {qm['bic']:.1f} against {om['bic']:.1f}).")
