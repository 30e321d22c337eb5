//! The structure tree (PDF/UA-1 tagging): what each piece of content is, in reading
//! order, for screen readers and reflow.
//!
//! Layout gives every item a structure node (Document, H1–H3, P, L/LI/Lbl/LBody, Div for
//! callouts, Link, Figure with its bounding box, Caption) or marks it as an artifact
//! (footer, page numbers, rules, callout boxes). The content stream wraps each tagged item in a marked-content sequence with an
//! MCID; this module builds the tree that points at those MCIDs (and at link
//! annotations), the parent tree that points back, and the catalog entries that declare
//! the file tagged.

use lopdf::{Dictionary, Object, ObjectId};

use super::file::PdfFile;

use crate::diag::Diagnostic;
use crate::layout::{Item, Node, Pages, Role, Tag};

/// The PDF structure type of a role. Callouts are `Div`: `Aside` only exists from PDF 2.0
/// and PDF/UA-1 is based on PDF 1.7.
pub fn structure_type(role: Role) -> &'static str {
    match role {
        Role::Document => "Document",
        Role::H1 => "H1",
        Role::H2 => "H2",
        Role::H3 => "H3",
        Role::P => "P",
        Role::L => "L",
        Role::LI => "LI",
        Role::Lbl => "Lbl",
        Role::LBody => "LBody",
        Role::Aside => "Div",
        Role::Link => "Link",
        Role::Figure => "Figure",
        Role::Table => "Table",
        Role::Caption => "Caption",
        Role::THead => "THead",
        Role::TBody => "TBody",
        Role::TR => "TR",
        Role::TH => "TH",
        Role::TD => "TD",
    }
}

/// What the content streams marked, page by page.
#[derive(Debug, Default)]
pub struct Marks {
    /// For each page, the structure node of each MCID (index = MCID).
    pub content: Vec<Vec<usize>>,
    /// For each page, its link annotations in the order of the page's `/Annots`.
    pub annotations: Vec<Vec<Annotation>>,
}

/// A link annotation as the page wrote it.
#[derive(Debug)]
pub struct Annotation {
    /// The Link structure node it belongs to (`None`: a footer link, which gets a Link
    /// element of its own).
    pub node: Option<usize>,
    /// What the link is (the annotation's `/Contents`).
    pub alt: String,
    pub id: ObjectId,
    /// Its `/StructParent` key in the parent tree.
    pub key: usize,
}

/// One kid of a structure element.
enum Kid {
    Elem(usize),
    Content { page: usize, mcid: usize },
    Annotation { page: usize, annot: ObjectId, key: usize },
}

/// The logical text of each element that shows right-to-left glyphs, else `None`.
///
/// Right-to-left glyphs are drawn, and read back by poppler and MuPDF, in visual order;
/// an element holding some gets `/ActualText` with its text in reading order (its own runs
/// and its descendants', each line's last run keeping the space of its line break), so
/// what assistive technology reads from the tags is the source.
fn logical_text(pages: &Pages, count: usize) -> Vec<Option<String>> {
    let mut rtl = vec![false; count];
    for page in &pages.pages {
        for item in &page.items {
            if let Item::Text { run, tag: Tag::Node(n), .. } = item {
                if *n < count && super::text::is_rtl(run) {
                    rtl[*n] = true;
                }
            }
        }
    }
    if !rtl.contains(&true) {
        return vec![None; count];
    }
    // Only elements that get `/ActualText` collect text (a run's text goes to each of
    // its ancestors that does).
    let mut text = vec![String::new(); count];
    for page in &pages.pages {
        for item in &page.items {
            let Item::Text { run, tag: Tag::Node(n), .. } = item else { continue };
            let mut node = Some(*n);
            while let Some(k) = node.filter(|&k| k < count) {
                if rtl[k] {
                    text[k].push_str(&super::text::readable(&run.text));
                }
                node = pages.nodes[k].parent;
            }
        }
    }
    text.into_iter().zip(rtl).map(|(t, r)| r.then(|| t.trim_end().to_string())).collect()
}

