//! handout: patient handouts in YAML → accessible, print-ready PDFs.
//!
//! The pipeline is a line; each stage is a module that takes plain data and returns
//! plain data:
//!
//! ```text
//! YAML --model--> Handout --resolve--> Document --text--> glyph runs
//!      --layout--> Pages --pdf--> bytes
//! ```
//!
//! `batch` runs the pipeline over many documents and writes files safely; `cli` is the
//! command line (the only module that knows clap). Errors are [`diag::Diagnostic`]
//! values with a file, line and column; the library never prints.

pub mod batch;
pub mod cli;
pub mod diag;
pub mod layout;
pub mod lint;
pub mod model;
pub mod pdf;
pub mod resolve;
pub mod starter;
pub mod text;
