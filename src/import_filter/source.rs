//! Reading a test file the way the reference does.
//!
//! codeflash opens the file with `open(path, "r", encoding="utf-8")` and reads
//! it whole: strict UTF-8 (a leading BOM is *kept* as U+FEFF), universal
//! newlines (`\r\n` and a lone `\r` both become `\n`). The resulting text is
//! what `ast.parse` sees and what the "target name appears in the source"
//! check searches.
//!
//! Input: a path. Output: the normalised text, or a [`ReadError`] saying how
//! the reference would have reacted.

use std::borrow::Cow;
use std::io::ErrorKind;
use std::path::Path;

/// Why a file could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// `FileNotFoundError`: the reference catches it and keeps the file.
    NotFound,
    /// Any other OS error (a directory, no permission...): the reference
    /// raises and codeflash stops. The message says what happened.
    Io(String),
    /// The bytes are not UTF-8: the reference raises `UnicodeDecodeError`.
    /// The message mimics Python's.
    NotUtf8(String),
}

/// Read `path` and normalise it as Python's text mode would.
pub fn read_source(path: &Path) -> Result<String, ReadError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == ErrorKind::NotFound => return Err(ReadError::NotFound),
        Err(err) => return Err(ReadError::Io(format!("{}: {err}", path.display()))),
    };
    decode(bytes)
}

/// Decode bytes as strict UTF-8 and normalise newlines.
pub fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(match normalize_newlines(&text) {
            Cow::Borrowed(_) => text,
            Cow::Owned(owned) => owned,
        }),
        Err(err) => Err(ReadError::NotUtf8(utf8_error_message(&err))),
    }
}

/// Python's universal newlines: `\r\n` -> `\n`, lone `\r` -> `\n`.
#[must_use]
pub fn normalize_newlines(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Python-like text for a UTF-8 decoding error, e.g.
/// `'utf-8' codec can't decode byte 0xff in position 3: invalid start byte`.
fn utf8_error_message(err: &std::string::FromUtf8Error) -> String {
    let bytes = err.as_bytes();
    let utf8 = err.utf8_error();
    let pos = utf8.valid_up_to();
    let byte = bytes.get(pos).copied().unwrap_or(0);
    let reason = match utf8.error_len() {
        None => "unexpected end of data",
        Some(_) if (0x80..0xC2).contains(&byte) || byte > 0xF4 => "invalid start byte",
        Some(_) => "invalid continuation byte",
    };
    format!("UnicodeDecodeError: 'utf-8' codec can't decode byte 0x{byte:02x} in position {pos}: {reason}")
}

/// 1-based line and 0-based UTF-8 byte column of `offset`, as CPython's
/// `lineno` / `col_offset` (the text is already newline-normalised).
#[must_use]
#[allow(clippy::naive_bytecount)] // only for traces
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = before.iter().rposition(|&b| b == b'\n').map_or(offset, |nl| offset - nl - 1);
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newlines_are_normalised() {
        assert_eq!(normalize_newlines("a\r\nb\rc\n"), "a\nb\nc\n");
        assert_eq!(normalize_newlines("\r\r\n"), "\n\n");
        assert!(matches!(normalize_newlines("plain\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn bom_is_kept() {
        let text = decode(b"\xef\xbb\xbfimport os\n".to_vec()).unwrap();
        assert!(text.starts_with('\u{feff}'));
    }

    #[test]
    fn non_utf8_reports_python_like_message() {
        let err = decode(b"x = 1\n\xff\n".to_vec()).unwrap_err();
        assert_eq!(
            err,
            ReadError::NotUtf8(
                "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 6: invalid start byte".into()
            )
        );
        let err = decode(b"\xc3(".to_vec()).unwrap_err();
        assert!(matches!(err, ReadError::NotUtf8(m) if m.contains("invalid continuation byte")));
        let err = decode(b"ab\xe2\x82".to_vec()).unwrap_err();
        assert!(matches!(err, ReadError::NotUtf8(m) if m.contains("unexpected end of data")));
    }

    #[test]
    fn missing_file_is_not_found() {
        assert_eq!(read_source(Path::new("/nonexistent/dir/x.py")), Err(ReadError::NotFound));
    }

    #[test]
    fn line_col_counts_bytes() {
        let text = "ab\nçd = 1\n";
        assert_eq!(line_col(text, 0), (1, 0));
        assert_eq!(line_col(text, 3), (2, 0));
        assert_eq!(line_col(text, 6), (2, 3));
    }
}
