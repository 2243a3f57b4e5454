//! Writes the icons drawn in `src/icons.rs` to `icons/` as PNG files: the app
//! icon (the source for `tauri icon`, which makes the .ico and .icns) and
//! the tray's four looks at the sizes each OS uses.
//!
//! Run from the repository root: `cargo run -p baton-app --example draw-icons`.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use baton_app::icons::{Look, app_rgba, tray_rgba};

fn write(path: &Path, size: u32, rgba: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), size, size);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .unwrap()
        .write_image_data(rgba)
        .unwrap();
    println!("{}", path.display());
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../icons");
    write(&root.join("app-icon.png"), 1024, &app_rgba(1024));
    // 16 and 32 for Windows' notification area, 22 and 44 for the macOS
    // menu bar (1x and 2x), 24 and 48 for Linux panels.
    for look in Look::ALL {
        for size in [16, 22, 24, 32, 44, 48, 64] {
            write(
                &root.join(format!("tray/{}-{size}.png", look.name())),
                size,
                &tray_rgba(look, size),
            );
        }
    }
}
