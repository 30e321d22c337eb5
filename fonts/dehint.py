#!/usr/bin/env python3
"""Removes TrueType hinting from the shipped fonts, in place.

Hinting (the `fpgm`, `prep` and `cvt ` programs and each glyph's instructions) only
helps a screen rasterizer at small pixel sizes; a PDF is printed or zoomed, and every
reader we test (poppler, MuPDF, pdf.js, Acrobat) draws unhinted outlines well. It was
about half of every embedded font subset (7.4 KB of the 2-page sample's 17 KB of fonts).
The outlines, metrics, names and OpenType layout tables are not touched.

Run once after replacing a font:  python3 fonts/dehint.py fonts/*.ttf  (needs fontTools).
"""
import sys

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import ttProgram

# DSIG: a signature over the original tables, no longer true once they change.
HINTING_TABLES = ("fpgm", "prep", "cvt ", "hdmx", "LTSH", "VDMX", "gasp", "DSIG")


def dehint(path):
    font = TTFont(path)
    if "glyf" not in font:
        return False
    for tag in HINTING_TABLES:
        if tag in font:
            del font[tag]
    glyf = font["glyf"]
    for name in font.getGlyphOrder():
        glyph = glyf[name]
        if hasattr(glyph, "program"):
            empty = ttProgram.Program()
            empty.fromBytecode(b"")
            glyph.program = empty
    maxp = font["maxp"]
    if maxp.tableVersion >= 0x00010000:
        maxp.maxZones = 1
        maxp.maxTwilightPoints = 0
        maxp.maxStorage = 0
        maxp.maxFunctionDefs = 0
        maxp.maxInstructionDefs = 0
        maxp.maxStackElements = 0
        maxp.maxSizeOfInstructions = 0
    font.save(path)
    return True


if __name__ == "__main__":
    for p in sys.argv[1:]:
        print(("dehinted " if dehint(p) else "skipped (no glyf) ") + p)
