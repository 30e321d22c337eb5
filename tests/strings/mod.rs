//! Hostile strings for the property tests (`text_props.rs`, `handout_props.rs`): short
//! stretches of characters from pools, one pool per kind of trouble, and a YAML quoting
//! that keeps every one of them exact.
#![allow(dead_code)]

use proptest::prelude::*;

/// Pools of characters, one per kind of trouble; the last [`UNCOVERED`] have characters
/// the shipped fonts lack (the document then fails with diagnostics).
pub const POOLS: &[&str] = &[
    "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789",
    "éñüßøåçœ",
    "αβγδΩЖДжщ",
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "لا ﻻ ئ ة ى پ چ ژ گ ک ی ے ۓ ٹ ڈ ڑ ں ہ ھ",
    "\u{064B}\u{064E}\u{064F}\u{0650}\u{0651}\u{0652}\u{0670}",
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳",
    "אבגדהוזחטיכלמנסעפצקרשת\u{05B0}\u{05B4}\u{05BC}",
    "कखगघचजटडतदनपबमयरलवशसह\u{093F}\u{0940}\u{094D}\u{0902}।",
    "অআকখগ\u{09BF}\u{09CD}ਕਖਗ\u{0A3F}\u{0A4D}",
    "กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอ\u{0E31}\u{0E34}\u{0E48}\u{0E49}\u{0E33}",
    "កខគឃងចឆជ\u{17B6}\u{17C1}\u{17D2}\u{17C6}",
    "ԱԲԳաբգሀለሐመ",
    "\u{0300}\u{0301}\u{0308}\u{0323}\u{20DD}",
    "\u{200E}\u{200F}\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}\u{061C}",
    "\u{200B}\u{200C}\u{200D}\u{2060}\u{00AD}\u{FEFF}",
    "   \t\u{00A0}\u{2009}\u{3000}",
    MARKUP,
    "中文字한글あア。、",
    "⚠\u{FE0F}👍\u{1F3FD}👩\u{200D}⚕\u{FE0F}\u{FE0E}",
];

/// The pool of markup characters (its text may form links and emphasis by chance).
pub const MARKUP: &str = "*_`[]()<>\\!#-+.,:;\"'/";

/// How many pools at the end of [`POOLS`] the shipped fonts do not cover.
pub const UNCOVERED: usize = 2;

/// A string of short stretches from random pools among `pools`.
pub fn text_from(pools: Vec<usize>, max_parts: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        (prop::sample::select(pools), prop::collection::vec(any::<prop::sample::Index>(), 1..8)),
        1..max_parts,
    )
    .prop_map(|parts| {
        let mut s = String::new();
        for (pool, picks) in parts {
            let chars: Vec<char> = POOLS[pool].chars().collect();
            for p in picks {
                s.push(*p.get(&chars));
            }
        }
        s
    })
}

/// A random string: short stretches from random pools; one in five strings may use the
/// pools the shipped fonts lack.
pub fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => text_from((0..POOLS.len() - UNCOVERED).collect(), 12),
        1 => text_from((0..POOLS.len()).collect(), 12),
    ]
}

/// Text the shipped fonts cover that cannot form markup: every pool but the markup and
/// the uncovered ones (marks, bidi controls, invisible characters and odd spaces stay).
pub fn clean_text() -> impl Strategy<Value = String> {
    let markup = POOLS.iter().position(|p| *p == MARKUP).unwrap_or(usize::MAX);
    text_from((0..POOLS.len() - UNCOVERED).filter(|&i| i != markup).collect(), 6)
}

/// A YAML double-quoted scalar holding `s` exactly, every non-ASCII or special
/// character escaped.
pub fn yaml_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}
