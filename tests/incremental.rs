//! The kept collections and Jedi answers (README, "Cache") never serve a stale answer: a seeded
//! sequence of edits to a copy of fixtures/pytest_basics (change a function body, rename or
//! remove a function, add one, add the module a failing import looks for, edit the conftest,
//! change parametrize ids, add a test, touch a file without changing it, switch the functions
//! asked for) and, after each, the run that uses the kept cache must give the same bytes and
//! exit code as a run that computes everything (where the cache served anything: a run that
//! served nothing is itself such a run). The cold run keeps its parse trees (they cannot
//! change an answer: tests/tree_cache.rs) in a folder whose path has the same length as the warm
//! run's, so both warm processes hold the same layout.
//!
//! The same check on a copy of networkx's package is opt-in (`-- --ignored`: minutes).
//! `CODEFLASH_DISCOVER_EDITS` (default 50; networkx 7) and `CODEFLASH_DISCOVER_SEED` change the
//! sequence.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{binary, fixture_copy, python};

/// xorshift64*: a seeded sequence, the same on every machine.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        usize::try_from(self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33).unwrap() % n
    }
}

const KINDS: [&str; 10] =
    ["body", "rename", "remove", "add_function", "extra_module", "conftest", "parametrize_ids", "new_test", "touch", "functions"];

/// The functions asked for, by set (`[]`: every test, as the reference's all-tests mode).
const FUNCTION_SETS: [&[&str]; 3] =
    [&[], &["calc/core.py::add", "calc/core.py::Calculator.compute"], &["calc/core.py::add", "calc/geometry/shapes.py::Circle.area"]];

/// Removed and put back (tests call it as an attribute: collection still imports everything).
const HELPER: &str = "\n    @staticmethod\n    def helper(x):\n        return x * 2\n";
/// The line the helper follows.
const BEFORE_HELPER: &str = "        return cls(int(text))\n";

struct Project {
    root: PathBuf,
    /// The function sets to switch between (`[]`: every test), and the one in use.
    sets: &'static [&'static [&'static str]],
    functions: usize,
    ids: String,
    step: usize,
}

impl Project {
    fn edit(&mut self, path: &str, change: impl FnOnce(String) -> String) {
        let file = self.root.join(path);
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        std::fs::write(&file, change(text)).unwrap();
    }

    /// Create `path` with `text`, or remove it if it exists.
    fn toggle_file(&self, path: &str, text: &str) {
        let file = self.root.join(path);
        if file.exists() {
            std::fs::remove_file(file).unwrap();
        } else {
            std::fs::write(file, text).unwrap();
        }
    }

    fn toggle(&mut self, path: &str, a: &str, b: &str) {
        self.edit(path, |text| if text.contains(a) { text.replacen(a, b, 1) } else { text.replacen(b, a, 1) });
    }

    /// Apply one edit; returns what it did, for the failure message.
    fn apply(&mut self, kind: &str, rng: &mut Rng) -> String {
        self.step += 1;
        let n = self.step;
        match kind {
            "body" => self.edit("calc/core.py", |t| t.replacen("def add(a, b):\n", &format!("def add(a, b):\n    _unused_{n} = {n}\n"), 1)),
            "rename" => self.toggle("calc/core.py", "    def reset(self):", "    def reset_renamed(self):"),
            "remove" => self.edit("calc/core.py", |t| {
                if t.contains(HELPER) {
                    t.replacen(HELPER, "", 1)
                } else {
                    t.replacen(BEFORE_HELPER, &format!("{BEFORE_HELPER}{HELPER}"), 1)
                }
            }),
            "add_function" => self.edit("calc/core.py", |t| format!("{t}\n\ndef extra_{n}(x):\n    return add(x, {n})\n")),
            "extra_module" => self.toggle_file("calc/extra.py", "def triple(x):\n    return 3 * x\n"),
            "conftest" => self.toggle("tests/conftest.py", "    return core.add\n", "    return core.mul\n"),
            "parametrize_ids" => {
                let new = format!("ids=[\"one{n}\", \"two{n}\"]");
                let old = std::mem::replace(&mut self.ids, new.clone());
                self.edit("tests/test_core.py", |t| t.replacen(&old, &new, 1));
            }
            "new_test" => self.edit("tests/test_core.py", |t| format!("{t}\n\ndef test_added_{n}():\n    assert add({n}, 0) == {n}\n")),
            "touch" => {
                let files = ["calc/core.py", "calc/stats.py", "tests/conftest.py", "tests/test_core.py", "tests/sub/test_geometry.py", "pyproject.toml"];
                return self.touch(&files, rng);
            }
            "functions" => self.switch_functions(rng),
            _ => unreachable!(),
        }
        kind.to_owned()
    }

