//! Embed the RUNPATH of the libpython we build against, so the worker never
//! silently picks up the system's libpython (see field notes).
fn main() {
    pyo3_build_config::add_libpython_rpath_link_args();
}
