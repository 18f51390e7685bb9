#!/usr/bin/env python3
"""Makes the small image fixtures of tests/core/image and tests/core/export (each well under 20 KB).

Run from this folder with Debian's Python and python3-pil (Pillow 9.4):  /usr/bin/python3 make_fixtures.py
Every image is computed from a formula, so the tests can recompute the expected pixels. What the tests expect:

  pattern.ppm        13x11 RGB, pixel (x, y) = (x*19 % 256, y*23 % 256, (x*y*7 + 3) % 256); the reference for the rest
  pattern.png        the same, Pillow's PNG encoder (zlib, adaptive filters)
  pattern_adam7.png  the same, interlaced (Adam7), written by png_bytes() below (Pillow cannot write interlaced PNG)
  pattern.bmp / pattern.tif / pattern_lossless.webp   the same in other lossless formats (OpenCV builds)
  gray8.png          8x2 gray, value (x + 8y) * 16 + 7
  gray16.png         5x1 16-bit gray: 0, 65535, 25700, 1000, 32768  (8-bit: 0, 255, 100, 4, 128)
  gray1.png          8x1 1-bit gray: 1,0,1,1,0,0,1,0 (8-bit: 255 or 0)
  gray_alpha.png     2x1 gray+alpha: (100, 255), (100, 0)  (over white: 100, 255)
  rgba.png           3x1 RGBA: (255,0,0,0), (0,0,255,255), (0,0,0,128)  (over white: white, blue, 127 grey)
  rgba16.png         2x1 16-bit RGBA: (65535,0,0,65535), (0,0,65535,0)  (over white: red, white); png_bytes()
  palette_trns.png   3x1 palette image, tRNS alpha (255, 0, 255): colours red, green (transparent), blue
  voc_labels.png     6x4 palette PNG with the VOC palette; labels row-major below (VOC ground-truth style)
  gray_labels.png    4x2 8-bit gray label map: 0 1 2 3 / 255 3 2 1
  rgb.jpg            16x8 solid (200, 40, 60) JPEG, quality 100
  cmyk.jpg           16x8 CMYK JPEG of C=0 M=255 Y=255 K=0 (pure red), Pillow's Adobe-style (inverted) CMYK
"""
import struct
import zlib

from PIL import Image

W, H = 13, 11


def pattern(x, y):
    return (x * 19 % 256, y * 23 % 256, (x * y * 7 + 3) % 256)


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_bytes(width, height, color_type, bit_depth, pixels, interlace=False):
    """A PNG from rows of sample tuples (filter 0 everywhere); interlace=True writes the seven Adam7 passes."""
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[color_type]
    fmt = ">" + ("H" if bit_depth == 16 else "B") * channels

    def row_bytes(coords):
        return b"\x00" + b"".join(struct.pack(fmt, *pixels[y][x]) for x, y in coords)

    raw = b""
    if interlace:
        for x0, y0, dx, dy in ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
                               (0, 1, 1, 2)):
            xs = list(range(x0, width, dx))
            if not xs:
                continue
            for y in range(y0, height, dy):
                raw += row_bytes([(x, y) for x in xs])
    else:
        for y in range(height):
            raw += row_bytes([(x, y) for x in range(width)])
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 1 if interlace else 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) +
            chunk(b"IEND", b""))


def voc_palette():
    pal = []
    for i in range(256):
        r = g = b = 0
        c = i
        for j in range(8):
            r |= ((c >> 0) & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        pal += [r, g, b]
    return pal


VOC_LABELS = [0, 0, 1, 1, 15, 15,
              0, 1, 1, 15, 15, 255,
              2, 2, 0, 0, 255, 255,
              20, 20, 20, 0, 0, 0]


def main():
    rgb = Image.new("RGB", (W, H))
    rgb.putdata([pattern(x, y) for y in range(H) for x in range(W)])
    rgb.save("pattern.ppm")
    rgb.save("pattern.png", optimize=True)
    rgb.save("pattern.bmp")
    rgb.save("pattern.tif")
    rgb.save("pattern_lossless.webp", lossless=True)
    rows = [[pattern(x, y) for x in range(W)] for y in range(H)]
    with open("pattern_adam7.png", "wb") as f:
        f.write(png_bytes(W, H, 2, 8, rows, interlace=True))

    g8 = Image.new("L", (8, 2))
    g8.putdata([(x + 8 * y) * 16 + 7 for y in range(2) for x in range(8)])
    g8.save("gray8.png")

    with open("gray16.png", "wb") as f:
        f.write(png_bytes(5, 1, 0, 16, [[(0,), (65535,), (25700,), (1000,), (32768,)]]))

    g1 = Image.new("1", (8, 1))
    g1.putdata([255 * v for v in (1, 0, 1, 1, 0, 0, 1, 0)])
    g1.save("gray1.png")

    la = Image.new("LA", (2, 1))
    la.putdata([(100, 255), (100, 0)])
    la.save("gray_alpha.png")

    rgba = Image.new("RGBA", (3, 1))
    rgba.putdata([(255, 0, 0, 0), (0, 0, 255, 255), (0, 0, 0, 128)])
    rgba.save("rgba.png")

    with open("rgba16.png", "wb") as f:
        f.write(png_bytes(2, 1, 6, 16, [[(65535, 0, 0, 65535), (0, 0, 65535, 0)]]))

    pt = Image.new("P", (3, 1))
    pt.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255])
    pt.putdata([0, 1, 2])
    pt.save("palette_trns.png", transparency=bytes([255, 0, 255]))

    voc = Image.new("P", (6, 4))
    voc.putpalette(voc_palette())
    voc.putdata(VOC_LABELS)
    voc.save("voc_labels.png")

    gl = Image.new("L", (4, 2))
    gl.putdata([0, 1, 2, 3, 255, 3, 2, 1])
    gl.save("gray_labels.png")

    Image.new("RGB", (16, 8), (200, 40, 60)).save("rgb.jpg", quality=100)
    Image.new("CMYK", (16, 8), (0, 255, 255, 0)).save("cmyk.jpg", quality=100)


if __name__ == "__main__":
    main()
