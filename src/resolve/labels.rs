//! Built-in localized labels (placeholder: replaced by the full table on merge).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Labels {
    pub phone: String,
    pub after_hours: String,
    pub email: String,
    pub website: String,
    pub page: String,
    pub of: String,
    pub reviewed: String,
}
pub fn builtin(_lang: &str) -> Labels {
    Labels {
        phone: "Phone".into(),
        after_hours: "After hours".into(),
        email: "Email".into(),
        website: "Web".into(),
        page: "Page".into(),
        of: "of".into(),
        reviewed: "Reviewed".into(),
    }
}
pub fn format_date(_lang: &str, year: u16, month: u8, day: u8) -> String {
    const M: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!("{} {day}, {year}", M[(month as usize).clamp(1, 12) - 1])
}
pub fn is_builtin(lang: &str) -> bool {
    lang.starts_with("en")
}
pub fn page_of(_lang: &str, page_label: &str, of_label: &str, n: usize, m: usize) -> String {
    format!("{page_label} {n} {of_label} {m}")
}
