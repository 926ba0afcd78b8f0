//! A CPython-3.11-shaped view of ruff's AST.
//!
//! The reference visitor's order depends on the exact shape of CPython's
//! `ast` tree: which node types exist, the order of each type's `_fields`,
//! and what is a list versus a single child. ruff's AST differs (async
//! variants folded into flags, `elif` clauses, dict items as pairs, call
//! arguments, f-string parts, decorators, parameters...). [`Node`] wraps a
//! ruff node and [`for_each_child`] yields its children exactly as CPython's
//! `_fields` would, in order.
//!
//! Children that are leaves without any effect on the analysis (expression
//! contexts `Load`/`Store`/`Del`, operators, `Constant`s, string literal parts
//! of f-strings, `alias` nodes under `Import`) are skipped: the reference only
//! pushes them on its stack and pops them again, so they cannot change the
//! order in which the six `visit_*` methods run.
//!
//! Input: a ruff node. Output: child [`Node`]s in CPython field order.

use ruff_python_ast::{
    Comprehension, ElifElseClause, ExceptHandler, ExceptHandlerExceptHandler, Expr,
    FStringPart, InterpolatedElement, InterpolatedStringElement, InterpolatedStringFormatSpec,
    Keyword, MatchCase, Parameter, Parameters, Pattern, Stmt, WithItem,
};

