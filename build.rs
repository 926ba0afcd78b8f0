//! Embed the RUNPATH of the libpython we build against, so the worker never
//! silently picks up the system's libpython (see field notes), and record its
//! major.minor so `--python` can be checked against it.
fn main() {
    pyo3_build_config::add_libpython_rpath_link_args();
    let version = pyo3_build_config::get().version();
    println!("cargo:rustc-env=CFD_EMBEDDED_PYTHON={}.{}", version.major, version.minor);
}
