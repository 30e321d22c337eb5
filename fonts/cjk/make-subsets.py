#!/usr/bin/env python3
"""Makes the shipped CJK subsets fonts/NotoSansCJK-{Regular,Bold}.subset.otf.

Run once, from the repository root, on a machine with fonttools (`pip install fonttools`)
and the Noto Sans CJK collections (Debian/Ubuntu: `apt install fonts-noto-cjk`):

    python3 fonts/cjk/make-subsets.py [/usr/share/fonts/opentype/noto]

Each output is the Simplified Chinese face (face 2, "Noto Sans CJK SC") of
NotoSansCJK-<Weight>.ttc cut down to the characters in common use, with every `locl`
lookup kept: the shaper picks the Traditional Chinese, Japanese or Korean glyph forms
when the text's language is zh-Hant, ja or ko, so one file per weight serves all four.
Hinting is dropped. The character set comes from Python's own codecs (no download):

- GB2312 hanzi (rows 0xB0-0xF7), Big5 level 1 (0xA440-0xC67E),
- JIS X 0208 (every valid EUC-JP double byte: kanji, kana, symbols),
- KS X 1001 (every valid EUC-KR double byte: the 2,350 common Hangul syllables, symbols),
- Hiragana, Katakana, CJK punctuation, half- and full-width forms, and Latin-1.

The result is deterministic for the same input fonts and fonttools version.
"""

import os
import subprocess
import sys


def double_byte(codec, first, last, lead_ok=lambda b: True):
    """Every character a double-byte codec decodes in rows first..last (inclusive)."""
    chars = set()
    for lead in range(first, last + 1):
        if not lead_ok(lead):
            continue
        for trail in range(0xA1, 0xFF):
            try:
                chars.update(bytes([lead, trail]).decode(codec))
            except UnicodeDecodeError:
                pass
    return chars


def big5_level1():
    chars = set()
    for code in range(0xA440, 0xC67F):
        lead, trail = code >> 8, code & 0xFF
        if not (0x40 <= trail <= 0x7E or 0xA1 <= trail <= 0xFE):
            continue
        try:
            chars.update(bytes([lead, trail]).decode("big5"))
        except UnicodeDecodeError:
            pass
    return chars


def charset():
    chars = set()
    chars |= double_byte("gb2312", 0xA1, 0xF7)  # symbols (A1-A9) and hanzi (B0-F7)
    chars |= big5_level1()
    chars |= double_byte("euc_jp", 0xA1, 0xFE)  # JIS X 0208
    chars |= double_byte("euc_kr", 0xA1, 0xFE)  # KS X 1001
    ranges = [
        (0x0020, 0x007E), (0x00A0, 0x00FF),  # Latin
        (0x2010, 0x2027), (0x2030, 0x203B),  # general punctuation
        (0x3000, 0x303F),  # CJK symbols and punctuation
        (0x3040, 0x309F), (0x30A0, 0x30FF),  # Hiragana, Katakana
        (0x3130, 0x318F),  # Hangul compatibility jamo
        (0xFF00, 0xFFEF),  # half- and full-width forms
    ]
    for lo, hi in ranges:
        chars.update(chr(c) for c in range(lo, hi + 1))
    return sorted(ord(c) for c in chars if not (0xE000 <= ord(c) <= 0xF8FF))


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto"
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = os.path.dirname(here)
    codes = charset()
    unicodes = os.path.join(here, "unicodes.txt")
    with open(unicodes, "w") as f:
        f.write("\n".join("U+%04X" % c for c in codes) + "\n")
    for weight in ("Regular", "Bold"):
        out = os.path.join(out_dir, "NotoSansCJK-%s.subset.otf" % weight)
        subprocess.run(
            [
                sys.executable, "-m", "fontTools.subset",
                os.path.join(src, "NotoSansCJK-%s.ttc" % weight),
                "--font-number=2",
                "--unicodes-file=" + unicodes,
                "--layout-features=ccmp,locl,liga,kern",
                "--no-hinting",
                "--name-IDs=*",
                "--name-languages=*",
                "--output-file=" + out,
            ],
            check=True,
        )
        print("%s: %d characters, %d bytes" % (out, len(codes), os.path.getsize(out)))


if __name__ == "__main__":
    main()
