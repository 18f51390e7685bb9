#!/usr/bin/env python3
"""Renders the application icon (the design of resources/icons/invseg-studio.svg) as RGBA PNGs in the hicolor
sizes, with 4x4 supersampling. Standard library only. Run from the repository root:
    python3 packaging/icons/make_icons.py
"""
import math
import struct
import zlib

SIZES = [16, 24, 32, 48, 64, 128, 256]


def inside_rounded_rect(x, y, x0, y0, x1, y1, r):
    if not (x0 <= x <= x1 and y0 <= y <= y1):
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def hill_top(x):
    # The SVG's cubic "M4 40 C20 30 30 48 60 34", sampled as y(x) by solving the Bezier for x.
    p0, p1, p2, p3 = (4, 40), (20, 30), (30, 48), (60, 34)
    lo, hi = 0.0, 1.0
    for _ in range(30):
        t = (lo + hi) / 2
        bx = (1 - t) ** 3 * p0[0] + 3 * (1 - t) ** 2 * t * p1[0] + 3 * (1 - t) * t * t * p2[0] + t ** 3 * p3[0]
        if bx < x:
            lo = t
        else:
            hi = t
    t = (lo + hi) / 2
    return (1 - t) ** 3 * p0[1] + 3 * (1 - t) ** 2 * t * p1[1] + 3 * (1 - t) * t * t * p2[1] + t ** 3 * p3[1]


def inside_triangle(x, y, a, b, c):
    def s(p, q, r):
        return (p[0] - r[0]) * (q[1] - r[1]) - (q[0] - r[0]) * (p[1] - r[1])
    d1, d2, d3 = s((x, y), a, b), s((x, y), b, c), s((x, y), c, a)
    return not ((d1 < 0 or d2 < 0 or d3 < 0) and (d1 > 0 or d2 > 0 or d3 > 0))


def colour_at(x, y):
    """RGBA of the 64x64 design at (x, y)."""
    if not inside_rounded_rect(x, y, 4, 4, 60, 60, 8):
        return (0, 0, 0, 0)
    rgb = (0x1F, 0x2D, 0x3D)
    if y >= hill_top(min(max(x, 4), 60)):
        rgb = (0x2E, 0x8B, 0x57)
    if (x - 44) ** 2 + (y - 20) ** 2 <= 81:
        rgb = (0xF1, 0xC4, 0x0F)
    if inside_triangle(x, y, (10, 40), (22, 18), (34, 40)):
        a = 0.85
        rgb = tuple(round(a * c + (1 - a) * b) for c, b in zip((0xC0, 0x39, 0x2B), rgb))
    return rgb + (255,)


def render(size):
    ss = 4
    rows = []
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(ss):
                for sx in range(ss):
                    x = (px + (sx + 0.5) / ss) * 64 / size
                    y = (py + (sy + 0.5) / ss) * 64 / size
                    r, g, b, a = colour_at(x, y)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            n = ss * ss
            alpha = acc[3] / n
            if acc[3]:
                row += bytes([round(acc[0] / acc[3]), round(acc[1] / acc[3]), round(acc[2] / acc[3]), round(alpha)])
            else:
                row += bytes([0, 0, 0, 0])
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    for s in SIZES:
        with open(f"packaging/icons/invseg-studio-{s}.png", "wb") as f:
            f.write(render(s))
        print(f"packaging/icons/invseg-studio-{s}.png")
