#!/usr/bin/env python3
"""Draws the exercise pictures of the knee-arthroscopy sample handout.

Simple black-on-white line drawings of a person lying on a mat, made with Pillow:
    python3 handouts/images/draw.py      # writes the PNGs beside this script

Drawn for this project; dedicated to the public domain (CC0 1.0), like the samples.
Each picture is drawn at twice its size and scaled down, so the lines are smooth.
"""

import math
import os
import struct
import zlib

from PIL import Image, ImageDraw

W, H = 600, 240  # drawn in this box (pixels), then cropped; 150 px is an inch at the natural size
S = 2  # drawn at twice the size
LINE = 7 * S  # body lines
THIN = 4 * S  # arrows, mat
INK = 0
PAPER = 255


def canvas():
    img = Image.new("L", (W * S, H * S), PAPER)
    return img, ImageDraw.Draw(img)


def p(x, y):
    return (x * S, y * S)


def line(d, pts, width=LINE):
    pts = [p(*q) for q in pts]
    d.line(pts, fill=INK, width=width, joint="curve")
    r = width / 2
    for (x, y) in (pts[0], pts[-1]):
        d.ellipse((x - r, y - r, x + r, y + r), fill=INK)


def dashed(d, a, b, dash=10, width=THIN):
    (x0, y0), (x1, y1) = a, b
    n = max(1, int(math.hypot(x1 - x0, y1 - y0) / dash))
    for i in range(0, n, 2):
        t0, t1 = i / n, min(1, (i + 1) / n)
        line(d, [(x0 + (x1 - x0) * t0, y0 + (y1 - y0) * t0), (x0 + (x1 - x0) * t1, y0 + (y1 - y0) * t1)], width)


def head(d, x, y, r=22):
    d.ellipse((p(x - r, y - r), p(x + r, y + r)), outline=INK, width=LINE)


def arrow_head(d, tip, angle, size=16):
    x, y = tip
    left = (x - size * math.cos(angle - 0.45), y - size * math.sin(angle - 0.45))
    right = (x - size * math.cos(angle + 0.45), y - size * math.sin(angle + 0.45))
    d.polygon([p(*tip), p(*left), p(*right)], fill=INK)


def arc_arrow(d, cx, cy, r, start, end, both=False):
    """An arrow along a circle around (cx, cy), from angle `start` to `end` (degrees)."""
    steps = 24
    pts = []
    for i in range(steps + 1):
        a = math.radians(start + (end - start) * i / steps)
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    line(d, pts, THIN)
    sign = 1 if end > start else -1

    def tangent(a):
        return math.radians(a) + sign * math.pi / 2

    arrow_head(d, pts[-1], tangent(end))
    if both:
        arrow_head(d, pts[0], tangent(start) + math.pi)


def straight_arrow(d, a, b, both=False):
    line(d, [a, b], THIN)
    ang = math.atan2(b[1] - a[1], b[0] - a[0])
    arrow_head(d, b, ang)
    if both:
        arrow_head(d, a, ang + math.pi)


MAT_Y = 212
BODY_Y = 194
SHOULDER = (128, BODY_Y)
HIP = (300, BODY_Y)


def mat(d):
    line(d, [(30, MAT_Y), (570, MAT_Y)], THIN)


def lying_body(d):
    """Head and torso, lying on the back on the mat."""
    head(d, 94, 184)
    line(d, [SHOULDER, HIP], LINE * 2)


def straight_leg(d, hip=HIP, angle_deg=0.0, length=230, knee=None):
    """A straight leg from the hip; the foot points up (toes to the ceiling)."""
    a = math.radians(-angle_deg)
    ankle = (hip[0] + length * math.cos(a), hip[1] + length * math.sin(a))
    line(d, [hip, knee, ankle] if knee else [hip, ankle])
    fa = a - math.pi / 2 + 0.12
    line(d, [ankle, (ankle[0] + 40 * math.cos(fa), ankle[1] + 40 * math.sin(fa))])
    return ankle


def bent_leg(d, knee, heel):
    line(d, [HIP, knee, heel])
    line(d, [heel, (heel[0] + 32, heel[1] + 2)])  # the foot flat on the mat


def save(img, name):
    # Cropped to the drawing with a small white margin, so it starts at the text's edge.
    left, top, right, bottom = Image.eval(img, lambda v: 255 - v).getbbox()
    m = 8 * S
    box = (max(0, left - m), max(0, top - m), min(img.width, right + m), min(img.height, bottom + m))
    img = img.crop(box)
    out = img.resize((img.width // S, img.height // S), Image.LANCZOS)
    # Pure white and black stay; the smoothed edges keep a few grays.
    out = out.quantize(colors=16, dither=Image.NONE).convert("L")
    write_png(os.path.join(os.path.dirname(os.path.abspath(__file__)), name), out)


def write_png(path, img):
    """Writes a gray image as an 8-bit PNG with unfiltered rows deflated at level 9 (the
    filtered strategy): for these line drawings of a few grays that is a fifth smaller than
    Pillow's adaptive row filters, and handout embeds a PNG's rows in the PDF as they are."""
    w, h = img.size
    raw = img.tobytes()
    rows = b"".join(b"\0" + raw[y * w : (y + 1) * w] for y in range(h))
    z = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_FILTERED)
    data = z.compress(rows) + z.flush()

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b""))


