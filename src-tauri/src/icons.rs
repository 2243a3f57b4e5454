//! The tray icon's four looks and the app icon, drawn in code.
//!
//! Drawn rather than shipped as files so the four states are exactly
//! consistent at every size each OS asks for; `examples/draw-icons.rs`
//! writes the same drawings to `icons/` for the installers. Shapes carry the
//! meaning as well as colours (a tick, an exclamation mark, a cross, dots),
//! so the state reads without colour vision.

/// What the tray shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Look {
    Protected,
    AtRisk,
    Unprotected,
    Checking,
}

impl Look {
    pub const ALL: [Look; 4] = [
        Self::Protected,
        Self::AtRisk,
        Self::Unprotected,
        Self::Checking,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Protected => "protected",
            Self::AtRisk => "at-risk",
            Self::Unprotected => "unprotected",
            Self::Checking => "checking",
        }
    }

    /// Colours with at least 4.5:1 contrast against the white glyph.
    fn colour(self) -> [u8; 3] {
        match self {
            Self::Protected => [0x1a, 0x7f, 0x37],
            Self::AtRisk => [0xa1, 0x5c, 0x00],
            Self::Unprotected => [0xb3, 0x26, 0x1e],
            Self::Checking => [0x5b, 0x63, 0x70],
        }
    }
}

/// Samples per pixel side, for smooth edges.
const SS: u32 = 4;

/// Signed distance from `p` to the segment `a`–`b`.
fn segment_distance(p: (f32, f32), a: (f32, f32), b: (f32, f32)) -> f32 {
    let (px, py) = (p.0 - a.0, p.1 - a.1);
    let (bx, by) = (b.0 - a.0, b.1 - a.1);
    let t = ((px * bx + py * by) / (bx * bx + by * by)).clamp(0.0, 1.0);
    ((px - bx * t).powi(2) + (py - by * t).powi(2)).sqrt()
}

/// Whether a point (in units of the icon's size, 0..1) is on the glyph.
fn on_glyph(look: Look, x: f32, y: f32) -> bool {
    let stroke = 0.085;
    match look {
        Look::Protected => {
            segment_distance((x, y), (0.30, 0.52), (0.44, 0.66)) < stroke
                || segment_distance((x, y), (0.44, 0.66), (0.71, 0.36)) < stroke
        }
        Look::AtRisk => {
            segment_distance((x, y), (0.5, 0.26), (0.5, 0.58)) < stroke
                || ((x - 0.5).powi(2) + (y - 0.74).powi(2)).sqrt() < stroke * 1.1
        }
        Look::Unprotected => {
            segment_distance((x, y), (0.33, 0.33), (0.67, 0.67)) < stroke
                || segment_distance((x, y), (0.67, 0.33), (0.33, 0.67)) < stroke
        }
        Look::Checking => [0.30, 0.5, 0.70]
            .iter()
            .any(|cx| ((x - cx).powi(2) + (y - 0.5).powi(2)).sqrt() < stroke * 1.05),
    }
}

/// A square RGBA image of the tray icon: a filled disc with a white glyph.
pub fn tray_rgba(look: Look, size: u32) -> Vec<u8> {
    tray_rgba_for(look, size, false)
}

/// The violet rim of a simulated machine's icon: a demonstration's
/// "Protected" must never be mistaken for the real computer's.
pub const SIMULATION_RIM: [u8; 3] = [0x8e, 0x24, 0xaa];

/// The tray icon, with the simulation's rim when `simulated`.
pub fn tray_rgba_for(look: Look, size: u32, simulated: bool) -> Vec<u8> {
    draw(size, |x, y| {
        let d = ((x - 0.5).powi(2) + (y - 0.5).powi(2)).sqrt();
        if d > 0.48 {
            None
        } else if simulated && d > 0.38 {
            Some(SIMULATION_RIM)
        } else if on_glyph(look, x, y) {
            Some([255, 255, 255])
        } else {
            Some(look.colour())
        }
    })
}

