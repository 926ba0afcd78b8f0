//! How deep the CPython-shaped tree is.
//!
//! CPython 3.11's `ast.parse` converts its C tree to Python objects
//! recursively and raises `RecursionError` ("maximum recursion depth exceeded
//! during ast construction") at about 3000 nested nodes, fewer when the
//! caller's Python stack is already deep. The measure here lets `mod.rs`
//! send such files to the Python fallback instead of guessing.
//!
//! Input: a module body. Output: the number of nodes on the longest path
//! from the module down, stopping early once `cap` is exceeded. Iterative, so
//! any depth is safe.

use ruff_python_ast::Stmt;

use super::shape::{for_each_child, Node};

/// Depth of the CPython-shaped tree (the module counts 1), or `cap + 1` if
/// it is deeper than `cap`.
#[must_use]
pub fn tree_depth(body: &[Stmt], cap: usize) -> usize {
    let mut deepest = 1;
    let mut stack: Vec<(Node<'_>, usize)> = vec![(Node::Module(body), 1)];
    while let Some((node, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        if deepest > cap {
            return cap + 1;
        }
        for_each_child(node, &mut |child| stack.push((child, depth + 1)));
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;
    use ruff_python_parser::parse_module;

    fn depth(src: &str) -> usize {
        tree_depth(&parse_module(src).unwrap().into_syntax().body, 10_000)
    }

    #[test]
    fn counts_cpython_levels() {
        // Module > Expr > Name
        assert_eq!(depth("x\n"), 3);
        // Module > Expr > BinOp > BinOp > Name
        assert_eq!(depth("a + b + c\n"), 5);
        // Module > If > If (elif) > If (elif) > Expr > Name
        assert_eq!(depth("if a:\n  a\nelif b:\n  b\nelif c:\n  c\n"), 6);
    }

    #[test]
    fn stops_at_cap() {
        let src = format!("x = {}1\n", "-".repeat(50));
        assert_eq!(tree_depth(&parse_module(&src).unwrap().into_syntax().body, 10), 11);
    }
}
