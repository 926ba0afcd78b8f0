//! Turns the command line and `[tool.codeflash]` into a resolved
//! [`DiscoveryPlan`]: project root, tests root, framework, the functions to
//! optimize with their map keys, the test-file restriction and the Python.
//! Flags win over config.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::cli::{DiscoverArgs, TestFramework};
use crate::error::user_error;

/// A function to optimize (codeflash's `FunctionToOptimize`, the parts we need).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetFunction {
    /// `func` or `Class.method`.
    pub qualified_name: String,
    /// The last part of the qualified name.
    pub function_name: String,
    /// codeflash's `qualified_name_with_modules_from_root`: the result map key.
    pub key: String,
}

#[derive(Debug, Clone)]
pub struct DiscoveryPlan {
    pub project_root: PathBuf,
    pub tests_root: PathBuf,
    pub framework: TestFramework,
    pub functions: Vec<TargetFunction>,
    /// `--only-tests`, made absolute (unittest compares these unresolved) ...
    pub only_tests: Vec<PathBuf>,
    /// ... and resolved (pytest compares these).
    pub only_tests_resolved: Vec<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
struct CodeflashConfig {
    #[serde(rename = "tests-root")]
    tests_root: Option<String>,
    #[serde(rename = "test-framework")]
    test_framework: Option<String>,
}

/// The nearest pyproject.toml at or above `start` that has `[tool.codeflash]`.
fn find_codeflash_pyproject(start: &Path) -> Option<(PathBuf, CodeflashConfig)> {
    start.ancestors().find_map(|dir| {
        let text = std::fs::read_to_string(dir.join("pyproject.toml")).ok()?;
        let value: toml::Value = toml::from_str(&text).ok()?;
        let section = value.get("tool")?.get("codeflash")?.clone();
        Some((dir.to_path_buf(), section.try_into().unwrap_or_default()))
    })
}

fn canonical(path: &Path, what: &str) -> Result<PathBuf> {
    path.canonicalize().map_err(|e| user_error!("{what} {} is not usable: {e}", path.display()))
}

/// codeflash's `module_name_from_file_path`: the dotted module path of a file under the root.
pub fn module_name(file: &Path, project_root: &Path) -> Option<String> {
    let relative = file.strip_prefix(project_root).ok()?;
    let without_suffix = relative.with_extension("");
    let parts: Vec<_> = without_suffix.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    Some(parts.join("."))
}

#[derive(Deserialize)]
struct FunctionsFileEntry {
    file: PathBuf,
    qualified_name: String,
}

fn parse_function_arg(raw: &str) -> Result<(PathBuf, String)> {
    let (file, qualified) = raw
        .rsplit_once("::")
        .ok_or_else(|| user_error!("--function {raw:?} must look like FILE::QUALNAME (e.g. pkg/mod.py::Class.method)"))?;
    Ok((PathBuf::from(file), qualified.to_owned()))
}

fn target_function(file: &Path, qualified_name: &str, project_root: &Path) -> Result<TargetFunction> {
    if qualified_name.is_empty() || qualified_name.split('.').any(str::is_empty) {
        return Err(user_error!("function name {qualified_name:?} in {} is not a qualified name", file.display()));
    }
    let resolved = canonical(file, "function file")?;
    let module = module_name(&resolved, project_root).ok_or_else(|| {
        user_error!(
            "function file {} is outside the project root {}; pass --project-root",
            file.display(),
            project_root.display()
        )
    })?;
    Ok(TargetFunction {
        qualified_name: qualified_name.to_owned(),
        function_name: qualified_name.rsplit('.').next().unwrap_or(qualified_name).to_owned(),
        key: format!("{module}.{qualified_name}"),
    })
}

/// Resolve everything the discovery needs; every problem is a [`crate::error::UserError`].
pub fn plan(args: &DiscoverArgs) -> Result<DiscoveryPlan> {
    let cwd = std::env::current_dir().context("no current directory")?;
    let config_start = args.project_root.as_deref().unwrap_or(&cwd);
    let pyproject = find_codeflash_pyproject(&std::path::absolute(config_start)?);

    let project_root = match (&args.project_root, &pyproject) {
        (Some(root), _) => canonical(root, "project root")?,
        (None, Some((dir, _))) => canonical(dir, "project root")?,
        (None, None) => canonical(&cwd, "current folder")?,
    };
    let tests_root = match (&args.tests_root, &pyproject) {
        (Some(root), _) => canonical(root, "tests root")?,
        (None, Some((dir, CodeflashConfig { tests_root: Some(rel), .. }))) => {
            canonical(&dir.join(rel), "tests root ([tool.codeflash] tests-root)")?
        }
        _ => return Err(user_error!("no tests root: pass --tests-root or set tests-root in [tool.codeflash]")),
    };
    let framework = match (args.test_framework, &pyproject) {
        (Some(framework), _) => framework,
        (None, Some((_, CodeflashConfig { test_framework: Some(name), .. }))) => match name.as_str() {
            "pytest" => TestFramework::Pytest,
            "unittest" => TestFramework::Unittest,
            other => return Err(user_error!("[tool.codeflash] test-framework {other:?} is not pytest or unittest")),
        },
        _ => TestFramework::Pytest,
    };

    let mut functions = Vec::new();
    for raw in &args.functions {
        let (file, qualified) = parse_function_arg(raw)?;
        functions.push(target_function(&file, &qualified, &project_root)?);
    }
    if let Some(path) = &args.functions_file {
        let text = std::fs::read_to_string(path).map_err(|e| user_error!("cannot read --functions-file {}: {e}", path.display()))?;
        let entries: Vec<FunctionsFileEntry> = serde_json::from_str(&text)
            .map_err(|e| user_error!("--functions-file {} is not a JSON list of {{\"file\", \"qualified_name\"}}: {e}", path.display()))?;
        // Relative files are relative to the current folder, as with --function.
        for entry in entries {
            functions.push(target_function(&entry.file, &entry.qualified_name, &project_root)?);
        }
    }

    let mut only_tests = Vec::new();
    let mut only_tests_resolved = Vec::new();
    for path in &args.only_tests {
        let absolute = std::path::absolute(path)?;
        only_tests_resolved.push(absolute.canonicalize().unwrap_or_else(|_| absolute.clone()));
        only_tests.push(absolute);
    }
    Ok(DiscoveryPlan { project_root, tests_root, framework, functions, only_tests, only_tests_resolved })
}

impl DiscoveryPlan {
    /// function_name -> map keys, in input order, duplicates kept.
    #[must_use]
    pub fn functions_by_name(&self) -> BTreeMap<String, Vec<String>> {
        let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for function in &self.functions {
            by_name.entry(function.function_name.clone()).or_default().push(function.key.clone());
        }
        by_name
    }

    /// The import filter's targets: the qualified names (a set, as in the reference).
    #[must_use]
    pub fn filter_targets(&self) -> std::collections::BTreeSet<String> {
        self.functions.iter().map(|f| f.qualified_name.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_name_strips_one_suffix_and_joins_with_dots() {
        let root = Path::new("/p");
        assert_eq!(module_name(Path::new("/p/pkg/mod.py"), root).as_deref(), Some("pkg.mod"));
        assert_eq!(module_name(Path::new("/p/pkg/__init__.py"), root).as_deref(), Some("pkg.__init__"));
        assert_eq!(module_name(Path::new("/p/a/b.c.py"), root).as_deref(), Some("a.b.c"));
        assert_eq!(module_name(Path::new("/q/mod.py"), root), None);
    }

    #[test]
    fn function_arg_splits_on_the_last_double_colon() {
        let (file, name) = parse_function_arg("src/pkg/mod.py::Cls.meth").unwrap();
        assert_eq!(file, PathBuf::from("src/pkg/mod.py"));
        assert_eq!(name, "Cls.meth");
        assert!(parse_function_arg("no-separator").is_err());
    }
}
