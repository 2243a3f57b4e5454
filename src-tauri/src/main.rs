//! The `baton-app` binary: the desktop app. All of it is in the library, so
//! tests can run it on Tauri's mock runtime.

// No console window behind the app on Windows.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    baton_app::main()
}
