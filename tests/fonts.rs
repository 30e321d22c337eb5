//! Fonts as a reader sees them: which face each script and language gets (pdffonts),
//! hermetic builds with --no-system-fonts, bounded font folders, the fonts in the JSON
//! summary, and `handout fonts`.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;

/// Returns true if `tool` runs; otherwise prints why the calling test is skipped.
fn have(tool: &str) -> bool {
    require_tool(tool)
}

/// `pdffonts` output for a file.
fn pdffonts(pdf: &Path) -> String {
    let out = Command::new("pdffonts").arg(pdf).output().expect("pdffonts");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `handout ARGS` in the folder with extra environment variables; the machine's
/// font folders are replaced by `system` (HANDOUT_SYSTEM_FONT_DIRS) unless it is `None`.
fn run_env(d: &Dir, args: &[&str], envs: &[(&str, &Path)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_handout"));
    cmd.args(args).current_dir(d.tmp.path()).env_remove("SOURCE_DATE_EPOCH").env_remove("HANDOUT_FONTS");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("run handout")
}

fn build_hermetic(d: &Dir, file: &str) -> Output {
    let empty = d.path("no-system-fonts");
    std::fs::create_dir_all(&empty).unwrap();
    run_env(
        d,
        &["build", "-q", "--no-system-fonts", file, "-o", "out"],
        &[("HANDOUT_SYSTEM_FONT_DIRS", &empty)],
    )
}

#[test]
fn korean_and_chinese_build_from_the_shipped_cjk_subsets() {
    let d = Dir::new();
    d.write(
        "h/care.ko.yaml",
        "title: 요추 천자 후 허리 통증\nlang: ko\nbody:\n  - heading: 무엇이 도움이 되나요\n  - 통증이 심하면 의사에게 전화하세요.\n",
    );
    d.write(
        "h/care.zh-Hans.yaml",
        "title: 腰椎穿刺后的背痛\nlang: zh-Hans\nbody:\n  - 如果疼痛加重，请给医生打电话。\n",
    );
    d.write(
        "h/care.zh-Hant.yaml",
        "title: 腰椎穿刺後的背痛\nlang: zh-Hant\nbody:\n  - 如果疼痛加重，請給醫生打電話。\n",
    );
    d.write(
        "h/care.ja.yaml",
        "title: 腰椎穿刺の後の背中の痛み\nlang: ja\nbody:\n  - 痛みが強いときは医師に電話してください。\n",
    );
    for file in ["h/care.ko.yaml", "h/care.zh-Hans.yaml", "h/care.zh-Hant.yaml", "h/care.ja.yaml"] {
        let o = build_hermetic(&d, file);
        assert_eq!(o.status.code(), Some(0), "{file}: {}", stderr(&o));
    }
    if !have("pdffonts") {
        return;
    }
    let ko = d.path("out/care.ko.pdf");
    let fonts = pdffonts(&ko);
    // The heading is bold: it comes from the Bold subset, the body from the Regular one.
    assert!(fonts.contains("NotoSansCJKsc-Bold"), "{fonts}");
    assert!(fonts.contains("NotoSansCJKsc-Regular"), "{fonts}");
    for line in fonts.lines().filter(|l| l.contains("NotoSansCJK")) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        // name, type..., emb, sub, uni: embedded and subset.
        assert!(cols[0].contains('+'), "not subset: {line}");
        assert!(line.contains(" yes yes yes "), "not embedded/subset/unicode: {line}");
        // The CFF outlines are embedded as a bare CID-keyed CFF program (FontFile3,
        // CIDFontType0C), which every reader draws by CID.
        assert!(line.contains("CID Type 0C"), "not a CID-keyed CFF program: {line}");
    }
    // Subset to the glyphs drawn: the two 5 MB faces add a few kilobytes, not megabytes.
    let size = std::fs::metadata(&ko).unwrap().len();
    assert!(size < 60_000, "care.ko.pdf is {size} bytes");
    assert!(page_text(&ko, 1).contains("통증이 심하면 의사에게 전화하세요."), "{}", page_text(&ko, 1));
    let zh = d.path("out/care.zh-Hans.pdf");
    assert!(pdffonts(&zh).contains("NotoSansCJKsc-Regular"), "{}", pdffonts(&zh));
    let text: String = page_text(&zh, 1).chars().filter(|c| !c.is_whitespace()).collect();
    assert!(text.contains("如果疼痛加重，请给医生打电话。"), "{text}");
}

#[test]
fn armenian_and_thai_get_the_noto_sans_face_made_for_them_even_with_system_fonts() {
    if !have("pdffonts") {
        return;
    }
    let d = Dir::new();
    d.write(
        "h/a.hy.yaml",
        "title: Ցավ\nlang: hy\nbody:\n  - Զանգահարեք ձեր բժշկին։\n  - \"**Կարևոր:** հանգստացեք։\"\n",
    );
    d.write("h/a.th.yaml", "title: อาการปวด\nlang: th\nbody:\n  - โทรหาแพทย์ของคุณ ถ้าปวดมากขึ้น\n");
    let o = d.run(&["build", "-q", "h", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let hy = pdffonts(&d.path("out/a.hy.pdf"));
    assert!(hy.contains("NotoSansArmenian-Regular"), "{hy}");
    assert!(hy.contains("NotoSansArmenian-Bold"), "{hy}");
    assert!(!hy.contains("DejaVu"), "{hy}");
    let th = pdffonts(&d.path("out/a.th.pdf"));
    assert!(th.contains("NotoSansThai-Regular"), "{th}");
    assert!(!th.contains("Looped"), "{th}");
}

#[test]
fn a_character_no_font_has_names_itself_and_the_fonts_tried() {
    let d = Dir::new();
    d.write("h/x.yaml", "title: Germs\nbody:\n  - \"A germ: \u{1F9A0}\"\n");
    let o = build_hermetic(&d, "h/x.yaml");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("no font can show `\u{1F9A0}` (U+1F9A0)"), "{err}");
    assert!(err.contains("fonts tried: NotoSans-Bold.ttf"), "{err}");
    assert!(err.contains("NotoSansCJK-Regular.subset.otf"), "{err}");
    assert!(err.contains("system fonts off"), "{err}");
    assert!(err.contains("x.yaml:3:"), "{err}");
}

#[test]
fn system_fonts_serve_what_the_shipped_fonts_lack_unless_turned_off() {
    let georgian = Path::new("/usr/share/fonts/truetype/noto/NotoSansGeorgian-Regular.ttf");
    if !georgian.is_file() || !have("pdffonts") {
        eprintln!("SKIP: needs {} (fonts-noto-core) and pdffonts", georgian.display());
        return;
    }
    let d = Dir::new();
    std::fs::create_dir_all(d.path("machine/fonts")).unwrap();
    std::fs::copy(georgian, d.path("machine/fonts/NotoSansGeorgian-Regular.ttf")).unwrap();
    d.write("h/k.yaml", "title: Georgian\nbody:\n  - \"Hello: გამარჯობა\"\n");
    let system = d.path("machine/fonts");
    let o = run_env(&d, &["build", "-q", "h/k.yaml", "-o", "out"], &[("HANDOUT_SYSTEM_FONT_DIRS", &system)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(pdffonts(&d.path("out/k.en.pdf")).contains("NotoSansGeorgian-Regular"));
    let o = run_env(
        &d,
        &["build", "-q", "--no-system-fonts", "h/k.yaml", "-o", "out2"],
        &[("HANDOUT_SYSTEM_FONT_DIRS", &system)],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("(U+10D2)"), "{}", stderr(&o));
}

#[test]
fn no_system_fonts_gives_the_same_bytes_with_extra_fonts_installed() {
    let d = Dir::new();
    d.write("h/m.hy.yaml", "title: Mixed\nlang: hy\nbody:\n  - \"Call us. Զանգահարեք։ **Bold** text.\"\n");
    // A home folder with fonts that also cover the text, as a user might have installed.
    let home = d.path("home");
    std::fs::create_dir_all(home.join(".fonts")).unwrap();
    for f in ["NotoSans-Regular.ttf", "NotoSansArmenian-Regular.ttf"] {
        std::fs::copy(root().join("fonts").join(f), home.join(".fonts").join(format!("Extra{f}"))).unwrap();
    }
    let empty = d.path("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let args = ["build", "-q", "--no-system-fonts", "h/m.hy.yaml", "-o"];
    let a =
        run_env(&d, &[&args[..], &["a"]].concat(), &[("HOME", &empty), ("HANDOUT_SYSTEM_FONT_DIRS", &empty)]);
    let b = run_env(&d, &[&args[..], &["b"]].concat(), &[("HOME", &home)]);
    let extra = home.join(".fonts");
    let c =
        run_env(&d, &[&args[..], &["c"]].concat(), &[("HOME", &home), ("HANDOUT_SYSTEM_FONT_DIRS", &extra)]);
    for o in [&a, &b, &c] {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    }
    let bytes = |dir: &str| std::fs::read(d.path(dir).join("m.hy.pdf")).unwrap();
    assert!(bytes("a") == bytes("b") && bytes("a") == bytes("c"), "PDF bytes differ");
}

#[test]
fn a_bad_font_folder_never_hangs_and_names_the_file() {
    let d = Dir::new();
    d.write("h/x.yaml", "title: Fonts\nbody:\n  - Hello.\n");
    // A link loop and a link to the folder itself: walked once, no hang, no error.
    std::fs::create_dir_all(d.path("loop/sub")).unwrap();
    std::fs::copy(root().join("fonts/NotoSans-Regular.ttf"), d.path("loop/sub/Copy-Regular.ttf")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.path("loop"), d.path("loop/sub/again")).unwrap();
    let o = d.run(&["build", "-q", "--no-system-fonts", "--font-dir", "loop", "h/x.yaml", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // A file larger than the cap: refused by size, never read.
    std::fs::create_dir_all(d.path("huge")).unwrap();
    let f = std::fs::File::create(d.path("huge/Huge.ttf")).unwrap();
    f.set_len(handout::text::fonts::MAX_FONT_BYTES + 1).unwrap();
    let o = d.run(&["build", "-q", "--no-system-fonts", "--font-dir", "huge", "h/x.yaml", "-o", "out"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("Huge.ttf`: 67108865 bytes is more than the 64 MiB limit"), "{}", stderr(&o));
    // A FIFO named like a font: refused without being opened (opening it would block).
    #[cfg(unix)]
    {
        std::fs::create_dir_all(d.path("fifo")).unwrap();
        let made = Command::new("mkfifo").arg(d.path("fifo/Pipe.ttf")).status();
        if made.is_ok_and(|s| s.success()) {
            let o =
                d.run(&["build", "-q", "--no-system-fonts", "--font-dir", "fifo", "h/x.yaml", "-o", "out"]);
            assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
            assert!(stderr(&o).contains("Pipe.ttf`: not a regular file"), "{}", stderr(&o));
        } else {
            eprintln!("SKIP (FIFO part): mkfifo is not available");
        }
    }
}

#[test]
fn json_summary_lists_each_font_file_with_its_sha256() {
    use sha2::Digest;
    let d = Dir::new();
    d.write("h/j.yaml", "title: Fonts\nbody:\n  - \"Plain and **bold**, Ցավ.\"\n");
    let o = d.run(&["build", "--json", "--no-system-fonts", "h/j.yaml", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let fonts = v["documents"][0]["fonts"].as_array().expect("fonts array").clone();
    let names: Vec<String> = fonts
        .iter()
        .map(|f| Path::new(f["file"].as_str().unwrap()).file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["NotoSans-Bold.ttf", "NotoSans-Regular.ttf", "NotoSansArmenian-Regular.ttf"]);
    for f in &fonts {
        let bytes = std::fs::read(f["file"].as_str().unwrap()).unwrap();
        let want: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(f["sha256"], want.as_str());
    }
}

#[test]
fn handout_fonts_shows_the_face_for_every_language() {
    let d = Dir::new();
    let o = d.run(&["fonts", "--json", "--no-system-fonts"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let langs = v["languages"].as_array().unwrap();
    assert_eq!(langs.len(), 29);
    let file = |lang: &str, style: &str| {
        let l = langs.iter().find(|l| l["lang"] == lang).unwrap();
        assert_eq!(l["covered"], true, "{l}");
        let f = l[style]["file"].as_str().unwrap().to_string();
        Path::new(&f).file_name().unwrap().to_string_lossy().into_owned()
    };
    for l in langs {
        assert_eq!(l["covered"], true, "{l}");
    }
    assert_eq!(file("en", "regular"), "NotoSans-Regular.ttf");
    assert_eq!(file("hy", "bold"), "NotoSansArmenian-Bold.ttf");
    assert_eq!(file("ur", "regular"), "NotoSansArabic-Regular.ttf");
    assert_eq!(file("th", "regular"), "NotoSansThai-Regular.ttf");
    assert_eq!(file("ko", "regular"), "NotoSansCJK-Regular.subset.otf");
    assert_eq!(file("zh-Hant", "bold"), "NotoSansCJK-Bold.subset.otf");
    assert_eq!(v["system_fonts"], false);
    assert!(v["fonts"].as_array().unwrap().iter().all(|f| f["source"] == "shipped"));
    let text = d.run(&["fonts", "--no-system-fonts"]);
    assert_eq!(text.status.code(), Some(0));
    assert!(stdout(&text).contains("hy       Noto Sans Armenian Regular (NotoSansArmenian-Regular.ttf)"));
}

#[test]
fn a_character_outside_the_subset_comes_from_the_machine_collection_face_of_the_language() {
    let cjk = Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    if !cjk.is_file() || !have("pdffonts") {
        eprintln!("SKIP: needs {} (fonts-noto-cjk) and pdffonts", cjk.display());
        return;
    }
    let d = Dir::new();
    // 똠 is not in KS X 1001 and 丂 not in GB2312, Big5 level 1 or JIS X 0208.
    d.write("h/r.ko.yaml", "title: 똠\nlang: ko\nbody:\n  - 똠양꿍\n");
    d.write("h/r.zh-Hant.yaml", "title: 丂\nlang: zh-Hant\nbody:\n  - 丂字\n");
    d.write("h/r.ja.yaml", "title: 丂\nlang: ja\nbody:\n  - 丂字\n");
    let system = cjk.parent().unwrap();
    let o = run_env(&d, &["build", "-q", "h", "-o", "out"], &[("HANDOUT_SYSTEM_FONT_DIRS", system)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for (lang, face) in [
        ("ko", "NotoSansCJKkr-Regular"),
        ("zh-Hant", "NotoSansCJKtc-Regular"),
        ("ja", "NotoSansCJKjp-Regular"),
    ] {
        let pdf = d.path(&format!("out/r.{lang}.pdf"));
        let fonts = pdffonts(&pdf);
        assert!(fonts.contains(face), "{lang}: {fonts}");
        // The rest of the text still comes from the shipped subset.
        assert!(fonts.contains("NotoSansCJKsc-Regular"), "{lang}: {fonts}");
    }
    let text = page_text(&d.path("out/r.ko.pdf"), 1);
    assert!(text.contains("똠양꿍"), "{text}");
}

#[cfg(unix)]
#[test]
fn machine_fonts_are_ranked_plain_sans_regular_first() {
    let noto = Path::new("/usr/share/fonts/truetype/noto");
    let dejavu = Path::new("/usr/share/fonts/truetype/dejavu");
    let machine = [
        (noto, "NotoLoopedThai-Regular.ttf"),
        (noto, "NotoLoopedThai-Bold.ttf"),
        (noto, "NotoSerifThai-Regular.ttf"),
        (noto, "NotoSansThai-Regular.ttf"),
        (noto, "NotoSansThai-Bold.ttf"),
        (noto, "NotoSerifArmenian-Regular.ttf"),
        (noto, "NotoSansArmenian-Regular.ttf"),
        (noto, "NotoLoopedLao-Regular.ttf"),
        (noto, "NotoSansLao-Regular.ttf"),
        (dejavu, "DejaVuSans-ExtraLight.ttf"),
        (dejavu, "DejaVuSans.ttf"),
    ];
    if machine.iter().any(|(dir, f)| !dir.join(f).is_file()) || !have("pdffonts") {
        eprintln!("SKIP: needs fonts-noto-core, fonts-dejavu-core and pdffonts");
        return;
    }
    let d = Dir::new();
    // Shipped: Noto Sans only, so every other script comes from the "machine".
    std::fs::create_dir_all(d.path("shipped")).unwrap();
    for f in ["NotoSans-Regular.ttf", "NotoSans-Bold.ttf"] {
        std::fs::copy(root().join("fonts").join(f), d.path("shipped").join(f)).unwrap();
    }
    std::fs::create_dir_all(d.path("machine")).unwrap();
    for (dir, f) in machine {
        std::os::unix::fs::symlink(dir.join(f), d.path("machine").join(f)).unwrap();
    }
    d.write("h/t.th.yaml", "title: ไทย\nlang: th\nbody:\n  - \"ไทย **ไทย** ✓\"\n");
    d.write("h/a.hy.yaml", "title: Ցավ\nlang: hy\nbody:\n  - Զանգահարեք ձեր բժշկին։\n");
    d.write("h/l.lo.yaml", "title: ລາວ\nlang: lo\nbody:\n  - ພາສາລາວ\n");
    let (shipped, machine) = (d.path("shipped"), d.path("machine"));
    let o = run_env(
        &d,
        &["build", "-q", "h", "-o", "out"],
        &[("HANDOUT_FONTS", &shipped), ("HANDOUT_SYSTEM_FONT_DIRS", &machine)],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let th = pdffonts(&d.path("out/t.th.pdf"));
    for want in ["NotoSansThai-Regular", "NotoSansThai-Bold", "+DejaVuSans "] {
        assert!(th.contains(want), "{want}: {th}");
    }
    for never in ["Looped", "Serif", "ExtraLight"] {
        assert!(!th.contains(never), "{never}: {th}");
    }
    let hy = pdffonts(&d.path("out/a.hy.pdf"));
    assert!(hy.contains("NotoSansArmenian-Regular") && !hy.contains("Serif"), "{hy}");
    let lo = pdffonts(&d.path("out/l.lo.pdf"));
    assert!(lo.contains("NotoSansLao-Regular") && !lo.contains("Looped"), "{lo}");
}
