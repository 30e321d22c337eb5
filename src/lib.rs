//! handout: patient handouts in YAML → accessible, print-ready PDFs.

pub mod diag;
pub mod model;
