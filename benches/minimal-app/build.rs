//! Tauri's build step: embeds the config and the one-page UI.

fn main() {
    tauri_build::build();
}
