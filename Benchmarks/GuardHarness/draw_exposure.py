#!/usr/bin/env python3
"""Draws the Guard harness's slow-enumeration exposure before and after, per seed, as an SVG bar chart.

    python3 Benchmarks/GuardHarness/draw_exposure.py SEED:BEFORE:AFTER ... > docs/benchmarks/guard-slow-enumeration.svg

BEFORE and AFTER are the percentages of persons exposed that `guard-harness --seed SEED` reports for the
Guard before and after the long-horizon signal (the 'slow enumeration' scenario)."""
import sys

runs = [tuple(float(x) for x in arg.split(":")) for arg in sys.argv[1:]]
width, height, left, bottom, top = 640, 300, 60, 40, 40
top_value = max(max(b, a) for _, b, a in runs) * 1.15
plot_h = height - bottom - top
slot = (width - left - 20) / len(runs)
out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
       f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">Slow enumeration: persons exposed before the Guard stops the key</text>']
for tick in range(0, int(top_value) + 1, 5):
    y = top + plot_h - tick / top_value * plot_h
    out.append(f'<line x1="{left}" x2="{width - 20}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
    out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}%</text>')
for i, (seed, before, after) in enumerate(runs):
    x = left + i * slot + slot * 0.15
    bar = slot * 0.33
    for j, (value, colour) in enumerate([(before, "#c0504d"), (after, "#4f81bd")]):
        h = value / top_value * plot_h
        out.append(f'<rect x="{x + j * bar:.1f}" y="{top + plot_h - h:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" fill="{colour}"/>')
        out.append(f'<text x="{x + j * bar + bar / 2:.1f}" y="{top + plot_h - h - 4:.1f}" text-anchor="middle" font-size="10">{value:g}%</text>')
    out.append(f'<text x="{x + bar:.1f}" y="{height - bottom + 16}" text-anchor="middle">seed {int(seed)}</text>')
out.append(f'<rect x="{width - 190}" y="30" width="10" height="10" fill="#c0504d"/><text x="{width - 175}" y="39">before (e6322fb)</text>')
out.append(f'<rect x="{width - 190}" y="46" width="10" height="10" fill="#4f81bd"/><text x="{width - 175}" y="55">after (long horizon)</text>')
out.append("</svg>")
print("\n".join(out))
