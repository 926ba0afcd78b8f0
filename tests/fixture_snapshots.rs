//! The discovery answer of every fixture case (`fixtures/*/compare_cases.json`), as insta
//! snapshots: a plain `cargo test` checks every answer.
//!
//! Each case runs as the parity gate runs it: a fresh copy of the fixture, the case's runtime
//! copies made in it, the same flags, a fresh HOME (parse trees kept across cases: [`shared_cache`]);
//! in a fixed place (see [`Place`]). Its JSON is
//! snapshotted with the paths masked (`[FIXTURE]` the copy, `[VENV]` the snapshot venv (see [`fixed_venv`]), `[PYTHON]` its
//! base interpreter, `[HOME]`), as ruff masks its CLI snapshots. `-j 1` here, the default worker
//! count in the gate: the answer must not depend on it.
//!
//! The snapshots are the reference's answers, not ours: the parity gate judges every committed
//! snapshot against unpatched reference runs (`--snapshot`), as it judges a live run.

mod common;

use std::ffi::OsString;
use std::fmt::Write as _;
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

/// One case of a fixture's `compare_cases.json` (fields: fixtures/README.md).
#[derive(Debug, Deserialize)]
#[allow(dead_code)] // `expect_reference_error` and `ours` are the gate's; read here to reject typos
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default)]
    functions: Vec<String>,
    #[serde(default = "pytest")]
    test_framework: String,
    #[serde(default)]
    only_tests: Vec<String>,
    tests_root: Option<String>,
    #[serde(default)]
    from_config: bool,
    #[serde(default)]
    runtime_copies: Vec<(String, String)>,
    expect_reference_error: Option<String>,
    ours: Option<serde_json::Value>,
}

fn pytest() -> String {
    "pytest".to_owned()
}

/// `\udcXX` in the cases file is the byte 0xXX of a file name that is not UTF-8 (Python's
/// surrogateescape, as the gate reads it); serde_json refuses lone surrogates, so they travel as
/// a marker until the name becomes bytes.
const BYTE_MARK: &str = "\u{e000}";

fn load_cases(fixture: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(fixture.join("compare_cases.json")).unwrap();
    let mut marked = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("\\udc") {
        marked.push_str(&rest[..at]);
        marked.push_str(BYTE_MARK);
        rest = &rest[at + 4..];
    }
    marked.push_str(rest);
    serde_json::from_str(&marked).unwrap_or_else(|e| panic!("{}: {e}", fixture.display()))
}

fn name_bytes(name: &str) -> PathBuf {
    let mut bytes = Vec::new();
    let mut parts = name.split(BYTE_MARK);
    bytes.extend_from_slice(parts.next().unwrap_or_default().as_bytes());
    for part in parts {
        bytes.push(u8::from_str_radix(&part[..2], 16).unwrap());
        bytes.extend_from_slice(&part.as_bytes()[2..]);
    }
    PathBuf::from(OsString::from_vec(bytes))
}

/// The project root as codeflash derives it from `[tool.codeflash] module-root`, and the tests root.
fn roots(fixture: &Path) -> (PathBuf, PathBuf) {
    let text = std::fs::read_to_string(fixture.join("pyproject.toml")).unwrap();
    let config: toml::Value = toml::from_str(&text).unwrap();
    let codeflash = &config["tool"]["codeflash"];
    let module_root = PathBuf::from(codeflash["module-root"].as_str().unwrap());
    let tests_root = PathBuf::from(codeflash["tests-root"].as_str().unwrap());
    let project = if fixture.join(&module_root).canonicalize().unwrap() == fixture.canonicalize().unwrap() {
        PathBuf::new()
    } else {
        module_root.parent().unwrap().to_path_buf()
    };
    (project, tests_root)
}

/// What the snapshot venv is built from: the test Python's `sys.base_prefix`, its
/// `major.minor`, and the folder its packages live in (asked once per test process).
struct TestPython {
    base_prefix: String,
    version: String,
    site_packages: PathBuf,
}

