//! PNGs a PDF can take as they are. A PDF's FlateDecode filter with the PNG predictors
//! (`/Predictor 15`, ISO 32000-1 §7.4.4.4) reads exactly what a PNG's IDAT chunks hold: a
//! zlib stream of rows, each a filter byte and the row's filtered samples. So an 8-bit gray
//! or RGB PNG without transparency is embedded without decoding its pixels and compressing
//! them again; the PDF reader undoes the row filters when it draws the image.
//!
//! Such a file is still checked as carefully as a decoded one, only more cheaply: every
//! chunk's CRC, the chunk order, and the zlib stream inflated once into a small buffer that
//! is reused (never the whole image), which must end, with a right checksum, exactly after
//! one filter byte (0 to 4) and the samples of every row. Any other PNG, and any file that
//! fails a check, is left to the caller's decoding path, which reads it as before and
//! reports a corrupt one. Knows nothing of PDF objects.

/// The image data of a PNG as a PDF embeds it (FlateDecode, `/Predictor 15`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PngRows {
    /// Width in pixels (the predictor's `/Columns`).
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// One sample per pixel (gray) rather than three (RGB).
    pub gray: bool,
    /// The IDAT chunks' data, one after another: a zlib stream of filtered rows.
    pub data: Vec<u8>,
}

impl PngRows {
    /// Samples per pixel: 1 (gray) or 3 (RGB), the predictor's `/Colors`.
    pub fn colors(&self) -> u8 {
        if self.gray {
            1
        } else {
            3
        }
    }
}

const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";
/// Inflated at a time while checking rows: the image itself is never held.
const INFLATE_BUFFER: usize = 32 << 10;

/// The rows of `bytes` when a PDF can embed them as they are: a PNG with every chunk's CRC
/// right, 8-bit gray or RGB, not interlaced, without a `tRNS` chunk (which would need a
/// soft mask), whose zlib stream holds exactly its rows. `None` for anything else,
/// corrupt files included: the caller decodes those.
pub fn embeddable(bytes: &[u8]) -> Option<PngRows> {
    let mut rest = bytes.strip_prefix(SIGNATURE)?;
    let (kind, ihdr) = chunk(&mut rest)?;
    if kind != *b"IHDR" || ihdr.len() != 13 {
        return None;
    }
    let width = u32::from_be_bytes(ihdr[0..4].try_into().ok()?);
    let height = u32::from_be_bytes(ihdr[4..8].try_into().ok()?);
    // Bit depth 8; colour type 0 (gray) or 2 (RGB); compression, filter method and
    // interlacing 0 (deflate, the five PNG filters, rows in order).
    let gray = match ihdr[8..] {
        [8, 0, 0, 0, 0] => true,
        [8, 2, 0, 0, 0] => false,
        _ => return None,
    };
    if width == 0 || height == 0 || width > i32::MAX as u32 || height > i32::MAX as u32 {
        return None;
    }
    let mut data = Vec::new();
    // The IDAT chunks must be consecutive: whether one was read, and whether another
    // chunk came after them.
    let (mut in_idat, mut past_idat) = (false, false);
    loop {
        let (kind, body) = chunk(&mut rest)?;
        match &kind {
            b"IDAT" if !past_idat => {
                in_idat = true;
                data.extend_from_slice(body);
            }
            b"IEND" if in_idat && body.is_empty() => break,
            // A palette is only a suggestion in an RGB PNG, and not allowed in a gray one.
            b"PLTE" if !gray && !in_idat => {}
            b"IHDR" | b"IDAT" | b"IEND" | b"PLTE" | b"tRNS" => return None,
            // An unknown critical chunk (upper-case first letter) changes how the image is
            // read; ancillary ones (colour profiles, text, times) do not.
            _ if kind[0].is_ascii_uppercase() => return None,
            _ => past_idat |= in_idat,
        }
    }
    let samples = if gray { 1 } else { 3 };
    let row = 1 + u64::from(width) * samples;
    rows_fit(&data, row, u64::from(height)).then_some(PngRows { width, height, gray, data })
}

/// Takes the next chunk off `rest`: its type and data, if it is whole, its type is four
/// ASCII letters and its CRC is right.
fn chunk<'a>(rest: &mut &'a [u8]) -> Option<([u8; 4], &'a [u8])> {
    let len = usize::try_from(u32::from_be_bytes(rest.get(..4)?.try_into().ok()?)).ok()?;
    if len > i32::MAX as usize {
        return None;
    }
    let typed = rest.get(4..8 + len)?;
    let crc = u32::from_be_bytes(rest.get(8 + len..12 + len)?.try_into().ok()?);
    let kind: [u8; 4] = typed[..4].try_into().ok()?;
    if !kind.iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    let mut sum = flate2::Crc::new();
    sum.update(typed);
    if sum.sum() != crc {
        return None;
    }
    *rest = &rest[12 + len..];
    Some((kind, &typed[4..]))
}

