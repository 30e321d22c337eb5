//! The fuzzer's mutations: byte flips and swaps, inserted tokens (markup, YAML, scripts,
//! marks, emoji, bidi controls), deletions, duplications, splices of another input's
//! lines, repeated lines and tokens (many blocks, long runs), wrapping in nested pairs
//! thousands deep, indentation changes, line swaps and truncation.

/// Largest input made: a little over the 1 MiB limit, so the size check is hit too.
pub const MAX_LEN: usize = (1 << 20) + 64;

/// Markup, YAML and Unicode pieces inserted by mutation.
const TOKENS: &[&str] = &[
    "{{",
    "}}",
    "{{patient_name}}",
    "{{follow_up|date}}",
    "{{bad_date|date}}",
    "{{mrn|upper}}",
    "{{contact.phone}}",
    "{{contact.fax}}",
    "{{nope}}",
    "{{ }}",
    "{{|}}",
    "**",
    "*",
    "_",
    "__",
    "`",
    "\\",
    "\\{",
    "[x](",
    "](https://example.org)",
    "](javascript:alert(1))",
    "](file:///etc/passwd)",
    "](data:text/html,x)",
    "]()",
    "](mailto:a@b.c)",
    "](tel:+15550100)",
    "](//evil)",
    "<https://example.org>",
    "<file:///x>",
    "<javascript:x>",
    "<mailto:a@b>",
    "![i](https://x/i.png)",
    "<b>",
    "&amp;",
    "- ",
    ": ",
    "\n  - ",
    "\n      - ",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "  ",
    "\"",
    "'",
    "&a ",
    "*a ",
    "!!str ",
    "---\n",
    "...\n",
    "# ",
    "|\n  ",
    ">-\n  ",
    "? ",
    "{",
    "}",
    "[",
    "]",
    ", ",
    "\\u0301",
    "\\0",
    "\\a",
    "\\x07",
    "\\uD800",
    "\\U0001F600",
    "\\N",
    "\\_",
    "\u{feff}",
    "\u{0301}",
    "\u{064E}",
    "\u{200F}",
    "\u{202E}",
    "\u{2067}",
    "\u{2069}",
    "\u{200D}",
    "\u{FE0F}",
    "👩\u{200D}⚕\u{FE0F}",
    "👍🏽",
    "🇺🇸",
    "مرحبا بكم",
    "لا",
    "שלום",
    "سلام دنیا",
    "中文字",
    "한글",
    "あア",
    "ไทยคำ",
    "हिन्दी",
    "ক্ষ",
    "ខ្មែរ",
    "ሰላም",
    "\u{00AD}",
    "\u{200B}",
    "\u{2060}",
    "\u{0000}",
    "\u{0007}",
    "\u{001B}",
    "\u{007F}",
    "\u{0085}",
    "\u{2028}",
    "\u{FFFD}",
    "\u{FFFF}",
    "\u{10FFFF}",
    "\u{E000}",
    "\u{1D11E}",
    "e\u{0301}\u{0301}\u{0301}",
    "heading: ",
    "subheading: ",
    "paragraph: ",
    "bullets:",
    "steps:",
    "callout:",
    "kind: urgent",
    "kind: warning",
    "kind: note",
    "kind: danger",
    "title: ",
    "text: ",
    "page_break: true",
    "page_break: false",
    "lang: ar",
    "lang: he",
    "lang: fa",
    "lang: zh-Hans",
    "lang: th",
    "lang: xx-!!",
    "reviewed: 2026-02-30",
    "reviewed: 2026-10-01",
    "summary: ",
    "keywords: [a, b]",
    "subtitle: ",
    "body:",
    "bulets:",
    "1. ",
    "> q",
    "~~s~~",
    "\n  - heading: H\n",
    "\n  - bullets:\n      - a\n      - text: b\n        bullets: [c, d]\n",
    "\n  - callout:\n      kind: urgent\n      title: T\n      steps: [a, b]\n",
    "\n  - page_break: true\n",
    "\n  - steps:\n      - one\n      - two\n",
    "table:",
    "columns: [A, B]",
    "widths: [1, 0]",
    "widths: [3, 2, 1]",
    "rows:",
    "- [a, b]",
    "- [a]",
    "- [\"\", \"**x**\"]",
    "caption: ",
    "image:",
    "file: images/leg-raise.png",
    "file: ../x.png",
    "file: logo.png",
    "alt: ",
    "width: 50%",
    "width: 0%",
    "width: 400%",
    "qr:",
    "url: https://x.example/a",
    "url: javascript:1",
    "\n  - table:\n      columns: [A, B]\n      rows:\n        - [a, b]\n        - [c, d]\n",
    "\n  - image:\n      file: images/heel-slide.png\n      alt: A heel slide\n",
    "\n  - qr:\n      url: https://x.example\n      caption: Scan\n",
];

/// Pairs that nest: a range is wrapped in them many times.
const NESTS: &[(&str, &str)] = &[
    ("**", "**"),
    ("*", "*"),
    ("_", "_"),
    ("[", "](https://example.org)"),
    ("[", "]"),
    ("<", ">"),
    ("{{", "}}"),
    ("\u{202E}", "\u{202C}"),
    ("\u{2067}", "\u{2069}"),
    ("[", "]("),
    ("- [", "]"),
    ("{a: ", "}"),
];

/// Characters swapped in one at a time.
const CHARS: &str = "aé ΩЖابתक\u{0E31}\u{17D2}\u{0301}\u{064B}\u{200E}\u{200F}\u{202B}\u{2066}\u{200D}\u{FE0F}\u{00A0}\u{3000}中한👍*_`[]()<>{}\\!#-:\"'|&%@\t";