/// The bounding box `[left, bottom, right, top]` in PDF coordinates of each Figure drawn
/// as an image or shapes (the first page it is drawn on).
fn figure_boxes(pages: &Pages) -> std::collections::BTreeMap<usize, [f32; 4]> {
    let mut out = std::collections::BTreeMap::new();
    for page in &pages.pages {
        for item in &page.items {
            let (x, y, w, h, n) = match item {
                Item::Image { x, y, w, h, tag: Tag::Node(n), .. } => (*x, *y, *w, *h, *n),
                Item::Shapes { x, y, rects, tag: Tag::Node(n), .. } if !rects.is_empty() => {
                    let left = rects.iter().map(|r| r[0]).fold(f32::MAX, f32::min);
                    let top = rects.iter().map(|r| r[1]).fold(f32::MAX, f32::min);
                    let right = rects.iter().map(|r| r[0] + r[2]).fold(f32::MIN, f32::max);
                    let bottom = rects.iter().map(|r| r[1] + r[3]).fold(f32::MIN, f32::max);
                    (*x + left, *y + top, right - left, bottom - top, *n)
                }
                _ => continue,
            };
            if pages.nodes.get(n).is_some_and(|node| node.role == Role::Figure) {
                out.entry(n).or_insert([x, pages.height - y - h, x + w, pages.height - y]);
            }
        }
    }
    out
}

