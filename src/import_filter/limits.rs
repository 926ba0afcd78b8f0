//! CPython 3.11 limits that ruff does not have.
//!
//! CPython's tokenizer refuses more than 200 nested brackets ("too many
//! nested parentheses") and 100 indentation levels ("too many levels of
//! indentation"), both `SyntaxError`s, so the reference keeps such files.
//! Its parser stops at 6000 nested rules (`MemoryError`, uncaught) and its
//! AST conversion at about 3000 nested nodes (`RecursionError`, uncaught):
//! [`Nesting`] gives the measures used to tell when the reference may fail
//! that way (see `mod.rs`).
//!
//! ruff also lacks CPython's `TabError` check (indentation must compare the
//! same way with tabs worth 8 columns and worth 1): see [`tabs_consistent`].
//!
//! Input: ruff's token stream (and the text). Output: [`Nesting`], and
//! whether the indentation passes CPython's tab check.

use ruff_python_ast::token::{Token, TokenKind};
use ruff_text_size::Ranged;

/// CPython's `MAXLEVEL`: an opening bracket at this level is an error.
pub const MAX_BRACKET_LEVEL: usize = 200;
/// CPython's `MAXINDENT`: this many indentation levels is an error.
pub const MAX_INDENT: usize = 100;

/// Deepest nesting seen in the token stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Nesting {
    /// Deepest bracket level, counted as CPython 3.11's tokenizer does: an
    /// f-string's replacement field is parsed separately, wrapped in one
    /// pair of parentheses, so the count restarts inside it.
    pub brackets: usize,
    /// Deepest indentation level.
    pub indent: usize,
}

impl Nesting {
    /// Measure `tokens`.
    #[must_use]
    pub fn of_tokens(tokens: &[Token]) -> Nesting {
        let mut nesting = Nesting::default();
        let mut level = 0usize;
        let mut indent = 0usize;
        // Bracket levels outside the f-strings we are in.
        let mut saved: Vec<usize> = Vec::new();
        for token in tokens {
            match token.kind() {
                TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => {
                    level += 1;
                    nesting.brackets = nesting.brackets.max(level);
                }
                TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => {
                    level = level.saturating_sub(1);
                }
                TokenKind::FStringStart | TokenKind::TStringStart => {
                    saved.push(level);
                    level = 0;
                }
                TokenKind::FStringEnd | TokenKind::TStringEnd => {
                    level = saved.pop().unwrap_or(0);
                }
                TokenKind::Indent => {
                    indent += 1;
                    nesting.indent = nesting.indent.max(indent);
                }
                TokenKind::Dedent => indent = indent.saturating_sub(1),
                _ => {}
            }
        }
        nesting
    }

    /// Would CPython's tokenizer raise a `SyntaxError` for this nesting?
    #[must_use]
    pub fn tokenizer_rejects(self) -> bool {
        self.brackets > MAX_BRACKET_LEVEL || self.indent >= MAX_INDENT
    }
}

/// CPython's tokenizer check that indentation compares the same way with a
/// tab worth up to 8 columns (`col`) and worth 1 (`altcol`); a form feed
/// resets both. False where CPython raises `TabError` (or an
/// `IndentationError` ruff reports anyway).
#[must_use]
pub fn tabs_consistent(text: &str, tokens: &[Token]) -> bool {
    if !text.contains('\t') {
        return true;
    }
    let mut stack: Vec<(usize, usize)> = vec![(0, 0)];
    let mut at_line_start = true;
    for token in tokens {
        match token.kind() {
            TokenKind::Comment
            | TokenKind::NonLogicalNewline
            | TokenKind::Indent
            | TokenKind::Dedent => continue,
            TokenKind::EndOfFile => break,
            TokenKind::Newline => {
                at_line_start = true;
                continue;
            }
            _ => {}
        }
        if !at_line_start {
            continue;
        }
        at_line_start = false;
        let start = token.start().to_usize();
        let line_start = text[..start].rfind('\n').map_or(0, |nl| nl + 1);
        let (mut col, mut altcol) = (0usize, 0usize);
        for c in text[line_start..start].chars() {
            match c {
                ' ' => {
                    col += 1;
                    altcol += 1;
                }
                '\t' => {
                    col = (col / 8 + 1) * 8;
                    altcol += 1;
                }
                '\x0c' => (col, altcol) = (0, 0),
                _ => break,
            }
        }
        let &(top, alttop) = stack.last().expect("never empty");
        match col.cmp(&top) {
            std::cmp::Ordering::Equal => {
                if altcol != alttop {
                    return false;
                }
            }
            std::cmp::Ordering::Greater => {
                if altcol <= alttop {
                    return false;
                }
                stack.push((col, altcol));
            }
            std::cmp::Ordering::Less => {
                while stack.len() > 1 && col < stack.last().expect("never empty").0 {
                    stack.pop();
                }
                if stack.last() != Some(&(col, altcol)) {
                    return false;
                }
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_parser::{parse_module, parse_unchecked, Mode, ParseOptions};

    /// Accepted by ruff and by the tab check.
    fn tabs_ok(src: &str) -> bool {
        let parsed = parse_unchecked(src, ParseOptions::from(Mode::Module));
        !parsed.has_syntax_errors() && tabs_consistent(src, parsed.tokens())
    }

    #[test]
    fn tab_error_as_cpython() {
        assert!(tabs_ok("if x:\n\tpass\n"));
        assert!(tabs_ok("if x:\n\tif y:\n\t\tpass\n\tz = 1\n"));
        // tab (col 8, altcol 1) then 8 spaces (col 8, altcol 8)
        assert!(!tabs_ok("if x:\n\tif y:\n        pass\n"));
        assert!(!tabs_ok("if x:\n        a\n\tb\n"));
        // continuation lines and brackets do not count
        assert!(tabs_ok("if x:\n    a = (1,\n\t2)\n    b = 1 + \\\n\t3\n"));
    }

    fn nesting(src: &str) -> Nesting {
        Nesting::of_tokens(parse_module(src).unwrap().tokens())
    }

    #[test]
    fn counts_brackets() {
        assert_eq!(nesting("x = [(1, {2: 3})]\n").brackets, 3);
        let deep = format!("x = {}1{}\n", "(".repeat(200), ")".repeat(200));
        assert!(!nesting(&deep).tokenizer_rejects());
        let deeper = format!("x = {}1{}\n", "(".repeat(201), ")".repeat(201));
        assert!(nesting(&deeper).tokenizer_rejects());
    }

    #[test]
    fn fstring_fields_restart_the_count() {
        assert_eq!(nesting("x = ((f'{(1)}'))\n").brackets, 2);
    }

    #[test]
    fn counts_indentation() {
        let src = |n: usize| {
            let mut s = String::new();
            for i in 0..n {
                s.push_str(&" ".repeat(i));
                s.push_str("if x:\n");
            }
            s.push_str(&" ".repeat(n));
            s.push_str("pass\n");
            s
        };
        assert_eq!(nesting(&src(99)).indent, 99);
        assert!(!nesting(&src(99)).tokenizer_rejects());
        assert!(nesting(&src(100)).tokenizer_rejects());
    }
}