fn test_python() -> &'static TestPython {
    static FACTS: std::sync::OnceLock<TestPython> = std::sync::OnceLock::new();
    FACTS.get_or_init(|| {
        let script = "import sys, sysconfig; print(sys.base_prefix); print('%d.%d' % sys.version_info[:2]); print(sysconfig.get_path('purelib'))";
        let out = Command::new(common::python()).args(["-c", script]).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let mut lines = text.lines().map(str::to_owned);
        TestPython {
            base_prefix: lines.next().unwrap(),
            version: lines.next().unwrap(),
            site_packages: PathBuf::from(lines.next().unwrap()),
        }
    })
}

/// The venv every case runs in: a real venv at a fixed path, made by the base interpreter, with
/// the test venv's packages hard-linked (or copied) in and their bytecode compiled again there.
///
/// A link to the test venv is not enough: the venv's own files carry the path of the checkout it
/// was made in (the `command` line of `pyvenv.cfg`, which `site` reads; the source path inside
/// every `.pyc` pip compiled, which the import system reads and then replaces), and those string
/// lengths change the worker's memory layout, so Jedi's pick at an ambiguous site changed with the
/// checkout's path (measured: `dynamic_imports`, a longer `command` line in `pyvenv.cfg` swapped
/// two candidates). Rebuilt when the test venv's top-level entries (distributions and their versions) change.
fn fixed_venv() -> PathBuf {
    static VENV: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    VENV.get_or_init(|| {
        let facts = test_python();
        let top = Path::new(TOP);
        std::fs::create_dir_all(top).unwrap();
        let venv = top.join(format!("venv-{}", facts.version));
        let lock = std::fs::File::create(top.join(format!("venv-{}.lock", facts.version))).unwrap();
        // SAFETY: flock on a descriptor this function owns; released when the file closes.
        assert_eq!(unsafe { libc::flock(std::os::fd::AsRawFd::as_raw_fd(&lock), libc::LOCK_EX) }, 0);
        let mut distributions: Vec<String> = std::fs::read_dir(&facts.site_packages)
            .unwrap()
            .filter_map(Result::ok)
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name != "__pycache__")
            .collect();
        distributions.sort();
        let stamp = format!("{}\n{}\n", facts.base_prefix, distributions.join("\n"));
        let stamp_file = venv.join("snapshot-venv.stamp");
        if std::fs::read_to_string(&stamp_file).ok().as_deref() == Some(stamp.as_str()) {
            return venv;
        }
        if venv.exists() {
            std::fs::remove_dir_all(&venv).unwrap();
        }
        let base_python = Path::new(&facts.base_prefix).join("bin").join(format!("python{}", facts.version));
        run_ok(Command::new(&base_python).args(["-m", "venv", "--without-pip"]).arg(&venv));
        let site = venv.join("lib").join(format!("python{}", facts.version)).join("site-packages");
        std::fs::remove_dir_all(&site).unwrap();
        let mut from = facts.site_packages.clone().into_os_string();
        from.push("/.");
        let linked = Command::new("cp").arg("-al").arg(&from).arg(&site).status().unwrap().success();
        if !linked {
            let _ = std::fs::remove_dir_all(&site);
            run_ok(Command::new("cp").arg("-a").arg(&from).arg(&site));
        }
        run_ok(Command::new("find").arg(&site).args(["-name", "__pycache__", "-prune", "-exec", "rm", "-rf", "{}", "+"]));
        run_ok(Command::new(venv.join("bin/python")).args(["-m", "compileall", "-q", "-j", "0"]).arg(&site));
        std::fs::write(&stamp_file, stamp).unwrap();
        venv
    })
    .clone()
}

fn run_ok(command: &mut Command) {
    let status = command.status().unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(status.success(), "{command:?}: {status}");
}

fn mask(text: &str, replacements: &[(&str, &str)]) -> String {
    let mut text = text.to_owned();
    for (path, mark) in replacements {
        let escaped = serde_json::to_string(path).unwrap();
        text = text.replace(&escaped[1..escaped.len() - 1], mark).replace(path, mark);
    }
    text
}

