//! Declares the app's commands so capabilities can allow each by name: a
//! window may call only what its capability lists.

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&[
        "scan",
        "timeline",
        "recommend",
        "plan",
        "migrate",
        "resume_point",
        "settings",
        "set_language",
        "set_start_at_login",
        "simulated_restart",
        "open_source",
    ]);
    if let Err(e) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)) {
        // A build script reports to cargo by printing.
        #[allow(clippy::print_stderr)]
        {
            eprintln!("tauri-build failed: {e:#}");
        }
        std::process::exit(1);
    }
}