    fn switch_functions(&mut self, rng: &mut Rng) {
        self.functions = (self.functions + 1 + rng.below(self.sets.len() - 1)) % self.sets.len();
    }

    /// networkx's edits: a module-level change and a new function in weighted.py, a new test in
    /// test_weighted.py, a new module in the package, a conftest edit, a touch, another function set.
    fn apply_networkx(&mut self, kind: &str, rng: &mut Rng) -> String {
        self.step += 1;
        let n = self.step;
        let weighted = "networkx/algorithms/shortest_paths/weighted.py";
        let tests = "networkx/algorithms/shortest_paths/tests/test_weighted.py";
        match kind {
            "body" => self.edit(weighted, |t| format!("{t}\n_edit_{n} = {n}\n")),
            "add_function" => self.edit(weighted, |t| format!("{t}\n\ndef extra_{n}(G):\n    return dijkstra_path(G, 0, 1)\n")),
            "new_test" => self.edit(tests, |t| {
                format!("{t}\n\ndef test_added_{n}():\n    G = nx.path_graph(3)\n    assert nx.dijkstra_path(G, 0, 2) == [0, 1, 2]\n")
            }),
            "extra_module" => self.toggle_file("networkx/algorithms/shortest_paths/extra_paths.py", "def extra_path(G):\n    return list(G)\n"),
            "conftest" => self.edit("networkx/conftest.py", |t| format!("{t}\n# edit {n}\n")),
            "touch" => return self.touch(&[weighted, tests, "networkx/conftest.py"], rng),
            "functions" => self.switch_functions(rng),
            _ => unreachable!(),
        }
        kind.to_owned()
    }

    /// Rewrite one of `files` with its own bytes and a later mtime.
    fn touch(&self, files: &[&str], rng: &mut Rng) -> String {
        let file = self.root.join(files[rng.below(files.len())]);
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, bytes).unwrap();
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(u64::try_from(self.step).unwrap());
        std::fs::File::options().write(true).open(&file).unwrap().set_modified(later).unwrap();
        format!("touch {}", file.display())
    }