/// Returns true if and only if the zlib stream `data` inflates, with its checksum right
/// and nothing after it, to exactly `rows` rows of `row` bytes each starting with a
/// filter byte 0 to 4 (None, Sub, Up, Average, Paeth).
fn rows_fit(data: &[u8], row: u64, rows: u64) -> bool {
    let Some(total) = row.checked_mul(rows) else { return false };
    let mut z = flate2::Decompress::new(true);
    let mut buf = vec![0u8; INFLATE_BUFFER];
    // Where in the inflated stream the next row's filter byte is.
    let mut next_filter = 0u64;
    loop {
        let (in_before, out_before) = (z.total_in(), z.total_out());
        let Ok(consumed) = usize::try_from(in_before) else { return false };
        let status = match z.decompress(&data[consumed..], &mut buf, flate2::FlushDecompress::None) {
            Ok(s) => s,
            Err(_) => return false,
        };
        let out = z.total_out();
        if out > total {
            return false;
        }
        while next_filter < out {
            let Ok(at) = usize::try_from(next_filter - out_before) else { return false };
            if buf[at] > 4 {
                return false;
            }
            next_filter += row;
        }
        match status {
            flate2::Status::StreamEnd => return out == total && z.total_in() == data.len() as u64,
            // No progress with all the input given: the stream is cut short.
            _ if z.total_in() == in_before && out == out_before => return false,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG of colour type `kind` (0 gray, 2 RGB, 6 RGBA…) at bit depth 8 with `idat` as
    /// its image data (in two IDAT chunks) and `extra` chunks before them.
    fn png(width: u32, height: u32, kind: u8, idat: &[u8], extra: &[(&[u8; 4], &[u8])]) -> Vec<u8> {
        let mut out = SIGNATURE.to_vec();
        let mut put = |kind: &[u8], body: &[u8]| {
            out.extend_from_slice(&(body.len() as u32).to_be_bytes());
            let mut crc = flate2::Crc::new();
            crc.update(kind);
            crc.update(body);
            out.extend_from_slice(kind);
            out.extend_from_slice(body);
            out.extend_from_slice(&crc.sum().to_be_bytes());
        };
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&width.to_be_bytes());
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, kind, 0, 0, 0]);
        put(b"IHDR", &ihdr);
        for (k, b) in extra {
            put(&k[..], b);
        }
        // Split in two IDAT chunks, as encoders do for larger images.
        let half = idat.len() / 2;
        put(b"IDAT", &idat[..half]);
        put(b"IDAT", &idat[half..]);
        put(b"IEND", &[]);
        out
    }

    fn zlib(raw: &[u8]) -> Vec<u8> {
        use std::io::Write as _;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(raw).unwrap();
        z.finish().unwrap()
    }

    /// `height` rows of `width` RGB pixels, each row with filter byte `filter`.
    fn rgb_rows(width: usize, height: usize, filter: u8) -> Vec<u8> {
        (0..height)
            .flat_map(|y| std::iter::once(filter).chain((0..width * 3).map(move |x| (x + y) as u8)))
            .collect()
    }

    #[test]
    fn gray_and_rgb_are_taken_as_they_are_with_their_idat_data() {
        // Larger than the inflate buffer, so rows straddle its refills.
        let idat = zlib(&rgb_rows(500, 40, 4));
        let rows = embeddable(&png(500, 40, 2, &idat, &[(b"gAMA", &[0, 0, 177, 143])])).unwrap();
        assert_eq!((rows.width, rows.height, rows.gray, rows.colors()), (500, 40, false, 3));
        assert_eq!(rows.data, idat);
        let gray: Vec<u8> = (0..7).flat_map(|y| [y % 5, 1, 2, 3]).collect();
        let rows = embeddable(&png(3, 7, 0, &zlib(&gray), &[])).unwrap();
        assert_eq!((rows.gray, rows.colors()), (true, 1));
    }

    #[test]
    fn images_that_need_decoding_are_left_to_the_decoder() {
        let rgb = zlib(&rgb_rows(4, 4, 0));
        // Alpha, transparency, palette, other depths, interlacing.
        assert!(embeddable(&png(4, 4, 6, &rgb, &[])).is_none());
        assert!(embeddable(&png(4, 4, 2, &rgb, &[(b"tRNS", &[0, 0, 0, 0, 0, 0])])).is_none());
        assert!(embeddable(&png(4, 4, 3, &rgb, &[(b"PLTE", &[0, 0, 0])])).is_none());
        let mut sixteen = png(4, 4, 2, &rgb, &[]);
        sixteen[24] = 16;
        assert!(embeddable(&sixteen).is_none(), "the CRC no longer fits either");
        // An unknown critical chunk.
        assert!(embeddable(&png(4, 4, 2, &rgb, &[(b"XXXX", &[])])).is_none());
        assert!(embeddable(&png(4, 4, 2, &rgb, &[])).is_some());
    }

    #[test]
    fn a_corrupt_file_is_left_to_the_decoder_to_report() {
        let good = rgb_rows(4, 4, 1);
        let idat = zlib(&good);
        let ok = png(4, 4, 2, &idat, &[]);
        assert!(embeddable(&ok).is_some());
        // Every truncation, and every flipped byte after the signature (a CRC or a zlib
        // checksum catches them, or the chunk structure breaks).
        for cut in 0..ok.len() {
            assert!(embeddable(&ok[..cut]).is_none(), "cut at {cut}");
        }
        for at in 8..ok.len() {
            let mut bad = ok.clone();
            bad[at] ^= 0x40;
            assert!(embeddable(&bad).is_none(), "flipped at {at}");
        }
        // Valid chunks, wrong rows: one row short, one too many, a filter byte of 5,
        // bytes after the zlib stream.
        assert!(embeddable(&png(4, 5, 2, &idat, &[])).is_none());
        assert!(embeddable(&png(4, 3, 2, &idat, &[])).is_none());
        assert!(embeddable(&png(4, 4, 2, &zlib(&rgb_rows(4, 4, 5)), &[])).is_none());
        let mut trailing = idat.clone();
        trailing.push(0);
        assert!(embeddable(&png(4, 4, 2, &trailing, &[])).is_none());
        // A checksum that does not match the rows (the chunk's CRC made right again).
        let mut wrong_sum = idat.clone();
        let last = wrong_sum.len() - 1;
        wrong_sum[last] ^= 1;
        assert!(embeddable(&png(4, 4, 2, &wrong_sum, &[])).is_none());
    }
}