/// xorshift64*: small, fast and deterministic for a given seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// Mostly small, sometimes large: 1, 2, 4, … up to `max`.
    pub fn count(&mut self, max: usize) -> usize {
        let bits = self.below(usize::BITS as usize - max.leading_zeros() as usize + 1);
        1 + self.below(1 << bits).min(max - 1)
    }
}

/// A position in `data` at a character boundary when `data` is UTF-8 there.
fn boundary(data: &[u8], rng: &mut Rng) -> usize {
    let mut at = rng.below(data.len() + 1);
    while at > 0 && at < data.len() && (data[at] & 0xC0) == 0x80 {
        at -= 1;
    }
    at
}

/// Start and end of the line holding `at`.
fn line_at(data: &[u8], at: usize) -> (usize, usize) {
    let start = data[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let end = data[at..].iter().position(|&b| b == b'\n').map_or(data.len(), |i| at + i + 1);
    (start, end)
}

/// Applies one random mutation to `data`; `other` is another corpus entry for splices.
pub fn mutate(data: &mut Vec<u8>, other: &[u8], rng: &mut Rng) {
    match rng.below(16) {
        0 if !data.is_empty() => {
            let at = rng.below(data.len());
            data[at] ^= 1 << rng.below(8);
        }
        1 if !data.is_empty() => {
            let at = rng.below(data.len());
            let bytes = b" \n-:*_[]{}()<>\\\"'#&!|?`,.0aZ\t";
            data[at] = bytes[rng.below(bytes.len())];
        }
        2..=4 => {
            let at = boundary(data, rng);
            let token = TOKENS[rng.below(TOKENS.len())];
            data.splice(at..at, token.bytes());
        }
        5 if !data.is_empty() => {
            let a = boundary(data, rng);
            let b = boundary(data, rng);
            let (a, b) = (a.min(b), a.max(b));
            let b = b.min(a + rng.count(4096));
            data.drain(a..b);
        }
        6 if !data.is_empty() => {
            let a = boundary(data, rng);
            let len = rng.count(256).min(data.len() - a);
            let piece: Vec<u8> = data[a..a + len].to_vec();
            let at = boundary(data, rng);
            data.splice(at..at, piece);
        }
        7 if !other.is_empty() => {
            // Splice: some lines of another input at a line start.
            let (a, _) = line_at(other, rng.below(other.len()));
            let mut b = a;
            for _ in 0..rng.count(20) {
                b = line_at(other, b.min(other.len() - 1)).1;
                if b >= other.len() {
                    break;
                }
            }
            let at = line_at(data, boundary(data, rng)).0;
            data.splice(at..at, other[a..b.max(a)].iter().copied());
        }
        8 if !data.is_empty() => {
            // Many blocks: a line repeated.
            let (a, b) = line_at(data, rng.below(data.len()));
            let line = data[a..b].to_vec();
            let n = rng.count(20_000).min(MAX_LEN / line.len().max(1));
            let copies: Vec<u8> = line.iter().copied().cycle().take(line.len() * n).collect();
            data.splice(b..b, copies);
        }
        9 => {
            // A long run of one token.
            let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
            let n = rng.count(50_000).min(MAX_LEN / token.len().max(1));
            let at = boundary(data, rng);
            data.splice(at..at, token.iter().copied().cycle().take(token.len() * n));
        }
        10 => {
            // Deep or unbalanced nesting around a range.
            let (open, close) = NESTS[rng.below(NESTS.len())];
            let n = rng.count(5_000);
            let a = boundary(data, rng);
            let b = boundary(data, rng);
            let (a, b) = (a.min(b), a.max(b));
            let balanced = rng.below(3) != 0;
            if balanced || rng.below(2) == 0 {
                data.splice(b..b, close.repeat(n).into_bytes());
            }
            if balanced || rng.below(2) == 0 {
                data.splice(a..a, open.repeat(n).into_bytes());
            }
        }
        11 if !data.is_empty() => {
            // Indentation of one line.
            let (a, _) = line_at(data, rng.below(data.len()));
            if rng.below(2) == 0 {
                data.splice(a..a, *b"  ");
            } else if data[a..].starts_with(b"  ") {
                data.drain(a..a + 2);
            }
        }
        12 if !data.is_empty() => {
            // One character swapped for a troublesome one.
            let chars: Vec<char> = CHARS.chars().collect();
            let c = chars[rng.below(chars.len())].to_string();
            let a = boundary(data, rng);
            let mut b = a + 1;
            while b < data.len() && (data[b] & 0xC0) == 0x80 {
                b += 1;
            }
            data.splice(a..b.min(data.len()), c.bytes());
        }
        13 if data.len() > 1 => {
            // Two lines swap.
            let (a1, b1) = line_at(data, rng.below(data.len()));
            let (a2, b2) = line_at(data, rng.below(data.len()));
            if b1 <= a2 {
                let second = data[a2..b2].to_vec();
                let first = data[a1..b1].to_vec();
                data.splice(a2..b2, first);
                data.splice(a1..b1, second);
            }
        }
        14 if !data.is_empty() => data.truncate(boundary(data, rng)),
        _ => {
            // A key and a value on a new line at some indentation.
            let keys =
                ["title", "body", "lang", "text", "kind", "bullets", "steps", "heading", "callout", "x"];
            let line = format!(
                "{}{}: {}\n",
                "  ".repeat(rng.below(5)),
                keys[rng.below(keys.len())],
                TOKENS[rng.below(TOKENS.len())].trim_end_matches('\n')
            );
            let at = line_at(data, boundary(data, rng)).0;
            data.splice(at..at, line.into_bytes());
        }
    }
    data.truncate(MAX_LEN);
}
