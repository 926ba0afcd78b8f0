//! The project model: turns the command line and `[tool.codeflash]` into a resolved
//! [`DiscoveryPlan`]: project root, tests root, framework, the functions to
//! optimize with their map keys, the test-file restriction. Flags win over config.
//! The project's interpreter is [`python`]'s job.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::cli::DiscoverArgs;
use crate::error::user_error;
use crate::model::TestFramework;

pub mod python;

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
    /// Where codeflash would be running: the folder its `custom_addopts` searches
    /// config files from and the unittest loader's working directory. The current
    /// folder, or the project root when `--project-root` is given.
    pub invocation_dir: PathBuf,
}

/// The `[tool.codeflash]` keys that change test discovery, read as codeflash 0.20.6's
/// `parse_config_file` + `process_pyproject_config` read them.
#[derive(Debug, Default)]
struct CodeflashConfig {
    /// The pyproject.toml the values come from.
    file: PathBuf,
    module_root: Option<PathBuf>,
    tests_root: Option<PathBuf>,
}

/// codeflash's `find_closest_config_file("pyproject.toml")`: the nearest pyproject.toml at or
/// above `start` (the filesystem root itself is not searched), with or without `[tool.codeflash]`.
fn find_pyproject(start: &Path) -> Option<PathBuf> {
    start.ancestors().filter(|dir| dir.parent().is_some()).map(|dir| dir.join("pyproject.toml")).find(|file| file.exists())
}

/// 1-based line and column of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// Read `[tool.codeflash]` of `file`. A file that is not valid TOML is a usage error naming the
/// file and line (codeflash stops there too: "Error while parsing the config file").
fn read_codeflash_config(file: &Path, cwd: &Path) -> Result<CodeflashConfig> {
    let text = std::fs::read_to_string(file).map_err(|e| user_error!("cannot read {}: {e}", file.display()))?;
    let value: toml::Table = toml::from_str(&text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |span| line_and_column(&text, span.start));
        user_error!("{}:{line}:{column}: not valid TOML: {}", file.display(), e.message().trim().replace('\n', " "))
    })?;
    let Some(section) = value.get("tool").and_then(|t| t.get("codeflash")).and_then(toml::Value::as_table) else {
        return Ok(CodeflashConfig { file: file.to_path_buf(), ..CodeflashConfig::default() });
    };
    let folder = file.parent().unwrap_or(Path::new("/"));
    // codeflash resolves `module-root` / `tests-root` against the pyproject's folder, then renames
    // every dashed key to its underscore form (so the dashed spelling wins over an underscore one);
    // an underscore-only key keeps its raw text, which codeflash later resolves against its cwd.
    let path_key = |name: &str| -> Result<Option<PathBuf>> {
        let dashed = name.replace('_', "-");
        let (raw, base) = match (section.get(&dashed), section.get(name)) {
            (Some(value), _) => (value, folder),
            (None, Some(value)) => (value, cwd),
            (None, None) => return Ok(None),
        };
        let text = raw
            .as_str()
            .ok_or_else(|| user_error!("{}: [tool.codeflash] {dashed} must be a string path, not {raw}", file.display()))?;
        Ok(Some(base.join(text)))
    };
    Ok(CodeflashConfig { file: file.to_path_buf(), module_root: path_key("module_root")?, tests_root: path_key("tests_root")? })
}

/// codeflash's `project_root_from_module_root`: the module root itself when the pyproject sits in
/// it; else the nearest folder at or above it with a Maven/Gradle build file; else its parent.
fn project_root_from_module_root(module_root: &Path, pyproject: &Path) -> PathBuf {
    if pyproject.parent() == Some(module_root) {
        return module_root.to_path_buf();
    }
    let build_files = ["pom.xml", "build.gradle", "build.gradle.kts"];
    if let Some(found) = module_root.ancestors().filter(|dir| dir.parent().is_some()).find(|dir| build_files.iter().any(|f| dir.join(f).exists())) {
        return found.to_path_buf();
    }
    module_root.parent().unwrap_or(module_root).to_path_buf()
}

fn canonical(path: &Path, what: &str) -> Result<PathBuf> {
    path.canonicalize().map_err(|e| user_error!("{what} {} is not usable: {e}", path.display()))
}