def leg_raise():
    """Straight-leg raise: one knee bent, the other leg lifted straight."""
    img, d = canvas()
    mat(d)
    lying_body(d)
    bent_leg(d, knee=(382, 118), heel=(448, 206))
    dashed(d, HIP, (530, BODY_Y))  # where the straight leg starts: on the mat
    straight_leg(d, angle_deg=24)
    arc_arrow(d, HIP[0], HIP[1], 196, -4, -19)
    save(img, "leg-raise.png")


def quad_set():
    """Quad set: the leg straight on a rolled towel, the knee pressed down into it."""
    img, d = canvas()
    mat(d)
    lying_body(d)
    d.ellipse((p(402, 182), p(430, 210)), outline=INK, width=THIN)
    d.ellipse((p(411, 191), p(421, 201)), outline=INK, width=THIN)
    straight_leg(d, angle_deg=0, length=230, knee=(416, 176))
    straight_arrow(d, (416, 96), (416, 156))
    save(img, "quad-set.png")


def ankle_pumps():
    """Ankle pumps: the foot pulled up (solid) and pointed away (dashed), in turn."""
    img, d = canvas()
    mat(d)
    lying_body(d)
    ankle = straight_leg(d, angle_deg=0, length=230)
    a = math.radians(62)
    dashed(d, ankle, (ankle[0] + 44 * math.sin(a), ankle[1] - 44 * math.cos(a)), width=LINE)
    arc_arrow(d, ankle[0], ankle[1], 68, -92, -36, both=True)
    save(img, "ankle-pumps.png")


def heel_slide():
    """Heel slides: the heel slides along the mat toward the buttock, bending the knee."""
    img, d = canvas()
    mat(d)
    lying_body(d)
    dashed(d, HIP, (530, BODY_Y))  # the start: the leg straight on the mat
    bent_leg(d, knee=(392, 112), heel=(446, 204))
    straight_arrow(d, (548, 228), (452, 228))
    save(img, "heel-slide.png")


def eeg_electrodes():
    """For the EEG sample: a head seen from the front with electrodes and their wires."""
    img, d = canvas()
    cx, cy, r = 230, 140, 82
    d.ellipse((p(cx - r, cy - r), p(cx + r, cy + r)), outline=INK, width=LINE)
    for side in (-1, 1):  # ears
        ex = cx + side * (r + 4)
        d.ellipse((p(ex - 12, cy - 10), p(ex + 12, cy + 26)), outline=INK, width=LINE)
    line(d, [(cx - 30, cy + 10), (cx - 12, cy + 10)], THIN)  # closed eyes
    line(d, [(cx + 12, cy + 10), (cx + 30, cy + 10)], THIN)
    line(d, [(cx - 18, cy + 52), (cx + 18, cy + 52)], THIN)  # mouth
    wires = []
    for ang in (-160, -135, -112, -90, -68, -45, -20, -150, -30):
        a = math.radians(ang)
        rr = r - 14 if ang not in (-150, -30) else r - 44
        x, y = cx + rr * math.cos(a), cy + rr * math.sin(a)
        d.ellipse((p(x - 9, y - 9), p(x + 9, y + 9)), fill=INK)
        wires.append((x, y))
    # The wires run to the recorder on the right.
    box = (430, 80, 560, 170)
    d.rectangle((p(box[0], box[1]), p(box[2], box[3])), outline=INK, width=LINE)
    for i in range(3):  # brain waves on its screen
        y0 = 100 + i * 24
        pts = [(450 + k * 4, y0 + 6 * math.sin(k * 0.9 + i)) for k in range(24)]
        line(d, pts, THIN // 2 + 2)
    for i, (x, y) in enumerate(wires):
        ty = 95 + i * 7
        # Up from the electrode, over the top of the head, then to the recorder.
        top = (cx + (x - cx) * 0.5 + 40, cy - r - 14 - i * 2)
        line(d, [(x, y), (x + (top[0] - x) * 0.3, top[1] + 8), top, (box[0], ty)], 3 * S // 2 + 1)
    save(img, "eeg-electrodes.png")


if __name__ == "__main__":
    eeg_electrodes()
    leg_raise()
    quad_set()
    ankle_pumps()
    heel_slide()
