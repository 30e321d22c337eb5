//! The built-in footer and title-block words, one row per language.
//!
//! Written by hand: CLDR has no "after hours" or "reviewed". Each row was written for a
//! patient reading a clinic's handout (short, everyday words), and "Page N of M" follows
//! the order in which the language writes it (`{page}`, `{n}`, `{of}`, `{m}` in
//! [`Row::page_of`]). Dates and digits come from CLDR (see `dates`), not from here.

/// One language's built-in words.
pub(super) struct Row {
    /// The language key: a primary subtag, or `zh-Hans` / `zh-Hant`.
    pub key: &'static str,
    pub phone: &'static str,
    pub after_hours: &'static str,
    pub page: &'static str,
    pub of: &'static str,
    /// "Page N of M" with `{page}`, `{n}`, `{of}` and `{m}`.
    pub page_of: &'static str,
    /// Before the review date; a label that ends in a full-width colon is followed by no
    /// space.
    pub reviewed: &'static str,
    /// After a callout's title where the callout goes on over a page break.
    pub continued: &'static str,
}

const PLAIN: &str = "{page} {n} {of} {m}";
/// Chinese: 第 1 页，共 2 页.
const CHINESE: &str = "第 {n} {page}，{of} {m} {page}";
/// Japanese and Korean: 1 / 2 ページ.
const NUMBER_FIRST: &str = "{n} {of} {m} {page}";

// One argument per column keeps each row of `ROWS` on one readable line.
#[allow(clippy::too_many_arguments)]
const fn row(
    key: &'static str,
    phone: &'static str,
    after_hours: &'static str,
    page: &'static str,
    of: &'static str,
    page_of: &'static str,
    reviewed: &'static str,
    continued: &'static str,
) -> Row {
    Row { key, phone, after_hours, page, of, page_of, reviewed, continued }
}

/// English first: it is the fallback.
pub(super) const ROWS: [Row; 29] = [
    row("en", "Phone", "After hours", "Page", "of", PLAIN, "Reviewed", "(continued)"),
    row("es", "Teléfono", "Fuera de horario", "Página", "de", PLAIN, "Revisado el", "(continuación)"),
    row("zh-Hans", "电话", "非工作时间", "页", "共", CHINESE, "审核日期：", "（续）"),
    row("zh-Hant", "電話", "非上班時間", "頁", "共", CHINESE, "審核日期：", "（續）"),
    row("vi", "Điện thoại", "Ngoài giờ", "Trang", "/", PLAIN, "Cập nhật ngày", "(tiếp theo)"),
    row("ko", "전화", "업무 시간 외", "페이지", "/", NUMBER_FIRST, "검토일:", "(계속)"),
    row("tl", "Telepono", "Pagkatapos ng oras", "Pahina", "ng", PLAIN, "Sinuri noong", "(karugtong)"),
    row("ru", "Телефон", "В нерабочее время", "Страница", "из", PLAIN, "Проверено", "(продолжение)"),
    row("ar", "الهاتف", "خارج أوقات العمل", "صفحة", "من", PLAIN, "تمت المراجعة في", "(تابع)"),
    row("ht", "Telefòn", "Apre lè travay", "Paj", "sou", PLAIN, "Revize", "(kontinyasyon)"),
    row("fr", "Téléphone", "Hors heures d’ouverture", "Page", "sur", PLAIN, "Révisé le", "(suite)"),
    row("pl", "Telefon", "Poza godzinami pracy", "Strona", "z", PLAIN, "Zweryfikowano", "(ciąg dalszy)"),
    row("pt", "Telefone", "Fora do horário", "Página", "de", PLAIN, "Revisado em", "(continuação)"),
    row("it", "Telefono", "Fuori orario", "Pagina", "di", PLAIN, "Ultima revisione:", "(continua)"),
    row("de", "Telefon", "Außerhalb der Sprechzeiten", "Seite", "von", PLAIN, "Geprüft am", "(Fortsetzung)"),
    row("ja", "電話", "時間外", "ページ", "/", NUMBER_FIRST, "確認日：", "（続き）"),
    row("fa", "تلفن", "خارج از ساعات کاری", "صفحه", "از", PLAIN, "تاریخ بازبینی:", "(ادامه)"),
    row("hi", "फ़ोन", "कार्यालय समय के बाद", "पृष्ठ", "/", PLAIN, "समीक्षा की तिथि:", "(जारी)"),
    row("bn", "ফোন", "অফিস সময়ের পরে", "পৃষ্ঠা", "/", PLAIN, "পর্যালোচনার তারিখ:", "(চলমান)"),
    row("pa", "ਫ਼ੋਨ", "ਦਫ਼ਤਰੀ ਸਮੇਂ ਤੋਂ ਬਾਅਦ", "ਪੰਨਾ", "/", PLAIN, "ਸਮੀਖਿਆ ਦੀ ਮਿਤੀ:", "(ਜਾਰੀ)"),
    row("ur", "فون", "دفتری اوقات کے بعد", "صفحہ", "از", PLAIN, "نظرثانی کی تاریخ:", "(جاری)"),
    row("he", "טלפון", "מחוץ לשעות הפעילות", "עמוד", "מתוך", PLAIN, "תאריך בדיקה:", "(המשך)"),
    row("uk", "Телефон", "Поза робочим часом", "Сторінка", "з", PLAIN, "Перевірено", "(продовження)"),
    row("el", "Τηλέφωνο", "Εκτός ωραρίου", "Σελίδα", "από", PLAIN, "Τελευταία αναθεώρηση:", "(συνέχεια)"),
    row(
        "hy",
        "Հեռախոս",
        "Աշխատանքային ժամերից դուրս",
        "Էջ",
        "/",
        PLAIN,
        "Վերանայման ամսաթիվ՝",
        "(շարունակություն)",
    ),
    row("th", "โทรศัพท์", "นอกเวลาทำการ", "หน้า", "จาก", PLAIN, "ตรวจทานเมื่อ", "(ต่อ)"),
    row("so", "Telefoon", "Saacadaha shaqada ka dib", "Bogga", "/", PLAIN, "Dib loo eegay", "(sii socda)"),
    row("am", "ስልክ", "ከሥራ ሰዓት ውጭ", "ገጽ", "/", PLAIN, "የተገመገመበት ቀን፦", "(የቀጠለ)"),
    row("km", "ទូរសព្ទ", "ក្រៅម៉ោងធ្វើការ", "ទំព័រ", "នៃ", PLAIN, "ពិនិត្យឡើងវិញ៖", "(បន្ត)"),
];