/// Where a case runs: the same paths on every machine, because where the reference's own answer
/// varies (identity-hashed sets in Jedi), ours is fixed only for one memory layout, and the layout
/// follows the lengths and contents of the paths and environment the worker sees (README,
/// "Parity"). So the fixture copy, the venv (see [`fixed_venv`]), the binary (a copy),
/// HOME and the working directory sit under a fixed folder, and the environment is cleared.
/// A lock keeps two test runs on one machine out of each other's way.
const TOP: &str = "/tmp/codeflash-discover-snapshots";

struct Place {
    base: PathBuf,
    _lock: std::fs::File,
}

impl Place {
    fn new(fixture_name: &str, case: &str) -> Place {
        let top = Path::new(TOP);
        std::fs::create_dir_all(top).unwrap();
        let name = format!("{fixture_name}__{case}");
        let lock = std::fs::File::create(top.join(format!("{name}.lock"))).unwrap();
        // SAFETY: flock on a descriptor this function owns; released when the file closes.
        assert_eq!(unsafe { libc::flock(std::os::fd::AsRawFd::as_raw_fd(&lock), libc::LOCK_EX) }, 0);
        let base = top.join(name);
        if base.exists() {
            std::fs::remove_dir_all(&base).unwrap();
        }
        std::fs::create_dir_all(base.join("home")).unwrap();
        Place { base, _lock: lock }
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.base);
    }
}

