//! Running one child process as administrator; Baton itself never is.
//!
//! Windows: `ShellExecuteExW` with the `runas` verb, so the UAC prompt names
//! the program that needs the rights; a declined prompt (error 1223) is its
//! own outcome. Linux: `pkexec` (or the program directly when already
//! root); a dismissed dialog is exit 126. macOS: `osascript … with
//! administrator privileges`; a cancelled prompt is error -128.

use std::process::Command;

use baton_core::migrate::system::ActionError;

/// How an elevated child ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Elevated {
    Exited(i32),
    /// The user declined the administrator prompt.
    Refused,
}

/// Runs `program args…` with administrator rights and waits for it.
/// `program` must be an absolute path that the caller checked: a bare name
/// would be looked up in the current folder and PATH, which are the user's.
pub fn run(program: &str, args: &[String]) -> Result<Elevated, ActionError> {
    if !is_absolute(program) {
        return Err(ActionError::Refused(format!(
            "{program} is not named by its full path, so it is not run as administrator"
        )));
    }
    imp::run(program, args)
}

/// Absolute on the OS Baton runs on (`C:\…` on Windows, `/…` elsewhere).
fn is_absolute(program: &str) -> bool {
    std::path::Path::new(program).is_absolute()
}

/// Runs a program without elevation and waits; its exit code.
pub fn run_plain(program: &str, args: &[String]) -> Result<i32, ActionError> {
    let mut command = Command::new(program);
    command.args(args).stdout(std::io::stderr());
    #[cfg(windows)]
    {
        // A console tool started from a windowed app would otherwise open a
        // console window of its own.
        use std::os::windows::process::CommandExt;
        const CREATE_NO_WINDOW: u32 = 0x0800_0000;
        command.creation_flags(CREATE_NO_WINDOW);
    }
    let status = command
        .status()
        .map_err(|e| ActionError::Failed(format!("{program} could not start: {e}")))?;
    Ok(status.code().unwrap_or(-1))
}

#[cfg(windows)]
mod imp {
    use std::os::windows::ffi::OsStrExt;

    use baton_core::migrate::system::ActionError;
    use windows::Win32::Foundation::{CloseHandle, ERROR_CANCELLED, GetLastError, WAIT_OBJECT_0};
    use windows::Win32::System::Threading::{GetExitCodeProcess, INFINITE, WaitForSingleObject};
    use windows::Win32::UI::Shell::{SEE_MASK_NOCLOSEPROCESS, SHELLEXECUTEINFOW, ShellExecuteExW};
    use windows::Win32::UI::WindowsAndMessaging::SW_SHOWNORMAL;
    use windows::core::PCWSTR;

    use super::Elevated;

    fn wide(s: &str) -> Vec<u16> {
        std::ffi::OsStr::new(s)
            .encode_wide()
            .chain(Some(0))
            .collect()
    }

    /// Quotes one argument the way `CommandLineToArgvW` reads it back.
    fn quote(arg: &str) -> String {
        if !arg.is_empty() && !arg.contains([' ', '\t', '"']) {
            return arg.to_owned();
        }
        let mut out = String::from("\"");
        let mut backslashes = 0;
        for c in arg.chars() {
            match c {
                '\\' => backslashes += 1,
                '"' => {
                    out.push_str(&"\\".repeat(backslashes * 2 + 1));
                    out.push('"');
                    backslashes = 0;
                }
                _ => {
                    out.push_str(&"\\".repeat(backslashes));
                    out.push(c);
                    backslashes = 0;
                }
            }
        }
        out.push_str(&"\\".repeat(backslashes * 2));
        out.push('"');
        out
    }

