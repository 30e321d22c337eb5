//! The `table:` block: from its raw keys to a [`Table`], with every problem at its place.
//!
//! Widths and rows arrive as YAML values, so that each is checked here: a row with the
//! wrong number of cells is an error at that row (not at the table), a cell that is a
//! number or a list at that cell, a width that is not a positive number at that width.

use serde_yaml::Value;

use super::build::{text_with_colon, Builder};
use super::raw::{RawTable, Str};
use super::{Block, Table, Text};
use crate::diag::Diagnostic;

/// The `table:` block at path `tp` (`body[3].table`).
pub(super) fn table(b: &mut Builder, tp: &str, t: RawTable) -> Block {
    let span = b.key_span(tp);
    let caption = b.opt(&format!("{tp}.caption"), t.caption);
    let mut columns: Vec<Text> = Vec::with_capacity(t.columns.len());
    for (i, c) in t.columns.into_iter().enumerate() {
        let path = format!("{tp}.columns[{i}]");
        if c.0.trim().is_empty() {
            b.errors.push(
                Diagnostic::error(format!("column {} has no heading", i + 1)).at(b.span(&path)).hint(
                    "every column needs a heading: it is printed on each page and read before its cells",
                ),
            );
        }
        columns.push(b.text_or_empty(&path, c));
    }
    let n = columns.len();
    if n == 0 {
        b.errors.push(
            Diagnostic::error("the table has no columns")
                .at(b.key_span(&format!("{tp}.columns")))
                .hint("list the column headings, e.g. `columns: [Medicine, How much, When]`"),
        );
    }
    let widths = t.widths.and_then(|w| widths(b, &format!("{tp}.widths"), w, n));
    if t.rows.is_empty() {
        b.errors.push(
            Diagnostic::error("the table has no rows")
                .at(b.key_span(&format!("{tp}.rows")))
                .hint("add rows under `rows:`, one `- [..., ...]` per row with one cell per column"),
        );
    }
    let heads: Vec<&str> = columns.iter().map(|c| c.value.as_str()).collect();
    let heads = heads.join(", ");
    let mut rows = Vec::with_capacity(t.rows.len());
    for (r, value) in t.rows.into_iter().enumerate() {
        let rp = format!("{tp}.rows[{r}]");
        let cells = match value {
            Value::Sequence(cells) => cells,
            other => {
                let d = Diagnostic::error(format!("row {} is {}, not a list of cells", r + 1, found(&other)))
                    .at(b.span(&rp))
                    .hint(format!("write the row as `- [{heads}]`, one cell per column"));
                b.errors.push(match text_with_colon(&other) {
                    Some(h) => d.hint(h),
                    None => d,
                });
                continue;
            }
        };
        if n > 0 && cells.len() != n {
            let plural =
                |k: usize, one: &str| if k == 1 { format!("{k} {one}") } else { format!("{k} {one}s") };
            b.errors.push(
                Diagnostic::error(format!(
                    "row {} has {}, but the table has {}",
                    r + 1,
                    plural(cells.len(), "cell"),
                    plural(n, "column")
                ))
                .at(b.span(&rp))
                .hint(format!("give every row one cell per column, in the order of `columns`: {heads}"))
                .hint("write \"\" for a cell with nothing in it; quote a cell that has a comma in it"),
            );
            continue;
        }
        let mut row = Vec::with_capacity(cells.len());
        for (c, cell) in cells.into_iter().enumerate() {
            let cp = format!("{rp}[{c}]");
            match cell {
                Value::String(s) => row.push(b.text_or_empty(&cp, Str(s))),
                Value::Null => b.errors.push(
                    Diagnostic::error(format!("cell {} of row {} is empty", c + 1, r + 1))
                        .at(b.span(&rp))
                        .hint("write \"\" for a cell with nothing in it"),
                ),
                Value::Number(_) | Value::Bool(_) => {
                    let shown = match &cell {
                        Value::Number(v) => v.to_string(),
                        Value::Bool(v) => v.to_string(),
                        _ => String::new(),
                    };
                    b.errors.push(
                        Diagnostic::error(format!("expected text here, found {}", found(&cell)))
                            .at(b.span(&cp))
                            .hint(format!("put the value in quotes to use it as text: \"{shown}\"")),
                    );
                }
                other => {
                    let d = Diagnostic::error(format!("a cell is text, but this one is {}", found(&other)))
                        .at(b.span(&cp));
                    b.errors.push(match text_with_colon(&other) {
                        Some(h) => d.hint(h),
                        None => d.hint("write the cell's text; quote it if it has `: ` or `, ` in it"),
                    });
                }
            }
        }
        if row.len() == n && row.iter().all(|c| c.value.trim().is_empty()) {
            b.errors.push(
                Diagnostic::error(format!("row {} has no text in any cell", r + 1))
                    .at(b.span(&rp))
                    .hint("remove the row, or write its cells"),
            );
        } else if row.len() == n {
            rows.push(row);
        }
    }
    Block::Table(Table { caption, columns, widths, rows, span })
}

/// The relative widths at `wp`: one positive number per column.
fn widths(b: &mut Builder, wp: &str, values: Vec<Value>, columns: usize) -> Option<Vec<f32>> {
    let before = b.errors.len();
    let given = values.len();
    let mut out = Vec::with_capacity(values.len());
    for (i, v) in values.into_iter().enumerate() {
        let w = match &v {
            Value::Number(n) => n.as_f64(),
            _ => None,
        };
        match w {
            Some(w) if w.is_finite() && w > 0.0 && w <= 1e6 => out.push(w as f32),
            _ => b.errors.push(
                Diagnostic::error(format!("a width is a positive number, found {}", found(&v)))
                    .at(b.span(&format!("{wp}[{i}]")))
                    .hint("widths are relative: `[3, 2, 3]` makes the first and last columns half as wide again as the second"),
            ),
        }
    }
    if columns > 0 && given != columns {
        b.errors.push(
            Diagnostic::error(format!(
                "`widths` has {given} number{}, but the table has {columns} column{}",
                if given == 1 { "" } else { "s" },
                if columns == 1 { "" } else { "s" }
            ))
            .at(b.key_span(wp))
            .hint("give one width per column, or remove `widths` for columns of equal width"),
        );
    }
    (b.errors.len() == before).then_some(out)
}

/// A YAML value in words, for messages.
fn found(v: &Value) -> String {
    match v {
        Value::Null => "empty".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => format!("the text `{}`", s.chars().take(40).collect::<String>()),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "keys and values".into(),
        Value::Tagged(_) => "a tagged value".into(),
    }
}
