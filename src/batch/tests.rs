//! Batch behaviour that needs an injected renderer: a panicking document fails alone.

use super::*;

fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let h = dir.path().join("h");
    std::fs::create_dir_all(&h).unwrap();
    std::fs::write(h.join("contact.yaml"), "organization: Clinic\nphone: \"555 0100\"\n").unwrap();
    std::fs::write(h.join("boom.yaml"), "title: Boom\nbody:\n  - Hello {{name}}.\n").unwrap();
    std::fs::write(h.join("fine.yaml"), "title: Fine\nbody:\n  - Hello {{name}}.\n").unwrap();
    std::fs::write(dir.path().join("d.csv"), "name\nAna\nBo\n").unwrap();
    dir
}

#[test]
fn a_panicking_document_fails_alone_and_names_itself() {
    let dir = folder();
    let options = Options {
        paths: vec![dir.path().join("h")],
        out: dir.path().join("out"),
        data: Some(dir.path().join("d.csv")),
        jobs: 2,
        ..Options::default()
    };
    let renderer = |job: &Job, setup: &Setup| {
        if job.handout.id == "boom" && job.row == Some(2) {
            panic!("injected failure");
        }
        render(&job.handout, setup, &job.values)
    };
    let summary = build_with(&options, &NoProgress, &renderer).unwrap();
    assert_eq!(summary.documents.len(), 4);
    let failed: Vec<&DocReport> =
        summary.documents.iter().filter(|d| matches!(d.outcome, Outcome::Failed(_))).collect();
    assert_eq!(failed.len(), 1);
    assert_eq!((failed[0].id.as_str(), failed[0].row), ("boom", Some(2)));
    let Outcome::Failed(errors) = &failed[0].outcome else { unreachable!() };
    assert!(errors[0].message.contains("internal error") && errors[0].message.contains("injected failure"));
    assert!(errors[0].hints[0].contains("please report"));
    for name in ["boom.en.1.pdf", "fine.en.1.pdf", "fine.en.2.pdf"] {
        assert!(dir.path().join("out").join(name).is_file(), "{name}");
    }
    assert!(!dir.path().join("out/boom.en.2.pdf").exists());
}

#[test]
fn a_stop_request_starts_no_more_documents() {
    let dir = folder();
    let stop = Arc::new(AtomicUsize::new(0));
    let options = Options {
        paths: vec![dir.path().join("h")],
        out: dir.path().join("out"),
        data: Some(dir.path().join("d.csv")),
        jobs: 1,
        stop: stop.clone(),
        ..Options::default()
    };
    let renderer = |job: &Job, setup: &Setup| {
        stop.store(15, Ordering::SeqCst);
        render(&job.handout, setup, &job.values)
    };
    let summary = build_with(&options, &NoProgress, &renderer).unwrap();
    assert_eq!(summary.interrupted, Some(15));
    assert_eq!(summary.documents.len() + summary.not_started, 4);
    assert!(summary.not_started >= 2, "{}", summary.not_started);
    let left: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(left.iter().all(|n| n.ends_with(".pdf") && !n.starts_with('.')), "no temporary files: {left:?}");
}

#[test]
fn a_picture_shown_by_every_document_of_a_run_is_decoded_once() {
    let dir = folder();
    let h = dir.path().join("h");
    std::fs::create_dir_all(h.join("images")).unwrap();
    image::RgbImage::from_pixel(40, 20, image::Rgb([200, 30, 30])).save(h.join("images/a.png")).unwrap();
    let picture = "  - image:\n      file: images/a.png\n      alt: A red bar\n";
    std::fs::write(h.join("boom.yaml"), format!("title: One\nbody:\n  - Hello {{{{name}}}}.\n{picture}"))
        .unwrap();
    std::fs::write(h.join("fine.yaml"), format!("title: Two\nbody:\n{picture}{picture}")).unwrap();
    let options = Options {
        paths: vec![h],
        out: dir.path().join("out"),
        data: Some(dir.path().join("d.csv")),
        jobs: 2,
        ..Options::default()
    };
    let most = AtomicUsize::new(0);
    let renderer = |job: &Job, setup: &Setup| {
        let r = render(&job.handout, setup, &job.values);
        most.fetch_max(setup.pictures.decoded(), Ordering::SeqCst);
        r
    };
    let summary = build_with(&options, &NoProgress, &renderer).unwrap();
    assert_eq!(summary.documents.len(), 4);
    assert!(!summary.failed(), "{:?}", summary.documents);
    assert_eq!(most.load(Ordering::SeqCst), 1, "four documents, five pictures, one decoded file");
}
