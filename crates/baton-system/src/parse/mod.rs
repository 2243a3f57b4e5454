//! Parsers for what each OS writes down about its software, as text or bytes.
//!
//! They are pure and built on every OS, so the Windows and macOS formats are
//! tested here on captured text even though their collectors only run there.

pub mod dpkg;
pub mod os_release;
pub mod plist_info;
pub mod regfile;
pub mod rpm;
pub mod systemctl;
pub mod uninstall;