/// codeflash's `module_name_from_file_path`: the dotted module path of a file under the root.
#[must_use]
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
///
/// Without flags this is codeflash run from the current folder: the nearest pyproject.toml,
/// project root from `module-root` (`project_root_from_module_root`), tests root from
/// `tests-root`, and always the pytest strategy (codeflash 0.20.6's `TestConfig.test_framework`
/// answers "pytest" whatever `test-framework` says). `--project-root` / `--tests-root` /
/// `--test-framework` override the derived values.
pub fn plan(args: &DiscoverArgs) -> Result<DiscoveryPlan> {
    let cwd = std::env::current_dir().context("no current directory")?;
    let config_start = std::path::absolute(args.project_root.as_deref().unwrap_or(&cwd))?;
    let config = match find_pyproject(&config_start) {
        Some(file) => Some(read_codeflash_config(&file, &cwd)?),
        None => None,
    };

    let project_root = match (&args.project_root, &config) {
        (Some(root), _) => canonical(root, "project root")?,
        (None, Some(CodeflashConfig { file, module_root: Some(module_root), .. })) => {
            let module_root = canonical(module_root, "module root ([tool.codeflash] module-root)")?;
            if !module_root.is_dir() {
                return Err(user_error!("module root {} ([tool.codeflash] module-root) is not a folder", module_root.display()));
            }
            project_root_from_module_root(&module_root, file)
        }
        (None, Some(CodeflashConfig { file, .. })) => {
            return Err(user_error!("no project root: pass --project-root or set module-root in [tool.codeflash] of {}", file.display()))
        }
        (None, None) => {
            return Err(user_error!("no project root: pass --project-root or run from a project whose pyproject.toml has [tool.codeflash] module-root"))
        }
    };
    let tests_root = match (&args.tests_root, &config) {
        (Some(root), _) => canonical(root, "tests root")?,
        (None, Some(CodeflashConfig { tests_root: Some(root), .. })) => canonical(root, "tests root ([tool.codeflash] tests-root)")?,
        _ => return Err(user_error!("no tests root: pass --tests-root or set tests-root in [tool.codeflash]")),
    };
    if !tests_root.is_dir() {
        return Err(user_error!("tests root {} is not a folder", tests_root.display()));
    }
    let framework = args.test_framework.unwrap_or(TestFramework::Pytest);
    let invocation_dir = if args.project_root.is_some() { project_root.clone() } else { canonical(&cwd, "current folder")? };

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
    Ok(DiscoveryPlan { project_root, tests_root, framework, functions, only_tests, only_tests_resolved, invocation_dir })
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
    fn project_root_is_the_module_root_beside_the_pyproject_else_its_parent() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let pyproject = root.join("pyproject.toml");
        assert_eq!(project_root_from_module_root(&root, &pyproject), root);
        assert_eq!(project_root_from_module_root(&root.join("pkg"), &pyproject), root);
        assert_eq!(project_root_from_module_root(&root.join("src/pkg"), &pyproject), root.join("src"));
        std::fs::create_dir_all(root.join("java/src/main")).unwrap();
        std::fs::write(root.join("java/pom.xml"), "").unwrap();
        assert_eq!(project_root_from_module_root(&root.join("java/src/main"), &pyproject), root.join("java"));
    }

    #[test]
    fn codeflash_keys_are_read_as_codeflash_reads_them() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pyproject.toml");
        let cwd = Path::new("/elsewhere");
        // Dashed keys resolve against the pyproject's folder and win over underscore ones.
        std::fs::write(&file, "[tool.codeflash]\nmodule-root = \"src/pkg\"\nmodule_root = \"other\"\ntests_root = \"tests\"\n").unwrap();
        let config = read_codeflash_config(&file, cwd).unwrap();
        assert_eq!(config.module_root, Some(dir.path().join("src/pkg")));
        // An underscore-only key keeps its raw text: codeflash resolves it against its cwd.
        assert_eq!(config.tests_root, Some(cwd.join("tests")));
        std::fs::write(&file, "[project]\nname = \"x\"\n").unwrap();
        assert_eq!(read_codeflash_config(&file, cwd).unwrap().module_root, None);
    }

    #[test]
    fn invalid_toml_names_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pyproject.toml");
        std::fs::write(&file, "[tool.codeflash]\nmodule-root = \"pkg\"\ntests-root = = \"tests\"\n").unwrap();
        let message = read_codeflash_config(&file, Path::new("/")).unwrap_err().to_string();
        assert!(message.starts_with(&format!("{}:3:", file.display())), "{message}");
        assert!(!message.contains('\n'), "{message}");
        assert_eq!(line_and_column("ab\ncd", 4), (2, 2));
    }

    #[test]
    fn function_arg_splits_on_the_last_double_colon() {
        let (file, name) = parse_function_arg("src/pkg/mod.py::Cls.meth").unwrap();
        assert_eq!(file, PathBuf::from("src/pkg/mod.py"));
        assert_eq!(name, "Cls.meth");
        assert!(parse_function_arg("no-separator").is_err());
    }
}
