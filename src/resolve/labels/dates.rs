//! Dates and numbers the way each language writes them, from CLDR through ICU4X's
//! compiled data (no data files at run time, no clock: only the given date is formatted).
//!
//! Every language gets the Gregorian calendar, so every variant of a handout shows the
//! same date as its base (Thai adds ค.ศ., "AD", because its default is the Buddhist era).
//! Digits follow the language's CLDR default numbering system: Persian digits for `fa`,
//! Bengali digits for `bn`, Latin digits for `ar`, `hi` and most others.

use icu_calendar::{Date, Gregorian};
use icu_datetime::fieldsets::YMD;
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_decimal::input::Decimal;
use icu_decimal::DecimalFormatter;
use icu_locale_core::Locale;

/// Haitian Creole is not in CLDR's modern data: its month names are written here.
const HAITIAN_MONTHS: [&str; 12] =
    ["janvye", "fevriye", "mas", "avril", "me", "jen", "jiyè", "out", "septanm", "oktòb", "novanm", "desanm"];

/// The ICU locale for a language tag; CLDR knows Tagalog as Filipino (`fil`).
fn locale(lang: &str) -> Option<Locale> {
    let tag = match super::key(lang) {
        Some("tl") => "fil",
        Some(k @ ("zh-Hans" | "zh-Hant")) => k,
        _ => lang,
    };
    tag.replace('_', "-").parse().ok()
}

fn gregorian(loc: Locale, date: &Date<Gregorian>) -> Option<String> {
    let f = FixedCalendarDateTimeFormatter::<Gregorian, _>::try_new(loc.into(), YMD::long()).ok()?;
    Some(f.format(date).to_string())
}

/// The date in the language's own long format, or `None` when CLDR has no date format
/// for it (its output would be the root locale's `2026 M10 1`).
pub fn format_date(lang: &str, year: u16, month: u8, day: u8) -> Option<String> {
    if super::key(lang) == Some("ht") {
        let m = HAITIAN_MONTHS.get(usize::from(month).checked_sub(1)?)?;
        return Some(format!("{day} {m} {year}"));
    }
    let date = Date::try_new_gregorian(i32::from(year), month, day).ok()?;
    let loc = locale(lang)?;
    let root = gregorian(Locale::UNKNOWN, &date)?;
    gregorian(loc, &date).filter(|s| *s != root)
}

/// The date in English ("October 1, 2026"), the fallback; ISO form for a date that does
/// not exist (the loader refuses those, so this is never printed).
pub fn english_date(year: u16, month: u8, day: u8) -> String {
    format_date("en", year, month, day).unwrap_or_else(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// A whole number in the language's default digits (`12`, `۱۲`, `১২`).
pub fn number(lang: &str, n: usize) -> String {
    let formatted = locale(lang)
        .and_then(|loc| DecimalFormatter::try_new(loc.into(), Default::default()).ok())
        .map(|f| f.format(&Decimal::from(n as u64)).to_string());
    formatted.unwrap_or_else(|| n.to_string())
}