    pub(super) fn run(program: &str, args: &[String]) -> Result<Elevated, ActionError> {
        let verb = wide("runas");
        let file = wide(program);
        let params = wide(&args.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" "));
        let mut info = SHELLEXECUTEINFOW {
            cbSize: std::mem::size_of::<SHELLEXECUTEINFOW>() as u32,
            fMask: SEE_MASK_NOCLOSEPROCESS,
            lpVerb: PCWSTR(verb.as_ptr()),
            lpFile: PCWSTR(file.as_ptr()),
            lpParameters: PCWSTR(params.as_ptr()),
            nShow: SW_SHOWNORMAL.0,
            ..Default::default()
        };
        // SAFETY: every string outlives the call and is NUL-terminated.
        if let Err(e) = unsafe { ShellExecuteExW(&mut info) } {
            // SAFETY: reads the calling thread's last error, set just above.
            if unsafe { GetLastError() } == ERROR_CANCELLED {
                return Ok(Elevated::Refused);
            }
            return Err(ActionError::Failed(format!(
                "{program} could not start as administrator: {e}"
            )));
        }
        // No handle means no way to know how it ended: never read as success.
        if info.hProcess.is_invalid() {
            return Err(ActionError::Failed(format!(
                "{program} started, but Windows gave Baton no way to see how it ended"
            )));
        }
        let mut code = 0u32;
        // SAFETY: hProcess is a process handle we own (SEE_MASK_NOCLOSEPROCESS)
        // and close exactly once.
        unsafe {
            let waited = WaitForSingleObject(info.hProcess, INFINITE);
            let got = GetExitCodeProcess(info.hProcess, &mut code);
            let _ = CloseHandle(info.hProcess);
            if waited != WAIT_OBJECT_0 || got.is_err() {
                return Err(ActionError::Failed(format!("lost track of {program}")));
            }
        }
        Ok(Elevated::Exited(code as i32))
    }
}

#[cfg(target_os = "linux")]
mod imp {
    use std::process::Command;

    use baton_core::migrate::system::ActionError;

    use super::Elevated;

    pub(super) fn run(program: &str, args: &[String]) -> Result<Elevated, ActionError> {
        // SAFETY: geteuid has no preconditions and cannot fail.
        let root = unsafe { libc::geteuid() } == 0;
        let mut command = if root {
            Command::new(program)
        } else {
            // By its absolute path: PATH is the caller's to change.
            let mut c = Command::new("/usr/bin/pkexec");
            c.arg(program);
            c
        };
        // The child's output is for the person watching, on standard error:
        // standard output carries Baton's own report (`--json`).
        let status = command.args(args).stdout(std::io::stderr()).status().map_err(|e| {
            ActionError::Failed(if root {
                format!("{program} could not start: {e}")
            } else {
                format!("pkexec could not start ({e}); install policykit-1 or run Baton's command as root")
            })
        })?;
        match status.code() {
            // pkexec: the authentication dialog was dismissed.
            Some(126) if !root => Ok(Elevated::Refused),
            Some(127) if !root => Err(ActionError::Failed(
                "you are not allowed to run this as administrator".into(),
            )),
            Some(code) => Ok(Elevated::Exited(code)),
            None => Err(ActionError::Failed(format!(
                "{program} was stopped by a signal"
            ))),
        }
    }
}

#[cfg(target_os = "macos")]
mod imp {
    use std::process::Command;

    use baton_core::migrate::system::ActionError;

    use super::Elevated;

    /// Quotes for a POSIX shell, then for an AppleScript string.
    fn shell_line(program: &str, args: &[String]) -> String {
        std::iter::once(program)
            .chain(args.iter().map(String::as_str))
            .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
            .collect::<Vec<_>>()
            .join(" ")
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
    }

    pub(super) fn run(program: &str, args: &[String]) -> Result<Elevated, ActionError> {
        let script = format!(
            "do shell script \"{}\" with administrator privileges",
            shell_line(program, args)
        );
        let out = Command::new("/usr/bin/osascript")
            .args(["-e", &script])
            .output()
            .map_err(|e| ActionError::Failed(format!("osascript could not start: {e}")))?;
        if out.status.success() {
            return Ok(Elevated::Exited(0));
        }
        let err = String::from_utf8_lossy(&out.stderr);
        if err.contains("-128") {
            return Ok(Elevated::Refused);
        }
        // "… (N)" at the end carries the script's exit status.
        let code = err
            .trim()
            .rsplit('(')
            .next()
            .and_then(|s| s.trim_end_matches(')').parse().ok())
            .unwrap_or(1);
        Ok(Elevated::Exited(code))
    }
}
