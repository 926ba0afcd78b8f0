//! The reference's `ImportAnalyzer`, replayed on the CPython-shaped view.
//!
//! Traversal order is the reference's: `_fast_generic_visit` walks a node's
//! fields in order, calls `visit_X` at once for the six visited node types
//! (`Import`, `ImportFrom`, `Assign`, `Attribute`, `Call`, `Name`) and pushes
//! every other child on a stack that is popped last-in-first-out; `Assign`,
//! `Call` and `Name` recurse with a fresh `_fast_generic_visit`, `Attribute`
//! through `ast.NodeVisitor.generic_visit`, `Import`/`ImportFrom` not at all.
//! The state (`imported_modules`, `alias_mapping`, `instance_mapping`,
//! `wildcard_modules`, `has_dynamic_imports`) accumulates in that order, and
//! the walk stops at the first target found.
//!
//! The walker also counts the Python frames the reference would have on its
//! stack, and gives up ([`Walk::TooDeep`]) past a limit, where the reference
//! risks a `RecursionError`.
//!
//! Input: a module body and [`Targets`]. Output: [`Walk`], and optionally a
//! trace of every `visit_*` call.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextSize};

use super::shape::{for_each_child, Node, Visit};
use super::targets::Targets;

/// How a walk ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    /// A target was found: the reference returns True.
    Found,
    /// No target found; `has_dynamic_imports` as the reference leaves it.
    NotFound { has_dynamic_imports: bool },
    /// The reference's stack would have grown past the frame limit.
    TooDeep,
}

/// One `visit_*` call: method and node start offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitEvent {
    pub kind: Visit,
    pub offset: TextSize,
}

/// The analyzer state of `ImportAnalyzer`.
pub struct Analyzer<'a, 't> {
    targets: &'t Targets,
    found: bool,
    imported_modules: HashSet<&'a str>,
    has_dynamic_imports: bool,
    wildcard_modules: Vec<&'a str>,
    alias_mapping: HashMap<&'a str, &'a str>,
    instance_mapping: HashMap<&'a str, &'a str>,
    frame_limit: usize,
    too_deep: bool,
    trace: Option<Vec<VisitEvent>>,
}

impl<'a, 't> Analyzer<'a, 't> {
    /// A fresh analyzer. `frame_limit` is the deepest Python frame (counting
    /// `analyzer.visit(tree)` as frame 1) the walk may reach.
    #[must_use]
    pub fn new(targets: &'t Targets, frame_limit: usize) -> Self {
        Analyzer {
            targets,
            found: false,
            imported_modules: HashSet::new(),
            has_dynamic_imports: false,
            wildcard_modules: Vec::new(),
            alias_mapping: HashMap::new(),
            instance_mapping: HashMap::new(),
            frame_limit,
            too_deep: false,
            trace: None,
        }
    }

    /// Record every `visit_*` call.
    #[must_use]
    pub fn with_trace(mut self) -> Self {
        self.trace = Some(Vec::new());
        self
    }

    /// The recorded `visit_*` calls (empty without [`Analyzer::with_trace`]).
    #[must_use]
    pub fn into_trace(self) -> Vec<VisitEvent> {
        self.trace.unwrap_or_default()
    }

    /// `analyzer.visit(tree)` on a module body.
    pub fn run(&mut self, body: &'a [Stmt]) -> Walk {
        // visit (1) -> generic_visit (2) -> _fast_generic_visit (3)
        self.fast(Node::Module(body), 3);
        if self.found {
            Walk::Found
        } else if self.too_deep {
            Walk::TooDeep
        } else {
            Walk::NotFound { has_dynamic_imports: self.has_dynamic_imports }
        }
    }

    fn stopped(&self) -> bool {
        self.found || self.too_deep
    }

    /// Enter a Python frame at depth `frame`.
    fn frame(&mut self, frame: usize) {
        if frame > self.frame_limit {
            self.too_deep = true;
        }
    }

    /// `_fast_generic_visit(node)` running as frame `frame`.
    fn fast(&mut self, node: Node<'a>, frame: usize) {
        self.frame(frame);
        let mut stack = vec![node];
        while let Some(current) = stack.pop() {
            if self.stopped() {
                return;
            }
            for_each_child(current, &mut |child| {
                if self.stopped() {
                    return;
                }
                match child.visit_kind() {
                    Some(kind) => self.visit(kind, child, frame + 1),
                    None => stack.push(child),
                }
            });
        }
    }

