//! A Tauri window with one static paragraph: what "as fast as Tauri can
//! start" looks like on this machine, measured next to Baton by `make bench`.

fn main() {
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!()) {
        // The only voice a failed start has.
        #[allow(clippy::print_stderr)]
        {
            eprintln!("minimal-app: {e}");
        }
        std::process::exit(1);
    }
}