    /// (stdout, stderr, exit code) of a run with the cache in `cache`.
    fn run(&self, cache: &Path) -> (String, String, Option<i32>) {
        let mut command = Command::new(binary());
        command.arg("--python").arg(python()).arg("--project-root").arg(&self.root).arg("--cache-dir").arg(cache);
        for function in self.sets[self.functions] {
            command.arg("--function").arg(function);
        }
        command.args(["-j", "2"]).current_dir(&self.root).env_remove("CODEFLASH_DISCOVER_REFRESH");
        let output = command.output().unwrap();
        (String::from_utf8(output.stdout).unwrap(), String::from_utf8_lossy(&output.stderr).into_owned(), output.status.code())
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The summary's cache line: (collection kept, answers kept, answers computed).
fn cache_line(stderr: &str) -> (bool, usize, usize) {
    let line = stderr.lines().find(|l| l.trim_start().starts_with("cache: collection")).unwrap_or_else(|| panic!("no cache line:\n{stderr}"));
    let numbers: Vec<usize> = line.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    (line.contains("collection kept"), numbers[0], numbers[1])
}

/// Apply `edits` edits (every kind of `kinds` once, in order, then at random) and check each as
/// the module documentation says; returns how many were compared with a computing run.
fn check_edits(project: &mut Project, kinds: &[&str], edits: u64, apply: fn(&mut Project, &str, &mut Rng) -> String) -> u64 {
    let caches = tempfile::tempdir().unwrap();
    let (warm, cold) = (caches.path().join("warm"), caches.path().join("cold"));
    let mut rng = Rng(env_number("CODEFLASH_DISCOVER_SEED", 20_261_128) | 1);
    let first = project.run(&warm);
    assert_eq!(first.2, Some(0), "{}", first.1);
    let (mut compared, mut previous_clean) = (0, !first.1.contains("error [collect]"));
    for step in 0..edits {
        let kind = kinds[if step < kinds.len() as u64 { usize::try_from(step).unwrap() } else { rng.below(kinds.len()) }];
        let done = apply(project, kind, &mut rng);
        let kept = project.run(&warm);
        let (collection_kept, answers_kept, answers_computed) = cache_line(&kept.1);
        // A run that served nothing kept computed everything, as a run without the cache does:
        // comparing it would only check determinism (other tests do). Everything it stored is
        // checked when a later run serves it.
        if collection_kept || answers_kept > 0 {
            compared += 1;
            for store in ["answers-v2", "collections-v1"] {
                let _ = std::fs::remove_dir_all(cold.join(store));
            }
            let computed = project.run(&cold);
            assert_eq!(
                (&kept.0, kept.2),
                (&computed.0, computed.2),
                "edit {step} ({done}): the kept answer differs from the computed one\nkept run:\n{}\ncomputed run:\n{}",
                kept.1,
                computed.1
            );
        }
        if kind == "touch" {
            assert_eq!(answers_computed, 0, "edit {step} ({done}): nothing changed, yet answers were computed:\n{}", kept.1);
            assert!(collection_kept || !previous_clean, "edit {step} ({done}): nothing changed, yet pytest ran:\n{}", kept.1);
        }
        previous_clean = !kept.1.contains("error [collect]");
    }
    compared
}

#[test]
fn kept_answers_equal_computed_ones_after_every_edit() {
    let (_dir, root) = fixture_copy("pytest_basics");
    std::fs::write(
        root.join("tests/test_extra.py"),
        "try:\n    from calc.extra import triple\nexcept ImportError:\n    triple = None\n\n\ndef test_triple():\n    assert triple is None or triple(1) == 3\n",
    )
    .unwrap();
    let edits = env_number("CODEFLASH_DISCOVER_EDITS", 50);
    let mut project = Project { root, sets: &FUNCTION_SETS, functions: 1, ids: "ids=[\"one[1]\", \"two[[2]]\"]".into(), step: 0 };
    let compared = check_edits(&mut project, &KINDS, edits, Project::apply);
    assert!(compared * 5 >= edits, "the cache served something after only {compared} of {edits} edits");
}

/// Functions of networkx's weighted.py to switch between.
const NETWORKX_SETS: [&[&str]; 2] = [
    &["networkx/algorithms/shortest_paths/weighted.py::dijkstra_path", "networkx/algorithms/shortest_paths/weighted.py::bellman_ford_path"],
    &["networkx/algorithms/shortest_paths/weighted.py::bidirectional_dijkstra"],
];

/// The same on a copy of networkx's package (installed in the test Python), 7 edits by default:
/// `cargo test --release --test incremental -- --ignored` (about 4 minutes here; not in CI, whose
/// 90 minutes it would strain).
#[test]
#[ignore = "networkx: minutes; run with --ignored"]
fn networkx_kept_answers_equal_computed_ones() {
    let output = Command::new(python()).args(["-c", "import networkx, os; print(os.path.dirname(networkx.__file__))"]).output().unwrap();
    assert!(output.status.success(), "networkx is not installed in the test Python");
    let installed = PathBuf::from(String::from_utf8(output.stdout).unwrap().trim());
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("nx");
    common::copy_tree_except(&installed, &root.join("networkx"), &[]);
    std::fs::write(root.join("pyproject.toml"), "[tool.codeflash]\nmodule-root = \"networkx\"\ntests-root = \"networkx\"\n").unwrap();
    let kinds = ["body", "new_test", "touch", "add_function", "extra_module", "conftest", "functions"];
    let edits = env_number("CODEFLASH_DISCOVER_EDITS", kinds.len() as u64);
    let mut project = Project { root: root.canonicalize().unwrap(), sets: &NETWORKX_SETS, functions: 0, ids: String::new(), step: 0 };
    let compared = check_edits(&mut project, &kinds, edits, Project::apply_networkx);
    assert!(compared > 0, "the cache served nothing in {edits} edits");
}