    /// `visit_<kind>(node)` running as frame `frame`.
    fn visit(&mut self, kind: Visit, node: Node<'a>, frame: usize) {
        self.frame(frame);
        if let Some(trace) = &mut self.trace {
            let offset = match node {
                Node::Stmt(stmt) => stmt.start(),
                Node::Expr(expr) => expr.start(),
                _ => TextSize::default(),
            };
            trace.push(VisitEvent { kind, offset });
        }
        if self.stopped() {
            return;
        }
        match node {
            Node::Stmt(Stmt::Import(import)) => {
                for alias in &import.names {
                    let module = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
                    self.imported_modules.insert(module);
                    if alias.name.as_str() == "importlib" {
                        self.has_dynamic_imports = true;
                    }
                    if self.targets.contains(module) || self.targets.has_dotted_under(module) {
                        self.found = true;
                        return;
                    }
                }
            }
            Node::Stmt(Stmt::ImportFrom(import)) => {
                let Some(module) = import.module.as_ref().map(ruff_python_ast::Identifier::as_str) else {
                    return;
                };
                if module.is_empty() {
                    return;
                }
                for alias in &import.names {
                    let name = alias.name.as_str();
                    if name == "*" {
                        self.wildcard_modules.push(module);
                        continue;
                    }
                    let imported = alias.asname.as_ref().map_or(name, |a| a.as_str());
                    self.imported_modules.insert(imported);
                    if alias.asname.is_some() {
                        self.alias_mapping.insert(imported, name);
                    }
                    if module == "importlib" && name == "import_module" {
                        self.has_dynamic_imports = true;
                    }
                    if self.targets.contains(name)
                        || self.targets.contains(&format!("{module}.{name}"))
                        || (alias.asname.is_none() && self.targets.is_dotted_head(name))
                    {
                        self.found = true;
                        return;
                    }
                    // The reference's `_prefix_roots.get(qname)` lookup can
                    // never match: its keys hold no dot, `qname` always does.
                }
            }
            Node::Stmt(Stmt::Assign(assign)) => {
                if let Expr::Call(call) = &*assign.value {
                    if let Expr::Name(func) = &*call.func {
                        let class_name = func.id.as_str();
                        if self.imported_modules.contains(class_name) {
                            let original =
                                self.alias_mapping.get(class_name).copied().unwrap_or(class_name);
                            for target in &assign.targets {
                                if let Expr::Name(name) = target {
                                    self.instance_mapping.insert(name.id.as_str(), original);
                                }
                            }
                        }
                    }
                }
                // generic_visit (frame + 1) -> _fast_generic_visit (frame + 2)
                self.fast(node, frame + 2);
            }
            Node::Expr(Expr::Call(call)) => {
                if matches!(&*call.func, Expr::Name(func) if func.id.as_str() == "__import__") {
                    self.has_dynamic_imports = true;
                }
                self.fast(node, frame + 2);
            }
            Node::Expr(Expr::Name(name)) => {
                let id = name.id.as_str();
                if id == "__import__" {
                    self.has_dynamic_imports = true;
                }
                if self.targets.contains(id)
                    || (!self.wildcard_modules.is_empty()
                        && self.targets.wildcard_match(&self.wildcard_modules, id))
                {
                    self.found = true;
                    return;
                }
                // generic_visit -> _fast_generic_visit: only `ctx` below.
                self.frame(frame + 2);
            }
            Node::Expr(Expr::Attribute(attr)) => {
                self.visit_attribute(attr, frame);
            }
            _ => unreachable!("visit_kind() only names the six visited node types"),
        }
    }

    fn visit_attribute(&mut self, attr: &'a ruff_python_ast::ExprAttribute, frame: usize) {
        let name = attr.attr.as_str();
        let val_id = match &*attr.value {
            Expr::Name(value) => Some(value.id.as_str()),
            _ => None,
        };
        if let Some(val_id) = val_id {
            if self.imported_modules.contains(val_id) {
                if self.targets.contains(name) {
                    self.found = true;
                    return;
                }
                if let Some(roots) = self.targets.roots_of_method(name) {
                    let original = self.alias_mapping.get(val_id).copied().unwrap_or(val_id);
                    if roots.contains(original) || roots.contains(val_id) {
                        self.found = true;
                        return;
                    }
                }
            }
            if let Some(class_name) = self.instance_mapping.get(val_id) {
                if self.targets.roots_of_method(name).is_some_and(|r| r.contains(*class_name)) {
                    self.found = true;
                    return;
                }
            }
        }
        if self.has_dynamic_imports && self.targets.contains(name) {
            self.found = true;
            return;
        }
        // ast.NodeVisitor.generic_visit (frame + 1) -> self.visit(value) (frame + 2)
        let value = Node::Expr(&attr.value);
        match value.visit_kind() {
            Some(kind) => self.visit(kind, value, frame + 3),
            // visit_Constant -> generic_visit -> _fast_generic_visit
            None if value.is_constant() => self.frame(frame + 5),
            // generic_visit -> _fast_generic_visit
            None => self.fast(value, frame + 4),
        }
        if self.stopped() {
            return;
        }
        // self.visit(ctx) -> generic_visit -> _fast_generic_visit
        self.frame(frame + 4);
    }
}
