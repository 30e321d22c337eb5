//! Prints the readability score of handouts: `cargo run --example grade -- handouts/*.yaml`.
fn main() {
    for f in std::env::args().skip(1) {
        match handout::model::load_handout(f.as_ref()) {
            Ok(h) => println!("{f}: {:?}", handout::lint::readability(&h)),
            Err(e) => println!("{f}: {} errors", e.len()),
        }
    }
}
