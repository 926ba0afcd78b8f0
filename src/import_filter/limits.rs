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
//! Input: ruff's token stream. Output: [`Nesting`].

use ruff_python_ast::token::{Token, TokenKind};

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

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_parser::parse_module;

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