/// The app icon: a relay baton crossing a blue rounded square.
pub fn app_rgba(size: u32) -> Vec<u8> {
    const BLUE: [u8; 3] = [0x1f, 0x4e, 0xa8];
    const GOLD: [u8; 3] = [0xf2, 0xb7, 0x05];
    draw(size, |x, y| {
        let (r, inset) = (0.22, 0.03);
        let (cx, cy) = (
            x.clamp(inset + r, 1.0 - inset - r),
            y.clamp(inset + r, 1.0 - inset - r),
        );
        if ((x - cx).powi(2) + (y - cy).powi(2)).sqrt() > r {
            return None;
        }
        if segment_distance((x, y), (0.27, 0.73), (0.73, 0.27)) < 0.12 {
            // Gold bands near each end, as on a real relay baton.
            let along = (x - y + 1.0) / 2.0;
            if (0.30..0.35).contains(&along) || (0.65..0.70).contains(&along) {
                Some(GOLD)
            } else {
                Some([255, 255, 255])
            }
        } else {
            Some(BLUE)
        }
    })
}

/// Supersampled rasteriser: `shade(x, y)` in 0..1 units gives a colour or nothing.
fn draw(size: u32, shade: impl Fn(f32, f32) -> Option<[u8; 3]>) -> Vec<u8> {
    let mut out = Vec::with_capacity((size * size * 4) as usize);
    for py in 0..size {
        for px in 0..size {
            let (mut r, mut g, mut b, mut covered) = (0u32, 0u32, 0u32, 0u32);
            for sy in 0..SS {
                for sx in 0..SS {
                    let x = (px as f32 + (sx as f32 + 0.5) / SS as f32) / size as f32;
                    let y = (py as f32 + (sy as f32 + 0.5) / SS as f32) / size as f32;
                    if let Some(c) = shade(x, y) {
                        r += u32::from(c[0]);
                        g += u32::from(c[1]);
                        b += u32::from(c[2]);
                        covered += 1;
                    }
                }
            }
            if covered == 0 {
                out.extend_from_slice(&[0, 0, 0, 0]);
            } else {
                let alpha = covered * 255 / (SS * SS);
                out.extend_from_slice(&[
                    (r / covered) as u8,
                    (g / covered) as u8,
                    (b / covered) as u8,
                    alpha as u8,
                ]);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pixel(img: &[u8], size: u32, x: u32, y: u32) -> [u8; 4] {
        let i = ((y * size + x) * 4) as usize;
        [img[i], img[i + 1], img[i + 2], img[i + 3]]
    }

    #[test]
    fn each_look_has_its_own_colour_and_glyph() {
        let size = 64;
        let mut seen = std::collections::HashSet::new();
        for look in Look::ALL {
            let img = tray_rgba(look, size);
            assert_eq!(img.len(), (size * size * 4) as usize);
            // Corners are transparent; the rim is the state's colour.
            assert_eq!(pixel(&img, size, 0, 0)[3], 0);
            let rim = pixel(&img, size, 32, 4);
            assert_eq!(&rim[..3], &look.colour(), "{look:?}");
            assert!(seen.insert(look.colour()));
        }
        // The tick's corner is white; the cross's centre is white; the
        // exclamation mark leaves the centre-left coloured.
        assert_eq!(
            pixel(&tray_rgba(Look::Protected, size), size, 28, 42),
            [255, 255, 255, 255]
        );
        assert_eq!(
            pixel(&tray_rgba(Look::Unprotected, size), size, 32, 32),
            [255, 255, 255, 255]
        );
        assert_ne!(
            pixel(&tray_rgba(Look::AtRisk, size), size, 20, 32)[..3],
            [255, 255, 255]
        );
    }

    #[test]
    fn a_simulated_machine_has_its_own_rim_on_every_look() {
        for look in Look::ALL {
            let img = tray_rgba_for(look, 64, true);
            assert_eq!(&pixel(&img, 64, 32, 4)[..3], &SIMULATION_RIM, "{look:?}");
            assert_eq!(pixel(&img, 64, 0, 0)[3], 0);
        }
    }

    #[test]
    fn the_app_icon_is_opaque_inside_and_clear_at_the_corners() {
        let img = app_rgba(128);
        assert_eq!(pixel(&img, 128, 0, 0)[3], 0);
        assert_eq!(pixel(&img, 128, 64, 10)[3], 255);
        assert_eq!(
            pixel(&img, 128, 64, 64),
            [255, 255, 255, 255],
            "the baton crosses the centre"
        );
    }
}
