//! Prints the layout dump of a handout: `cargo run --example dump -- FILE.yaml CONTACT.yaml`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let h = handout::model::load_handout(args[1].as_ref()).expect("handout");
    let c = handout::model::load_contact(args[2].as_ref()).expect("contact");
    let doc = handout::resolve::resolve(&h, &c, &Default::default(), None).expect("resolve");
    let book = handout::text::FontBook::load(&Default::default()).expect("fonts");
    let pages = handout::layout::layout(&doc, &book, &handout::layout::Style::new(Default::default(), false))
        .expect("layout");
    print!("{}", handout::layout::dump::dump(&pages));
}
