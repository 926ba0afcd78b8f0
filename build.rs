//! For the embedded worker (feature `embed`) only: embed the RUNPATH of the libpython we build
//! against, so the worker never silently picks up another libpython (see field notes), and record
//! which interpreter build it serves (`codeflash-discover-worker --describe`). The orchestrator
//! (feature `cli`) links no libpython and needs nothing here.
fn main() {
    #[cfg(feature = "embed")]
    {
        pyo3_build_config::add_libpython_rpath_link_args();
        let config = pyo3_build_config::get();
        let version = config.version();
        println!("cargo:rustc-env=CFD_EMBEDDED_PYTHON={}.{}", version.major, version.minor);
        let library = match (config.lib_dir(), config.lib_name()) {
            (Some(dir), Some(name)) => format!("{dir}/lib{name}.so"),
            _ => String::new(),
        };
        println!("cargo:rustc-env=CFD_EMBEDDED_LIBPYTHON={library}");
        println!("cargo:rustc-env=CFD_EMBEDDED_EXECUTABLE={}", config.executable().unwrap_or_default());
    }
}