/// The binary under test, copied once to a fixed path (written to a temporary name, then renamed:
/// a run that already started from the old copy is not disturbed), with the embedded workers
/// scripts/setup built beside it (the worker's path is part of its memory layout too).
fn fixed_binary() -> PathBuf {
    static COPY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    COPY.get_or_init(|| {
        let dir = Path::new(TOP).join("bin");
        std::fs::create_dir_all(&dir).unwrap();
        let workers = common::binary().parent().unwrap().join("codeflash-discover-workers");
        let fixed_workers = dir.join("codeflash-discover-workers");
        let staged = dir.join(format!(".workers.{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&staged);
        if workers.is_dir() {
            common::copy_tree_except(&workers, &staged, &[]);
            let _ = std::fs::remove_dir_all(&fixed_workers);
            std::fs::rename(&staged, &fixed_workers).unwrap();
        }
        let partial = dir.join(format!(".codeflash-discover.{}", std::process::id()));
        std::fs::copy(common::binary(), &partial).unwrap();
        let binary = dir.join("codeflash-discover");
        std::fs::rename(&partial, &binary).unwrap();
        binary
    })
    .clone()
}

/// `Command::output`, tried again while exec says "Text file busy": a child another test thread
/// forked may hold the freshly written binary open for a moment, until it execs.
fn output_retrying_busy(command: &mut Command) -> std::process::Output {
    for _ in 0..100 {
        match command.output() {
            Err(error) if error.raw_os_error() == Some(libc::ETXTBSY) => std::thread::sleep(std::time::Duration::from_millis(50)),
            other => return other.expect("run codeflash-discover"),
        }
    }
    panic!("the binary stayed busy");
}

/// The cache folder every case shares (`--cache-dir`: the environment stays as it was, since
/// the answers at Jedi-ambiguous sites follow its size): parse trees kept from one case (and one
/// test run) to the next, as a user's repeated runs keep them; `CODEFLASH_DISCOVER_REFRESH` still
/// computes every collection and answer. Cases on an empty store are the parity gate's (`fixtures_gate.py` on
/// 3.11 starts each case from a fresh HOME), and `tests/tree_cache.rs` checks that both give one
/// answer. Minutes less than an empty store per case.
fn shared_cache() -> PathBuf {
    Path::new(TOP).join("cache")
}

/// Our answer for one case, masked: the exit code, stderr when it failed, the JSON.
fn run_case(fixture_name: &str, (project_rel, config_tests_root): &(PathBuf, PathBuf), case: &Case) -> String {
    let fixture = common::fixture(fixture_name);
    let place = Place::new(fixture_name, &case.name);
    let base = &place.base;
    let root = base.join(fixture_name);
    common::copy_tree_except(&fixture, &root, &["compare_cases.json"]);
    for (from, to) in &case.runtime_copies {
        let (source, target) = (root.join(from), root.join(name_bytes(to)));
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        if source.is_dir() {
            common::copy_tree_except(&source, &target, &[]);
        } else {
            std::fs::copy(source, target).unwrap();
        }
    }
    let base_prefix = &test_python().base_prefix;
    let venv = fixed_venv();
    let python = venv.join("bin").join(common::python().file_name().unwrap());
    let binary = fixed_binary();
    let home = base.join("home");
    let out = base.join("ours.json");

    let mut command = Command::new(&binary);
    if !case.from_config {
        let tests_root = case.tests_root.as_ref().map_or_else(|| config_tests_root.clone(), PathBuf::from);
        command.arg("--project-root").arg(root.join(project_rel)).arg("--tests-root").arg(root.join(tests_root));
    }
    command.args(["--test-framework", &case.test_framework]);
    for function in &case.functions {
        let (file, qualname) = function.rsplit_once("::").unwrap();
        command.arg("--function").arg(format!("{}::{qualname}", root.join(file).display()));
    }
    for test in &case.only_tests {
        command.arg("--only-tests").arg(root.join(test));
    }
    command.arg("--python").arg(&python).arg("-o").arg(&out).args(["--quiet", "-j", "1"]).arg("--cache-dir").arg(shared_cache());
    command.current_dir(&root).env_clear().env("PATH", "/usr/bin:/bin").env("HOME", &home).env("XDG_CACHE_HOME", home.join(".cache")).env("CODEFLASH_DISCOVER_REFRESH", "1");
    let output = output_retrying_busy(&mut command);

    let root_text = root.to_string_lossy().into_owned();
    let venv_text = venv.to_string_lossy().into_owned();
    let home_text = home.to_string_lossy().into_owned();
    let masks = [(root_text.as_str(), "[FIXTURE]"), (venv_text.as_str(), "[VENV]"), (base_prefix.as_str(), "[PYTHON]"), (home_text.as_str(), "[HOME]")];
    let code = output.status.code().map_or_else(|| format!("{}", output.status), |c| c.to_string());
    let mut snapshot = format!("exit code: {code}\n");
    if !output.status.success() {
        let stderr = mask(&String::from_utf8_lossy(&output.stderr), &masks);
        let _ = writeln!(snapshot, "stderr:\n{}", stderr.trim_end());
    }
    match std::fs::read_to_string(&out) {
        Ok(json) => snapshot.push_str(&mask(&json, &masks)),
        Err(_) => snapshot.push_str("no output\n"),
    }
    if DRAWN_CASES.contains(&(fixture_name, case.name.as_str())) {
        if let Some(stored) = stored_snapshot(&format!("{fixture_name}__{}", case.name)) {
            if same_but_draws(&stored, &snapshot) {
                return stored; // the stored answer, another draw at the same sites
            }
        }
    }
    snapshot
}

/// The cases whose picks at Jedi-ambiguous sites are a draw that moves with the memory layout (as
/// scripts/test_all says of them: the reference's own picks there vary so much that the fixtures
/// gate judges them against 8 to 40 unpatched runs). Ours there is fixed for one layout only, and
/// the layout follows more than this test can pin: the same commit (`9f9437b`), at the fixed paths
/// below, picked `A.run` at `test_ambiguous.py` 18:22 where its snapshot was recorded and `B.run`
/// on a machine set up from the same pins on a later day (stop 27; the cause not found: the
/// dependencies pip resolved that day, locked since in `scripts/requirements/locks/`, or the machine).
/// Their stored snapshot stays a whole answer (the fixtures gate judges it against the reference
/// too), and an answer that differs from it only in the candidate drawn at an ambiguous site
/// passes ([`same_but_draws`]); the draws themselves are judged against the reference by the gate.
const DRAWN_CASES: &[(&str, &str)] = &[("dynamic_imports", "all_tests"), ("dynamic_imports", "ambiguous_goto")];

/// The snapshot insta keeps for `name` (what follows its header), if any.
fn stored_snapshot(name: &str) -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(format!("{name}.snap"));
    let text = std::fs::read_to_string(path).ok()?;
    let body = text.strip_prefix("---\n")?.split_once("\n---\n")?.1;
    Some(body.to_owned())
}

/// Whether two snapshots (an exit code line, then our JSON) differ at most in which candidate
/// was drawn at each Jedi-ambiguous site ([`without_draws`]).
fn same_but_draws(stored: &str, new: &str) -> bool {
    let split = |text: &str| text.find('{').map(|at| (text[..at].trim().to_owned(), text[at..].to_owned()));
    match (split(stored), split(new)) {
        (Some((stored_head, stored_json)), Some((new_head, new_json))) => {
            stored_head == new_head && without_draws(&stored_json).is_some_and(|a| Some(a) == without_draws(&new_json))
        }
        _ => false,
    }
}

/// The answer with each entry made at an ambiguous site moved out of its function's list into
/// `entries_at_ambiguous_sites` (sorted, without the function drawn), and each site's candidates
/// sorted; None where it is not our JSON.
fn without_draws(json: &str) -> Option<serde_json::Value> {
    let mut answer: serde_json::Value = serde_json::from_str(json).ok()?;
    let site = |entry: &serde_json::Value| (entry["test_file"].clone(), entry["line_no"].clone(), entry["col_no"].clone());
    let mut sites = Vec::new();
    for ambiguous in answer["ambiguous"].as_array_mut().into_iter().flatten() {
        sites.push(site(ambiguous));
        if let Some(candidates) = ambiguous["candidates"].as_array_mut() {
            candidates.sort_by_key(ToString::to_string);
        }
    }
    let mut drawn = Vec::new();
    if let Some(map) = answer["function_to_tests"].as_object_mut() {
        for entries in map.values_mut() {
            let list = entries.as_array_mut().expect("a list of entries");
            drawn.extend(list.iter().filter(|entry| sites.contains(&site(entry))).cloned());
            list.retain(|entry| !sites.contains(&site(entry)));
        }
        map.retain(|_, entries| !entries.as_array().is_some_and(Vec::is_empty));
    }
    drawn.sort_by_key(ToString::to_string);
    answer["entries_at_ambiguous_sites"] = serde_json::Value::Array(drawn);
    Some(answer)
}

fn check_fixture(fixture_name: &str) {
    let fixture = common::fixture(fixture_name);
    let cases = load_cases(&fixture);
    let roots = roots(&fixture);
    assert!(!cases.is_empty(), "{fixture_name}: no cases");
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        for case in &cases {
            eprintln!("{fixture_name}: case {}", case.name);
            let answer = run_case(fixture_name, &roots, case);
            insta::assert_snapshot!(format!("{fixture_name}__{}", case.name), answer);
        }
    });
}

macro_rules! fixtures {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check_fixture(stringify!($name));
            }
        )*

        #[test]
        fn every_fixture_with_cases_has_a_snapshot_test() {
            let listed: std::collections::BTreeSet<&str> = [$(stringify!($name)),*].into_iter().collect();
            let on_disk: std::collections::BTreeSet<String> = std::fs::read_dir(common::fixture(""))
                .unwrap()
                .filter_map(Result::ok)
                .filter(|entry| entry.path().join("compare_cases.json").exists())
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .collect();
            let on_disk: std::collections::BTreeSet<&str> = on_disk.iter().map(String::as_str).collect();
            assert_eq!(listed, on_disk, "fixtures with compare_cases.json and the list in this file differ");
        }
    };
}

fixtures!(
    bad_files,
    dynamic_imports,
    exit_in_sessionfinish,
    framework_config,
    ini_rewrite,
    isatty_stdout,
    jedi_flow,
    nonutf8_path,
    pytest_basics,
    src_layout,
    unittest_in_pytest,
    unittest_only,
    unittest_sys_path,
);
