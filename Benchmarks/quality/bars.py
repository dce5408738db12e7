"""A horizontal bar chart as SVG text, for the quality reports: one bar per (name, value, colour)."""


def horizontal_bars(title, bars, width=760, left=300, row_height=22):
    scale = (width - left - 60) / max(v for _, v, _ in bars)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{60 + row_height * len(bars)}" font-family="sans-serif" font-size="12">',
           f'<text x="10" y="20" font-size="14">{title}</text>']
    for i, (name, value, color) in enumerate(bars):
        y = 40 + i * row_height
        svg.append(f'<text x="{left - 8}" y="{y + 14}" text-anchor="end">{name}</text>')
        svg.append(f'<rect x="{left}" y="{y + 3}" width="{value * scale:.1f}" height="{row_height - 6}" fill="{color}"/>')
        svg.append(f'<text x="{left + value * scale + 4:.1f}" y="{y + 14}">{value:.3f}</text>')
    svg.append("</svg>")
    return "\n".join(svg)