/// Writes the structure tree and its parent tree; returns the StructTreeRoot's number.
/// Pages and annotations already carry their `/StructParents` and `/StructParent` keys:
/// each page's key is its index, each annotation's is in `marks`, and `next_key` is one
/// past the last.
pub fn write(
    file: &mut PdfFile,
    pages: &Pages,
    marks: &Marks,
    page_ids: &[ObjectId],
    next_key: usize,
) -> Result<ObjectId, Diagnostic> {
    let broken = |what: &str| Diagnostic::error(format!("internal error while tagging: {what}"));
    let mut nodes: Vec<Node> = pages.nodes.clone();
    let mut kids: Vec<Vec<Kid>> = nodes.iter().map(|_| Vec::new()).collect();
    let mut attached = vec![false; nodes.len()];
    // A table row's cells, in column order: a row is attached with all its cells, so an
    // empty cell (no content to attach it) still holds its column's place.
    let mut cells: Vec<Vec<usize>> = nodes.iter().map(|_| Vec::new()).collect();
    for (n, node) in nodes.iter().enumerate() {
        if let (Some(p), Role::TH | Role::TD) = (node.parent, node.role) {
            cells[p].push(n);
        }
    }
    fn attach(n: usize, nodes: &[Node], cells: &[Vec<usize>], kids: &mut [Vec<Kid>], attached: &mut [bool]) {
        if attached[n] {
            return;
        }
        // A cell comes in through its row, which attaches its cells in order.
        if let Some(p) = nodes[n].parent.filter(|&p| cells.get(p).is_some_and(|c| c.contains(&n))) {
            if !attached[p] {
                return attach(p, nodes, cells, kids, attached);
            }
        }
        attached[n] = true;
        if let Some(p) = nodes[n].parent {
            attach(p, nodes, cells, kids, attached);
            kids[p].push(Kid::Elem(n));
        }
        for &cell in cells.get(n).map_or(&[][..], Vec::as_slice) {
            attach(cell, nodes, cells, kids, attached);
        }
    }
    // Walk the content in reading order: kids are listed in the order they first appear.
    for (page, content) in marks.content.iter().enumerate() {
        for (mcid, &node) in content.iter().enumerate() {
            attach(node, &nodes, &cells, &mut kids, &mut attached);
            kids[node].push(Kid::Content { page, mcid });
        }
        for a in marks.annotations.get(page).map_or(&[][..], Vec::as_slice) {
            let node = match a.node {
                Some(n) => n,
                None => {
                    // A footer link: its text is an artifact, the annotation still needs a
                    // Link element, placed after the page's content.
                    nodes.push(Node { role: Role::Link, parent: Some(0), alt: Some(a.alt.clone()) });
                    kids.push(Vec::new());
                    attached.push(false);
                    nodes.len() - 1
                }
            };
            attach(node, &nodes, &cells, &mut kids, &mut attached);
            kids[node].push(Kid::Annotation { page, annot: a.id, key: a.key });
        }
    }
    // Object numbers for every element that has content.
    let root_id = file.reserve();
    let elem_ids: Vec<Option<ObjectId>> =
        attached.iter().map(|&a| if a { Some(file.reserve()) } else { None }).collect();
    let id_of = |n: usize| elem_ids[n].ok_or_else(|| broken("unattached element"));
    // Link alternate text: the annotation's text, which says what the link is.
    let mut link_alt: Vec<Option<String>> = vec![None; nodes.len()];
    for a in marks.annotations.iter().flatten() {
        if let Some(n) = a.node {
            link_alt[n].get_or_insert_with(|| a.alt.clone());
        }
    }
    let logical = logical_text(pages, nodes.len());
    let bboxes = figure_boxes(pages);
    let mut parent_tree: Vec<(i64, Object)> = Vec::with_capacity(next_key);
    for (page, content) in marks.content.iter().enumerate() {
        let refs: Result<Vec<Object>, Diagnostic> =
            content.iter().map(|&n| id_of(n).map(Object::Reference)).collect();
        parent_tree.push((page as i64, Object::Array(refs?)));
    }
    for (n, node) in nodes.iter().enumerate() {
        let Some(id) = elem_ids[n] else { continue };
        let mut d = Dictionary::new();
        d.set("Type", "StructElem");
        d.set("S", Object::Name(structure_type(node.role).as_bytes().to_vec()));
        d.set("P", node.parent.map_or(Ok(root_id), id_of)?);
        let alt = match node.role {
            Role::Figure => node.alt.clone(),
            Role::Link => link_alt[n].clone().or_else(|| node.alt.clone()),
            _ => None,
        };
        if let Some(alt) = alt {
            d.set("Alt", super::meta::text_string(&alt));
        }
        if node.role == Role::TH {
            // Each header cell heads its column (PDF/UA-1 7.5: table headers need a scope).
            d.set(
                "A",
                Dictionary::from_iter(vec![
                    ("O", Object::Name(b"Table".to_vec())),
                    ("Scope", Object::Name(b"Column".to_vec())),
                ]),
            );
        }
        if let Some(b) = bboxes.get(&n) {
            // Where the figure is on its page (PDF/UA: a Figure has a bounding box).
            let attr = Dictionary::from_iter(vec![
                ("O", Object::Name(b"Layout".to_vec())),
                ("BBox", Object::Array(b.iter().map(|v| Object::Real(*v)).collect())),
            ]);
            d.set("A", attr);
        }
        if let Some(text) = &logical[n] {
            d.set("ActualText", super::meta::text_string(text));
        }
        // The element's page: content on it is referred to by bare MCIDs (compact); content
        // on other pages by marked-content references that name their page.
        let home = kids[n].iter().find_map(|k| match k {
            Kid::Content { page, .. } => Some(*page),
            _ => None,
        });
        if let Some(page) = home {
            d.set("Pg", page_ids[page]);
        }
        let mut k = Vec::with_capacity(kids[n].len());
        for kid in &kids[n] {
            k.push(match kid {
                Kid::Elem(c) => Object::Reference(id_of(*c)?),
                Kid::Content { page, mcid } if Some(*page) == home => Object::Integer(*mcid as i64),
                Kid::Content { page, mcid } => Object::Dictionary(Dictionary::from_iter(vec![
                    ("Type", Object::Name(b"MCR".to_vec())),
                    ("Pg", Object::Reference(page_ids[*page])),
                    ("MCID", Object::Integer(*mcid as i64)),
                ])),
                Kid::Annotation { page, annot, key } => {
                    parent_tree.push((*key as i64, Object::Reference(id)));
                    Object::Dictionary(Dictionary::from_iter(vec![
                        ("Type", Object::Name(b"OBJR".to_vec())),
                        ("Pg", Object::Reference(page_ids[*page])),
                        ("Obj", Object::Reference(*annot)),
                    ]))
                }
            });
        }
        // One kid is written bare, as most writers do (and some checkers expect).
        d.set("K", if k.len() == 1 { k.remove(0) } else { Object::Array(k) });
        file.set(id, Object::Dictionary(d));
    }
    parent_tree.sort_by_key(|(k, _)| *k);
    let nums: Vec<Object> = parent_tree.into_iter().flat_map(|(k, v)| [Object::Integer(k), v]).collect();
    let mut root = Dictionary::new();
    root.set("Type", "StructTreeRoot");
    root.set("K", id_of(0)?);
    root.set("ParentTree", Dictionary::from_iter(vec![("Nums", Object::Array(nums))]));
    root.set("ParentTreeNextKey", next_key as i64);
    file.set(root_id, Object::Dictionary(root));
    Ok(root_id)
}
