//! The structure tree (PDF/UA-1 tagging): what each piece of content is, in reading
//! order, for screen readers and reflow.
//!
//! Layout gives every item a structure node (Document, H1–H3, P, L/LI/Lbl/LBody, Div for
//! callouts, Link, Figure) or marks it as an artifact (footer, page numbers, rules, callout
//! boxes). The content stream wraps each tagged item in a marked-content sequence with an
//! MCID; this module builds the tree that points at those MCIDs (and at link
//! annotations), the parent tree that points back, and the catalog entries that declare
//! the file tagged.

use lopdf::{Dictionary, Object, ObjectId};

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
    /// For each page, the structure node of each link annotation, in the order of the
    /// page's `/Annots` (`None`: a footer link, which gets a Link element of its own).
    pub annotations: Vec<Vec<(Option<usize>, String)>>,
}

/// One kid of a structure element.
enum Kid {
    Elem(usize),
    Content { page: usize, mcid: usize },
    Annotation { page: usize, annot: ObjectId },
}

/// The logical text of each element that shows right-to-left glyphs, else `None`.
///
/// Right-to-left glyphs are drawn, and read back by poppler and MuPDF, in visual order;
/// an element holding some gets `/ActualText` with its text in reading order (its own runs
/// and its descendants', each line's last run keeping the space of its line break), so
/// what assistive technology reads from the tags is the source.
fn logical_text(pages: &Pages, count: usize) -> Vec<Option<String>> {
    let mut text = vec![String::new(); count];
    let mut rtl = vec![false; count];
    for page in &pages.pages {
        for item in &page.items {
            let Item::Text { run, tag: Tag::Node(n), .. } = item else { continue };
            let mut node = Some(*n);
            while let Some(k) = node.filter(|&k| k < count) {
                text[k].push_str(&super::text::readable(&run.text));
                node = pages.nodes[k].parent;
            }
            if *n < count && super::text::is_rtl(run) {
                rtl[*n] = true;
            }
        }
    }
    text.into_iter().zip(rtl).map(|(t, r)| r.then(|| t.trim_end().to_string())).collect()
}

/// Writes the structure tree, parent tree, `/StructParents`, `/StructParent` on
/// annotations, `/MarkInfo` and `/StructTreeRoot`.
pub fn write(
    lo: &mut lopdf::Document,
    pages: &Pages,
    marks: &Marks,
    page_ids: &[ObjectId],
) -> Result<(), Diagnostic> {
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
    // Annotations become indirect objects so the tree can point at them.
    let mut annotation_ids: Vec<Vec<ObjectId>> = Vec::new();
    for page_id in page_ids {
        let annots = match lo.get_dictionary(*page_id).map_err(|_| broken("page"))?.get(b"Annots") {
            Ok(Object::Array(a)) => a.clone(),
            _ => Vec::new(),
        };
        let mut ids = Vec::with_capacity(annots.len());
        for a in annots {
            let id = match a {
                Object::Reference(r) => r,
                other => lo.add_object(other),
            };
            ids.push(id);
        }
        let page = lo.get_dictionary_mut(*page_id).map_err(|_| broken("page"))?;
        page.set("Annots", ids.iter().map(|id| Object::Reference(*id)).collect::<Vec<_>>());
        annotation_ids.push(ids);
    }
    // Walk the content in reading order: kids are listed in the order they first appear.
    for (page, content) in marks.content.iter().enumerate() {
        for (mcid, &node) in content.iter().enumerate() {
            attach(node, &nodes, &cells, &mut kids, &mut attached);
            kids[node].push(Kid::Content { page, mcid });
        }
        let page_annots = marks.annotations.get(page).map_or(&[][..], Vec::as_slice);
        for ((node, alt), annot) in page_annots.iter().zip(&annotation_ids[page]) {
            let node = match node {
                Some(n) => *n,
                None => {
                    // A footer link: its text is an artifact, the annotation still needs a
                    // Link element, placed after the page's content.
                    nodes.push(Node { role: Role::Link, parent: Some(0), alt: Some(alt.clone()) });
                    kids.push(Vec::new());
                    attached.push(false);
                    nodes.len() - 1
                }
            };
            attach(node, &nodes, &cells, &mut kids, &mut attached);
            kids[node].push(Kid::Annotation { page, annot: *annot });
        }
    }
    // Object ids for every element that has content.
    let root_id = lo.new_object_id();
    let elem_ids: Vec<Option<ObjectId>> =
        attached.iter().map(|&a| if a { Some(lo.new_object_id()) } else { None }).collect();
    let id_of = |n: usize| elem_ids[n].ok_or_else(|| broken("unattached element"));
    // Link alternate text: the annotation's text, which says what the link is.
    let mut link_alt: Vec<Option<String>> = vec![None; nodes.len()];
    for (page, annots) in marks.annotations.iter().enumerate() {
        let _ = page;
        for (node, alt) in annots.iter() {
            if let Some(n) = node {
                link_alt[*n].get_or_insert_with(|| alt.clone());
            }
        }
    }
    let logical = logical_text(pages, nodes.len());
    let mut parent_tree: Vec<(i64, Object)> = Vec::new();
    for (page, content) in marks.content.iter().enumerate() {
        let refs: Result<Vec<Object>, Diagnostic> =
            content.iter().map(|&n| id_of(n).map(Object::Reference)).collect();
        parent_tree.push((page as i64, Object::Array(refs?)));
    }
    let mut next_key = marks.content.len() as i64;
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
                Kid::Annotation { page, annot } => {
                    let key = next_key;
                    next_key += 1;
                    parent_tree.push((key, Object::Reference(id)));
                    let a = lo.get_dictionary_mut(*annot).map_err(|_| broken("annotation"))?;
                    a.set("StructParent", key);
                    a.set("P", page_ids[*page]);
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
        lo.objects.insert(id, Object::Dictionary(d));
    }
    for (i, page_id) in page_ids.iter().enumerate() {
        lo.get_dictionary_mut(*page_id).map_err(|_| broken("page"))?.set("StructParents", i as i64);
    }
    parent_tree.sort_by_key(|(k, _)| *k);
    let nums: Vec<Object> = parent_tree.into_iter().flat_map(|(k, v)| [Object::Integer(k), v]).collect();
    let mut root = Dictionary::new();
    root.set("Type", "StructTreeRoot");
    root.set("K", id_of(0)?);
    root.set("ParentTree", Dictionary::from_iter(vec![("Nums", Object::Array(nums))]));
    root.set("ParentTreeNextKey", next_key);
    lo.objects.insert(root_id, Object::Dictionary(root));
    let catalog_id = lo.trailer.get(b"Root").and_then(Object::as_reference).map_err(|_| broken("catalog"))?;
    let catalog = lo.get_dictionary_mut(catalog_id).map_err(|_| broken("catalog"))?;
    catalog.set("MarkInfo", Dictionary::from_iter(vec![("Marked", Object::Boolean(true))]));
    catalog.set("StructTreeRoot", root_id);
    Ok(())
}