/// A node of the CPython-shaped tree.
#[derive(Clone, Copy, Debug)]
pub enum Node<'a> {
    /// `ast.Module` (its `body`).
    Module(&'a [Stmt]),
    Stmt(&'a Stmt),
    /// An `ast.If` made from an `elif` clause: `clauses[0]` is the `elif`,
    /// the rest become its `orelse`.
    Elif(&'a [ElifElseClause]),
    Expr(&'a Expr),
    /// `ast.arguments`.
    Arguments(&'a Parameters),
    /// `ast.arg`.
    Arg(&'a Parameter),
    /// `ast.keyword` (call or class keyword).
    Keyword(&'a Keyword),
    /// `ast.comprehension`.
    Comprehension(&'a Comprehension),
    /// `ast.ExceptHandler`.
    ExceptHandler(&'a ExceptHandlerExceptHandler),
    /// `ast.withitem`.
    WithItem(&'a WithItem),
    /// `ast.match_case`.
    MatchCase(&'a MatchCase),
    /// One of the `ast.Match*` pattern nodes.
    Pattern(&'a Pattern),
    /// `ast.FormattedValue`.
    FormattedValue(&'a InterpolatedElement),
    /// The `ast.JoinedStr` that CPython builds for a format spec.
    FormatSpec(&'a InterpolatedStringFormatSpec),
}

/// Which of the reference's `visit_*` methods handles a node, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visit {
    Import,
    ImportFrom,
    Assign,
    Attribute,
    Call,
    Name,
}

impl Visit {
    /// The CPython class name (the suffix of the `visit_` method).
    #[must_use]
    pub fn class_name(self) -> &'static str {
        match self {
            Visit::Import => "Import",
            Visit::ImportFrom => "ImportFrom",
            Visit::Assign => "Assign",
            Visit::Attribute => "Attribute",
            Visit::Call => "Call",
            Visit::Name => "Name",
        }
    }
}

impl Node<'_> {
    /// The `visit_*` method the reference would call for this node.
    #[must_use]
    pub fn visit_kind(self) -> Option<Visit> {
        match self {
            Node::Stmt(Stmt::Import(_)) => Some(Visit::Import),
            Node::Stmt(Stmt::ImportFrom(_)) => Some(Visit::ImportFrom),
            Node::Stmt(Stmt::Assign(_)) => Some(Visit::Assign),
            Node::Expr(Expr::Attribute(_)) => Some(Visit::Attribute),
            Node::Expr(Expr::Call(_)) => Some(Visit::Call),
            Node::Expr(Expr::Name(_)) => Some(Visit::Name),
            _ => None,
        }
    }

    /// True for an expression CPython represents as `ast.Constant`.
    #[must_use]
    pub fn is_constant(self) -> bool {
        matches!(
            self,
            Node::Expr(
                Expr::StringLiteral(_)
                    | Expr::BytesLiteral(_)
                    | Expr::NumberLiteral(_)
                    | Expr::BooleanLiteral(_)
                    | Expr::NoneLiteral(_)
                    | Expr::EllipsisLiteral(_)
            )
        )
    }
}

/// Call `f` on each child of `node` in CPython `_fields` order.
pub fn for_each_child<'a>(node: Node<'a>, f: &mut impl FnMut(Node<'a>)) {
    match node {
        Node::Module(body) => stmts(body, f),
        Node::Stmt(stmt) => stmt_children(stmt, f),
        Node::Elif(clauses) => {
            // If(test, body, orelse)
            let (first, rest) = clauses.split_first().expect("Elif is never empty");
            if let Some(test) = &first.test {
                f(Node::Expr(test));
            }
            stmts(&first.body, f);
            orelse(rest, f);
        }
        Node::Expr(expr) => expr_children(expr, f),
        Node::Arguments(params) => arguments_children(params, f),
        Node::Arg(param) => opt_expr(param.annotation.as_deref(), f),
        Node::Keyword(keyword) => f(Node::Expr(&keyword.value)),
        Node::Comprehension(comp) => {
            f(Node::Expr(&comp.target));
            f(Node::Expr(&comp.iter));
            exprs(&comp.ifs, f);
        }
        Node::ExceptHandler(handler) => {
            opt_expr(handler.type_.as_deref(), f);
            stmts(&handler.body, f);
        }
        Node::WithItem(item) => {
            f(Node::Expr(&item.context_expr));
            opt_expr(item.optional_vars.as_deref(), f);
        }
        Node::MatchCase(case) => {
            f(Node::Pattern(&case.pattern));
            opt_expr(case.guard.as_deref(), f);
            stmts(&case.body, f);
        }
        Node::Pattern(pattern) => pattern_children(pattern, f),
        Node::FormattedValue(element) => {
            // FormattedValue(value, conversion, format_spec)
            f(Node::Expr(&element.expression));
            if let Some(spec) = &element.format_spec {
                f(Node::FormatSpec(spec));
            }
        }
        Node::FormatSpec(spec) => interpolations(&spec.elements, f),
    }
}

fn stmts<'a>(body: &'a [Stmt], f: &mut impl FnMut(Node<'a>)) {
    for stmt in body {
        f(Node::Stmt(stmt));
    }
}

fn exprs<'a>(items: &'a [Expr], f: &mut impl FnMut(Node<'a>)) {
    for expr in items {
        f(Node::Expr(expr));
    }
}

fn opt_expr<'a>(expr: Option<&'a Expr>, f: &mut impl FnMut(Node<'a>)) {
    if let Some(expr) = expr {
        f(Node::Expr(expr));
    }
}

/// The `orelse` list of an `If` whose remaining clauses are `clauses`.
fn orelse<'a>(clauses: &'a [ElifElseClause], f: &mut impl FnMut(Node<'a>)) {
    match clauses.first() {
        None => {}
        Some(clause) if clause.test.is_none() => stmts(&clause.body, f),
        Some(_) => f(Node::Elif(clauses)),
    }
}

fn stmt_children<'a>(stmt: &'a Stmt, f: &mut impl FnMut(Node<'a>)) {
    match stmt {
        Stmt::FunctionDef(def) => {
            // (name, args, body, decorator_list, returns, type_comment)
            f(Node::Arguments(&def.parameters));
            stmts(&def.body, f);
            for decorator in &def.decorator_list {
                f(Node::Expr(&decorator.expression));
            }
            opt_expr(def.returns.as_deref(), f);
        }
        Stmt::ClassDef(class) => {
            // (name, bases, keywords, body, decorator_list)
            if let Some(arguments) = &class.arguments {
                exprs(&arguments.args, f);
                keywords(&arguments.keywords, f);
            }
            stmts(&class.body, f);
            for decorator in &class.decorator_list {
                f(Node::Expr(&decorator.expression));
            }
        }
        Stmt::Return(ret) => opt_expr(ret.value.as_deref(), f),
        Stmt::Delete(del) => exprs(&del.targets, f),
        Stmt::Assign(assign) => {
            exprs(&assign.targets, f);
            f(Node::Expr(&assign.value));
        }
        Stmt::AugAssign(aug) => {
            f(Node::Expr(&aug.target));
            f(Node::Expr(&aug.value));
        }
        Stmt::AnnAssign(ann) => {
            f(Node::Expr(&ann.target));
            f(Node::Expr(&ann.annotation));
            opt_expr(ann.value.as_deref(), f);
        }
        Stmt::For(for_) => {
            f(Node::Expr(&for_.target));
            f(Node::Expr(&for_.iter));
            stmts(&for_.body, f);
            stmts(&for_.orelse, f);
        }
        Stmt::While(while_) => {
            f(Node::Expr(&while_.test));
            stmts(&while_.body, f);
            stmts(&while_.orelse, f);
        }
        Stmt::If(if_) => {
            f(Node::Expr(&if_.test));
            stmts(&if_.body, f);
            orelse(&if_.elif_else_clauses, f);
        }
        Stmt::With(with) => {
            for item in &with.items {
                f(Node::WithItem(item));
            }
            stmts(&with.body, f);
        }
        Stmt::Match(match_) => {
            f(Node::Expr(&match_.subject));
            for case in &match_.cases {
                f(Node::MatchCase(case));
            }
        }
        Stmt::Raise(raise) => {
            opt_expr(raise.exc.as_deref(), f);
            opt_expr(raise.cause.as_deref(), f);
        }
        Stmt::Try(try_) => {
            stmts(&try_.body, f);
            for ExceptHandler::ExceptHandler(handler) in &try_.handlers {
                f(Node::ExceptHandler(handler));
            }
            stmts(&try_.orelse, f);
            stmts(&try_.finalbody, f);
        }
        Stmt::Assert(assert) => {
            f(Node::Expr(&assert.test));
            opt_expr(assert.msg.as_deref(), f);
        }
        Stmt::Expr(expr) => f(Node::Expr(&expr.value)),
        // Import/ImportFrom are visited without recursion; the rest hold no
        // expressions (or cannot occur in Python 3.11 code).
        Stmt::Import(_)
        | Stmt::ImportFrom(_)
        | Stmt::Global(_)
        | Stmt::Nonlocal(_)
        | Stmt::Pass(_)
        | Stmt::Break(_)
        | Stmt::Continue(_)
        | Stmt::TypeAlias(_)
        | Stmt::IpyEscapeCommand(_) => {}
    }
}

fn keywords<'a>(items: &'a [Keyword], f: &mut impl FnMut(Node<'a>)) {
    for keyword in items {
        f(Node::Keyword(keyword));
    }
}

fn comprehensions<'a>(generators: &'a [Comprehension], f: &mut impl FnMut(Node<'a>)) {
    for comp in generators {
        f(Node::Comprehension(comp));
    }
}

fn interpolations<'a>(elements: &'a [InterpolatedStringElement], f: &mut impl FnMut(Node<'a>)) {
    for element in elements {
        if let InterpolatedStringElement::Interpolation(interp) = element {
            f(Node::FormattedValue(interp));
        }
    }
}

fn expr_children<'a>(expr: &'a Expr, f: &mut impl FnMut(Node<'a>)) {
    match expr {
        Expr::BoolOp(op) => exprs(&op.values, f),
        Expr::Named(named) => {
            f(Node::Expr(&named.target));
            f(Node::Expr(&named.value));
        }
        Expr::BinOp(bin) => {
            f(Node::Expr(&bin.left));
            f(Node::Expr(&bin.right));
        }
        Expr::UnaryOp(unary) => f(Node::Expr(&unary.operand)),
        Expr::Lambda(lambda) => {
            if let Some(params) = &lambda.parameters {
                f(Node::Arguments(params));
            }
            f(Node::Expr(&lambda.body));
        }
        Expr::If(if_) => {
            f(Node::Expr(&if_.test));
            f(Node::Expr(&if_.body));
            f(Node::Expr(&if_.orelse));
        }
        Expr::Dict(dict) => {
            // Dict(keys, values): every key, then every value.
            for item in &dict.items {
                opt_expr(item.key.as_ref(), f);
            }
            for item in &dict.items {
                f(Node::Expr(&item.value));
            }
        }
        Expr::Set(set) => exprs(&set.elts, f),
        Expr::ListComp(comp) => {
            f(Node::Expr(&comp.elt));
            comprehensions(&comp.generators, f);
        }
        Expr::SetComp(comp) => {
            f(Node::Expr(&comp.elt));
            comprehensions(&comp.generators, f);
        }
        Expr::Generator(comp) => {
            f(Node::Expr(&comp.elt));
            comprehensions(&comp.generators, f);
        }
        Expr::DictComp(comp) => {
            opt_expr(comp.key.as_deref(), f);
            f(Node::Expr(&comp.value));
            comprehensions(&comp.generators, f);
        }
        Expr::Await(await_) => f(Node::Expr(&await_.value)),
        Expr::Yield(yield_) => opt_expr(yield_.value.as_deref(), f),
        Expr::YieldFrom(yield_from) => f(Node::Expr(&yield_from.value)),
        Expr::Compare(compare) => {
            f(Node::Expr(&compare.left));
            exprs(&compare.comparators, f);
        }
        Expr::Call(call) => {
            f(Node::Expr(&call.func));
            exprs(&call.arguments.args, f);
            keywords(&call.arguments.keywords, f);
        }
        Expr::FString(fstring) => {
            // One JoinedStr for the whole implicit concatenation; only its
            // FormattedValues matter.
            for part in fstring.value.as_slice() {
                if let FStringPart::FString(fs) = part {
                    interpolations(&fs.elements, f);
                }
            }
        }
        Expr::Attribute(attr) => f(Node::Expr(&attr.value)),
        Expr::Subscript(sub) => {
            f(Node::Expr(&sub.value));
            f(Node::Expr(&sub.slice));
        }
        Expr::Starred(starred) => f(Node::Expr(&starred.value)),
        Expr::List(list) => exprs(&list.elts, f),
        Expr::Tuple(tuple) => exprs(&tuple.elts, f),
        Expr::Slice(slice) => {
            opt_expr(slice.lower.as_deref(), f);
            opt_expr(slice.upper.as_deref(), f);
            opt_expr(slice.step.as_deref(), f);
        }
        Expr::Name(_)
        | Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::NumberLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_)
        | Expr::EllipsisLiteral(_)
        | Expr::TString(_)
        | Expr::IpyEscapeCommand(_) => {}
    }
}

fn arguments_children<'a>(params: &'a Parameters, f: &mut impl FnMut(Node<'a>)) {
    // arguments(posonlyargs, args, vararg, kwonlyargs, kw_defaults, kwarg, defaults)
    for p in &params.posonlyargs {
        f(Node::Arg(&p.parameter));
    }
    for p in &params.args {
        f(Node::Arg(&p.parameter));
    }
    if let Some(vararg) = &params.vararg {
        f(Node::Arg(vararg));
    }
    for p in &params.kwonlyargs {
        f(Node::Arg(&p.parameter));
    }
    for p in &params.kwonlyargs {
        opt_expr(p.default.as_deref(), f);
    }
    if let Some(kwarg) = &params.kwarg {
        f(Node::Arg(kwarg));
    }
    for p in params.posonlyargs.iter().chain(&params.args) {
        opt_expr(p.default.as_deref(), f);
    }
}

fn pattern_children<'a>(pattern: &'a Pattern, f: &mut impl FnMut(Node<'a>)) {
    let patterns = |items: &'a [Pattern], f: &mut dyn FnMut(Node<'a>)| {
        for p in items {
            f(Node::Pattern(p));
        }
    };
    match pattern {
        Pattern::MatchValue(value) => f(Node::Expr(&value.value)),
        Pattern::MatchSingleton(_) | Pattern::MatchStar(_) => {}
        Pattern::MatchSequence(seq) => patterns(&seq.patterns, f),
        Pattern::MatchMapping(mapping) => {
            // MatchMapping(keys, patterns, rest)
            exprs(&mapping.keys, f);
            patterns(&mapping.patterns, f);
        }
        Pattern::MatchClass(class) => {
            // MatchClass(cls, patterns, kwd_attrs, kwd_patterns)
            f(Node::Expr(&class.cls));
            patterns(&class.arguments.patterns, f);
            for keyword in &class.arguments.keywords {
                f(Node::Pattern(&keyword.pattern));
            }
        }
        Pattern::MatchAs(as_) => {
            if let Some(inner) = &as_.pattern {
                f(Node::Pattern(inner));
            }
        }
        Pattern::MatchOr(or) => patterns(&or.patterns, f),
    }
}
