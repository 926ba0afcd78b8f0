//! The target qualified names, pre-digested for the questions the reference
//! visitor asks (`ImportAnalyzer.__init__` and the loops in its methods).
//!
//! Input: the target names. Output: [`Targets`], whose methods answer each
//! question exactly as the reference's expression does.

use std::collections::{BTreeSet, HashMap, HashSet};

/// Target names and lookups derived from them.
#[derive(Debug, Default)]
pub struct Targets {
    /// `function_names_to_find`.
    exact: HashSet<String>,
    /// Every `t[..i]` where `t[i] == '.'`: `t.startswith(m + ".")` holds for
    /// some target `t` exactly when `m` is in this set.
    dot_prefixes: HashSet<String>,
    /// `t.split(".", 1)[0]` of every dotted target.
    dotted_heads: HashSet<String>,
    /// `_dot_methods`: method -> roots, from `t.rsplit(".", 1)`.
    dot_methods: HashMap<String, HashSet<String>>,
    /// Last component (after the last dot) -> dotted targets ending with it.
    by_last: HashMap<String, Vec<String>>,
    /// The names, for the final "appears in the source" check.
    names: Vec<String>,
}

impl Targets {
    /// Digest `names`.
    #[must_use]
    pub fn new(names: &BTreeSet<String>) -> Targets {
        let mut targets = Targets {
            names: names.iter().cloned().collect(),
            exact: names.iter().cloned().collect(),
            ..Targets::default()
        };
        for name in names {
            for (i, _) in name.match_indices('.') {
                targets.dot_prefixes.insert(name[..i].to_owned());
            }
            if let Some((root, method)) = name.rsplit_once('.') {
                targets
                    .dot_methods
                    .entry(method.to_owned())
                    .or_default()
                    .insert(root.to_owned());
                targets.by_last.entry(method.to_owned()).or_default().push(name.clone());
            }
            if let Some((head, _)) = name.split_once('.') {
                targets.dotted_heads.insert(head.to_owned());
            }
        }
        targets
    }

    /// `name in function_names_to_find`.
    #[must_use]
    pub fn contains(&self, name: &str) -> bool {
        self.exact.contains(name)
    }

    /// `any(t.startswith(f"{module}.") for t in function_names_to_find)`.
    #[must_use]
    pub fn has_dotted_under(&self, module: &str) -> bool {
        self.dot_prefixes.contains(module)
    }

    /// `any(t.split(".", 1)[0] == name for t in targets if "." in t)`.
    #[must_use]
    pub fn is_dotted_head(&self, name: &str) -> bool {
        self.dotted_heads.contains(name)
    }

    /// `_dot_methods.get(method)`.
    #[must_use]
    pub fn roots_of_method(&self, method: &str) -> Option<&HashSet<String>> {
        self.dot_methods.get(method)
    }

    /// The wildcard test of `visit_Name`: some target starts with
    /// `module + "."` and ends with `"." + name`, for some `module`.
    #[must_use]
    pub fn wildcard_match(&self, modules: &[&str], name: &str) -> bool {
        let Some(candidates) = self.by_last.get(name) else {
            return false;
        };
        candidates.iter().any(|t| {
            modules
                .iter()
                .any(|m| t.len() > m.len() && t.starts_with(m) && t.as_bytes()[m.len()] == b'.')
        })
    }

    /// `any(t in source for t in function_names_to_find)`.
    #[must_use]
    pub fn any_in_source(&self, source: &str) -> bool {
        self.names.iter().any(|t| source.contains(t.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(names: &[&str]) -> Targets {
        Targets::new(&names.iter().map(|s| (*s).to_owned()).collect())
    }

    #[test]
    fn prefix_questions() {
        let t = targets(&["pkg.mod.Class.method", "plain"]);
        assert!(t.contains("plain"));
        assert!(t.has_dotted_under("pkg"));
        assert!(t.has_dotted_under("pkg.mod"));
        assert!(t.has_dotted_under("pkg.mod.Class"));
        assert!(!t.has_dotted_under("pkg.mo"));
        assert!(!t.has_dotted_under("plain"));
        assert!(t.is_dotted_head("pkg"));
        assert!(!t.is_dotted_head("plain"));
        assert!(t.roots_of_method("method").unwrap().contains("pkg.mod.Class"));
    }

    #[test]
    fn wildcard() {
        let t = targets(&["pkg.mod.func", "a.a"]);
        assert!(t.wildcard_match(&["pkg"], "func"));
        assert!(t.wildcard_match(&["pkg.mod"], "func"));
        assert!(!t.wildcard_match(&["pk"], "func"));
        assert!(!t.wildcard_match(&["pkg.mod.func"], "func"));
        assert!(t.wildcard_match(&["a"], "a"));
    }

    #[test]
    fn empty_target_is_in_every_source() {
        assert!(targets(&[""]).any_in_source("x"));
        assert!(!targets(&[]).any_in_source("x"));
    }
}
