//! This computer, as the migration engine's [`System`].
//!
//! Scans use the collectors; changes run as child processes, each elevated
//! on its own (see [`super::elevate`]). What each OS does:
//!
//! | action | Windows | macOS | Linux |
//! |---|---|---|---|
//! | uninstall | `msiexec /x {code} /norestart` (interactive), else the UninstallString | the product's UninstallScript | `apt-get remove` / `dnf remove` |
//! | Defender | `Get-MpComputerStatus`, `Set-MpPreference`, `Update-MpSignature` | – | – |
//! | install | the verified installer, with its silent switch where documented | the verified .pkg in Installer | `apt-get install` / `dnf install`, then a fresh ClamAV database |
//! | resume | `HKCU\…\RunOnce` | a LaunchAgent | an XDG autostart entry |

use std::path::{Path, PathBuf};
use std::time::Duration;

use baton_core::catalog::{Download, InstallerKind, Product};
use baton_core::migrate::plan;
use baton_core::migrate::system::{
    ActionError, Artifact, DefenderState, InstallOutcome, Progress, RemovalTarget, System,
    UninstallOutcome,
};
use baton_core::snapshot::Program;

use crate::msi::{MsiProduct, is_product_code};
use baton_core::{Detector, OsFamily, ScanResult, Snapshot};

use super::download::{Downloader, Limits};
use super::elevate::{self, Elevated};

/// The running machine.
#[derive(Debug)]
pub struct RealSystem {
    detector: Detector,
    allowed_hosts: Vec<String>,
    /// How to start Baton again after a restart.
    resume_command: Vec<String>,
    /// A test CA for the Windows lab's loopback server; settable only in a
    /// build with the `lab` feature, which never ships.
    lab_root: Option<Vec<u8>>,
}

impl RealSystem {
    pub fn new(detector: Detector, allowed_hosts: Vec<String>) -> Self {
        Self {
            detector,
            allowed_hosts,
            resume_command: Vec::new(),
            lab_root: None,
        }
    }

    /// Also trusts the lab's HTTPS certificate authority (PEM). HTTPS, the
    /// host allow-list and every check of the installer still apply.
    #[cfg(feature = "lab")]
    pub fn with_lab_root(mut self, pem: Vec<u8>) -> Self {
        self.lab_root = Some(pem);
        self
    }

    /// The program and arguments that continue the migration after a restart.
    pub fn with_resume_command(mut self, command: Vec<String>) -> Self {
        self.resume_command = command;
        self
    }

    fn downloads(&self) -> Result<PathBuf, ActionError> {
        let dir = super::app_data_dir()
            .ok_or_else(|| ActionError::Failed("no folder for Baton's data".into()))?
            .join("downloads");
        std::fs::create_dir_all(&dir)
            .map_err(|e| ActionError::Failed(format!("cannot create {}: {e}", dir.display())))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // Private: nobody else may swap the installer between check and run.
            let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
        }
        Ok(dir)
    }
}

/// Windows Installer and setup exit codes.
fn uninstall_outcome(code: i32) -> UninstallOutcome {
    match code {
        0 => UninstallOutcome::Removed,
        1605 => UninstallOutcome::AlreadyGone,
        1602 | 1223 => UninstallOutcome::Cancelled,
        3010 | 1641 => UninstallOutcome::RestartNeeded,
        // ERROR_INSTALL_FAILURE: a custom action stopped the removal, which is
        // how Kaspersky's uninstaller refuses without its password or while
        // its self-defence is on (../shared/reference/kaspersky.md D.2).
        1603 => UninstallOutcome::Blocked {
            detail: "the uninstaller stopped with error 1603, as Kaspersky's does when its settings are protected by a password".into(),
        },
        code => UninstallOutcome::Failed {
            code,
            detail: "the uninstaller reported an error".into(),
        },
    }
}

fn install_outcome(code: i32) -> InstallOutcome {
    match code {
        0 => InstallOutcome::Installed,
        3010 | 1641 => InstallOutcome::RestartNeeded,
        1223 | 1602 => InstallOutcome::ElevationRefused,
        code => InstallOutcome::Failed {
            code,
            detail: "the installer reported an error".into(),
        },
    }
}

/// Windows Package Manager's exit codes for `winget install` (from winget's
/// returnCodes.md). Codes saying the package is already there count as
/// installed: the verify step that follows checks it really protects.
fn winget_outcome(code: i32) -> InstallOutcome {
    // The codes are HRESULTs; compare their bits.
    match code as u32 {
        0 => InstallOutcome::Installed,
        // PACKAGE_ALREADY_INSTALLED, UPDATE_NOT_APPLICABLE, INSTALL_ALREADY_INSTALLED
        0x8A15_0061 | 0x8A15_002B | 0x8A15_010D => InstallOutcome::Installed,
        // INSTALL_REBOOT_REQUIRED_TO_FINISH, INSTALL_REBOOT_INITIATED
        0x8A15_0109 | 0x8A15_010B => InstallOutcome::RestartNeeded,
        // INSTALL_CANCELLED_BY_USER (the installer's own prompt or UAC)
        0x8A15_010C => InstallOutcome::ElevationRefused,
        _ => InstallOutcome::Failed {
            code,
            detail: match code as u32 {
                0x8A15_0107 => "winget: the installer needs an internet connection".into(),
                0x8A15_0105 => "winget: the disk is full".into(),
                0x8A15_010F => "winget: an organisation policy blocks the installation".into(),
                0x8A15_010A => "winget: restart the computer, then try again".into(),
                0x8A15_0102 => "winget: another installation is in progress".into(),
                0x8A15_0014 => "winget: no package with that id in the winget source".into(),
                0x8A15_002D => "winget: the installer failed its hash check and was not run".into(),
                0x8A15_0008 => "winget: the installer could not be downloaded".into(),
                other => format!("winget reported 0x{other:08X}"),
            },
        },
    }
}

/// Splits an UninstallString into the program and its arguments:
/// `"C:\Program Files\X\un.exe" /x` or `C:\X\un.exe /x`.
pub fn split_command(line: &str) -> Option<(String, Vec<String>)> {
    let line = line.trim();
    if line.is_empty() {
        return None;
    }
    let (program, rest) = if let Some(stripped) = line.strip_prefix('"') {
        let end = stripped.find('"')?;
        (stripped[..end].to_owned(), &stripped[end + 1..])
    } else {
        // Unquoted paths with spaces: take up to the first ".exe".
        match line.to_ascii_lowercase().find(".exe") {
            Some(i) => (line[..i + 4].to_owned(), &line[i + 4..]),
            None => {
                let mut parts = line.splitn(2, ' ');
                (parts.next()?.to_owned(), parts.next().unwrap_or(""))
            }
        }
    };
    let args = rest.split_whitespace().map(str::to_owned).collect();
    Some((program, args))
}

/// The system's PowerShell, below the system folder.
const POWERSHELL: &str = r"WindowsPowerShell\v1.0\powershell.exe";

/// The package manager, by its absolute path: never found through PATH,
/// where `~/.local/bin` comes first on Ubuntu (security review, finding 2).
fn linux_package_manager() -> Option<&'static str> {
    ["/usr/bin/apt-get", "/usr/bin/dnf"]
        .into_iter()
        .find(|p| Path::new(p).is_file())
}

/// ClamAV's updater, by its absolute path.
const FRESHCLAM: &str = "/usr/bin/freshclam";

/// Removes one product on Windows, running only what Windows itself vouches
/// for (security review, finding 1): per-machine entries only; an MSI
/// product code that Windows Installer confirms is installed per machine by
/// the product's vendor, removed with the system's own `msiexec /x` (the
/// entry's `MsiExec.exe /I{code}` is maintenance mode and removes nothing);
/// any other uninstaller only from Program Files and signed by the vendor.
fn windows_uninstall(target: &RemovalTarget) -> Result<UninstallOutcome, ActionError> {
    let programs: Vec<&Program> = target
        .programs
        .iter()
        .filter(|p| plan::removable_with_admin_rights(OsFamily::Windows, p))
        .collect();
    let codes: Vec<&str> = programs
        .iter()
        .filter_map(|p| p.id.as_deref())
        .filter(|id| is_product_code(id))
        .collect();
    if !codes.is_empty() {
        let mut outcomes = Vec::new();
        for code in codes {
            outcomes.push(match crate::msi::product(code) {
                MsiProduct::NotInstalled => UninstallOutcome::AlreadyGone,
                MsiProduct::PerMachine { publisher }
                    if publisher_matches(&publisher, &target.vendor) =>
                {
                    let msiexec = os::system_program("msiexec.exe")?;
                    // Interactive, so Kaspersky's own password prompt can show.
                    let args = vec!["/x".to_owned(), code.to_owned(), "/norestart".to_owned()];
                    match elevate::run(&msiexec, &args)? {
                        Elevated::Exited(c) => uninstall_outcome(c),
                        Elevated::Refused => UninstallOutcome::Cancelled,
                    }
                }
                other => UninstallOutcome::Failed {
                    code: -1,
                    detail: format!(
                        "Windows Installer does not confirm {code} as {}'s product installed for all users ({other})",
                        target.vendor
                    ),
                },
            });
        }
        return Ok(combine(outcomes));
    }
    let Some((program, args)) = programs
        .iter()
        .filter_map(|p| p.uninstall_command.as_deref())
        .find_map(split_command)
    else {
        return Ok(UninstallOutcome::Failed {
            code: -1,
            detail: "Windows lists no uninstaller for it".into(),
        });
    };
    let program = os::trusted_uninstaller(&program, &target.vendor)?;
    Ok(match elevate::run(&program, &args)? {
        Elevated::Exited(c) => uninstall_outcome(c),
        Elevated::Refused => UninstallOutcome::Cancelled,
    })
}

/// Whether a publisher name is the vendor's: its id as a word of the name,
/// ignoring case ("AO Kaspersky Lab" for `kaspersky`).
pub fn publisher_matches(publisher: &str, vendor: &str) -> bool {
    publisher
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| word == vendor)
}

/// Several uninstalls of one product (its 32- and 64-bit entries): the
/// worst outcome speaks for all of them.
fn combine(outcomes: Vec<UninstallOutcome>) -> UninstallOutcome {
    let rank = |o: &UninstallOutcome| match o {
        UninstallOutcome::Failed { .. } => 0,
        UninstallOutcome::Blocked { .. } => 1,
        UninstallOutcome::Cancelled => 2,
        UninstallOutcome::RestartNeeded => 3,
        UninstallOutcome::Removed => 4,
        UninstallOutcome::AlreadyGone => 5,
    };
    outcomes
        .into_iter()
        .min_by_key(rank)
        .unwrap_or(UninstallOutcome::AlreadyGone)
}

impl System for RealSystem {
    fn os(&self) -> OsFamily {
        OsFamily::current()
    }

    fn scan(&mut self) -> Result<(Snapshot, ScanResult), ActionError> {
        let snapshot = crate::collect(
            self.detector.signatures(),
            &crate::CollectOptions::default(),
        )
        .map_err(|e| ActionError::Failed(e.to_string()))?;
        let scan = self.detector.detect(&snapshot);
        Ok((snapshot, scan))
    }

    fn boot_id(&mut self) -> Result<String, ActionError> {
        if cfg!(target_os = "linux") {
            let boot_id = Path::new("/proc/sys/kernel/random/boot_id");
            if let Ok(id) = crate::bounded::read_text(boot_id, crate::bounded::limit::SMALL_TEXT) {
                return Ok(id.trim().to_owned());
            }
        }
        if let Some(id) = os::boot_id() {
            return Ok(id);
        }
        Ok(format!("boot-{}", sysinfo::System::boot_time()))
    }

    fn restart_pending(&mut self) -> Result<bool, ActionError> {
        Ok(os::restart_pending())
    }

    fn create_restore_point(&mut self) -> Result<bool, ActionError> {
        if self.os() != OsFamily::Windows {
            return Ok(false);
        }
        let args = powershell(
            "Checkpoint-Computer -Description 'Baton: before removing Kaspersky' -RestorePointType MODIFY_SETTINGS",
        );
        match elevate::run(&os::system_program(POWERSHELL)?, &args)? {
            Elevated::Exited(0) => Ok(true),
            Elevated::Exited(_) => Ok(false),
            Elevated::Refused => Err(ActionError::Failed(
                "the administrator prompt was declined".into(),
            )),
        }
    }

    fn uninstall(&mut self, target: &RemovalTarget) -> Result<UninstallOutcome, ActionError> {
        match self.os() {
            OsFamily::Windows => windows_uninstall(target),
            OsFamily::Linux => {
                let packages: Vec<String> = target
                    .programs
                    .iter()
                    .filter_map(|p| p.id.clone())
                    .collect();
                if packages.is_empty() {
                    return Ok(UninstallOutcome::AlreadyGone);
                }
                let manager = linux_package_manager()
                    .ok_or_else(|| ActionError::Unsupported("no apt-get or dnf".into()))?;
                let mut args = vec!["remove".to_owned(), "-y".to_owned()];
                args.extend(packages);
                Ok(match elevate::run(manager, &args)? {
                    Elevated::Exited(0) => UninstallOutcome::Removed,
                    Elevated::Exited(c) => UninstallOutcome::Failed {
                        code: c,
                        detail: format!("{manager} could not remove it"),
                    },
                    Elevated::Refused => UninstallOutcome::Cancelled,
                })
            }
            OsFamily::Macos => {
                let scripts = [
                    "/Library/Application Support/Kaspersky Lab/KAV/Binaries/UninstallScript",
                    "/Library/Application Support/Kaspersky Lab/klnagent/Binaries/UninstallScript",
                ];
                let Some(script) = scripts.iter().find(|s| Path::new(s).is_file()) else {
                    return Ok(UninstallOutcome::Failed {
                        code: -1,
                        detail: "no uninstaller found; Kaspersky's removal tool for Mac (kavremover) removes it".into(),
                    });
                };
                Ok(match elevate::run(script, &[])? {
                    Elevated::Exited(0) => UninstallOutcome::Removed,
                    Elevated::Exited(c) => UninstallOutcome::Failed {
                        code: c,
                        detail: "Kaspersky's uninstall script reported an error".into(),
                    },
                    Elevated::Refused => UninstallOutcome::Cancelled,
                })
            }
        }
    }

    fn defender(&mut self) -> Result<DefenderState, ActionError> {
        if self.os() != OsFamily::Windows {
            return Ok(DefenderState::Unavailable);
        }
        // Without PowerShell (as under Wine) Defender cannot be read: say so
        // rather than fail the move, which can go on to the replacement.
        let Ok(program) = os::system_program(POWERSHELL) else {
            return Ok(DefenderState::Unavailable);
        };
        let mut command = std::process::Command::new(program);
        command.args(powershell(
            "Get-MpComputerStatus | Select-Object RealTimeProtectionEnabled,IsTamperProtected,DefenderSignaturesOutOfDate | ConvertTo-Json",
        ));
        Ok(match command.output() {
            Ok(out) => parse_defender_status(&String::from_utf8_lossy(&out.stdout)),
            Err(_) => DefenderState::Unavailable,
        })
    }

    fn enable_defender(&mut self) -> Result<(), ActionError> {
        if self.os() != OsFamily::Windows {
            return Err(ActionError::Unsupported("Microsoft Defender".into()));
        }
        match elevate::run(
            &os::system_program(POWERSHELL)?,
            &powershell("Set-MpPreference -DisableRealtimeMonitoring $false"),
        )? {
            Elevated::Exited(0) => Ok(()),
            Elevated::Exited(c) => Err(ActionError::Failed(format!(
                "Set-MpPreference failed (exit code {c})"
            ))),
            Elevated::Refused => Err(ActionError::Failed(
                "the administrator prompt was declined".into(),
            )),
        }
    }

    fn update_defender_signatures(&mut self) -> Result<(), ActionError> {
        if self.os() != OsFamily::Windows {
            return Err(ActionError::Unsupported("Microsoft Defender".into()));
        }
        match elevate::run(
            &os::system_program(POWERSHELL)?,
            &powershell("Update-MpSignature"),
        )? {
            Elevated::Exited(0) => Ok(()),
            Elevated::Exited(c) => Err(ActionError::Transient(format!(
                "Update-MpSignature failed (exit code {c})"
            ))),
            Elevated::Refused => Err(ActionError::Failed(
                "the administrator prompt was declined".into(),
            )),
        }
    }

    fn download(
        &mut self,
        product: &Product,
        download: &Download,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Artifact, ActionError> {
        let url = download.url.as_deref().ok_or_else(|| {
            ActionError::Failed(format!(
                "the catalog has no download link for {}",
                product.name
            ))
        })?;
        let file = url
            .rsplit('/')
            .next()
            .filter(|f| !f.is_empty())
            .unwrap_or("installer");
        let dest = self.downloads()?.join(&product.id).join(file);
        let downloader = match &self.lab_root {
            Some(pem) => {
                Downloader::with_extra_root(self.allowed_hosts.clone(), Limits::default(), pem)?
            }
            None => Downloader::new(self.allowed_hosts.clone(), Limits::default())?,
        };
        downloader.fetch(url, &dest, progress)
    }

    fn verify(&mut self, artifact: &Artifact, download: &Download) -> Result<(), ActionError> {
        super::verify::verify(artifact, download)
    }

    fn install(
        &mut self,
        product: &Product,
        download: &Download,
        artifact: Option<&Artifact>,
    ) -> Result<InstallOutcome, ActionError> {
        match download.installer {
            InstallerKind::BuiltIn => Ok(InstallOutcome::Installed),
            InstallerKind::WebPage => Ok(InstallOutcome::Manual {
                url: download.url.clone().unwrap_or_default(),
            }),
            InstallerKind::Package => {
                let manager = linux_package_manager()
                    .ok_or_else(|| ActionError::Unsupported("no apt-get or dnf".into()))?;
                let mut args = vec!["install".to_owned(), "-y".to_owned()];
                args.extend(download.packages.iter().cloned());
                match elevate::run(manager, &args)? {
                    Elevated::Refused => return Ok(InstallOutcome::ElevationRefused),
                    Elevated::Exited(c) if c != 0 => {
                        return Ok(InstallOutcome::Failed {
                            code: c,
                            detail: format!(
                                "{manager} could not install {}",
                                download.packages.join(" ")
                            ),
                        });
                    }
                    Elevated::Exited(_) => {}
                }
                if product.id == "clamav" {
                    clamav_database_fresh()?;
                }
                Ok(InstallOutcome::Installed)
            }
            InstallerKind::Exe | InstallerKind::Msi => {
                let artifact = artifact
                    .ok_or_else(|| ActionError::Failed("no verified installer to run".into()))?;
                let (program, args) = if download.installer == InstallerKind::Msi {
                    let mut args = vec!["/i".to_owned(), artifact.path.clone()];
                    args.extend(download.silent_args.iter().cloned());
                    (os::system_program("msiexec.exe")?, args)
                } else {
                    // Without a documented silent switch, the vendor's own
                    // wizard runs and Baton waits for it.
                    (artifact.path.clone(), download.silent_args.clone())
                };
                Ok(match elevate::run(&program, &args)? {
                    Elevated::Exited(c) => install_outcome(c),
                    Elevated::Refused => InstallOutcome::ElevationRefused,
                })
            }
            InstallerKind::Pkg => {
                let artifact = artifact
                    .ok_or_else(|| ActionError::Failed("no verified package to open".into()))?;
                // Installer asks for the password itself and shows the
                // vendor's steps; -W waits until it is closed.
                let code = elevate::run_plain(
                    "/usr/bin/open",
                    &[
                        "-W".into(),
                        "-a".into(),
                        "Installer".into(),
                        artifact.path.clone(),
                    ],
                )?;
                Ok(install_outcome(code))
            }
        }
    }

    fn winget_available(&mut self) -> bool {
        cfg!(windows) && elevate::run_plain("winget", &["--version".into()]).is_ok_and(|c| c == 0)
    }

    fn install_with_winget(
        &mut self,
        _product: &Product,
        id: &str,
    ) -> Result<InstallOutcome, ActionError> {
        if !cfg!(windows) {
            return Err(ActionError::Unsupported("winget is a Windows tool".into()));
        }
        let args: Vec<String> = [
            "install",
            "--id",
            id,
            "--exact",
            "--source",
            "winget",
            "--silent",
            "--accept-package-agreements",
            "--accept-source-agreements",
            "--disable-interactivity",
        ]
        .iter()
        .map(|a| (*a).to_owned())
        .collect();
        Ok(winget_outcome(elevate::run_plain("winget", &args)?))
    }

    fn discard(&mut self, artifact: &Artifact) {
        let path = Path::new(&artifact.path);
        let _ = std::fs::remove_file(path);
        if let Some(folder) = path.parent() {
            let _ = std::fs::remove_dir(folder);
        }
    }

    fn schedule_resume(&mut self) -> Result<(), ActionError> {
        if self.resume_command.is_empty() {
            return Err(ActionError::Failed("no command to resume with".into()));
        }
        os::schedule_resume(&self.resume_command)
    }

    fn cancel_resume(&mut self) -> Result<(), ActionError> {
        os::cancel_resume()
    }

    fn pause(&mut self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

fn powershell(command: &str) -> Vec<String> {
    [
        "-NoProfile",
        "-NonInteractive",
        "-ExecutionPolicy",
        "Bypass",
        "-Command",
        command,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

/// `Get-MpComputerStatus | … | ConvertTo-Json` → Defender's state.
pub fn parse_defender_status(json: &str) -> DefenderState {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(json) else {
        return DefenderState::Unavailable;
    };
    match v.get("RealTimeProtectionEnabled").and_then(|b| b.as_bool()) {
        Some(true) => DefenderState::On {
            signatures_current: v
                .get("DefenderSignaturesOutOfDate")
                .and_then(|b| b.as_bool())
                .map(|out| !out),
        },
        Some(false) => DefenderState::Off {
            tamper_protected: v
                .get("IsTamperProtected")
                .and_then(|b| b.as_bool())
                .unwrap_or(false),
        },
        None => DefenderState::Unavailable,
    }
}

/// After installing ClamAV: its database must be recent. freshclam fetches
/// it; when its service is already doing so (it starts with the package),
/// running it again only collides with its lock, so Baton waits for it.
fn clamav_database_fresh() -> Result<(), ActionError> {
    let fresh = || {
        ["daily.cld", "daily.cvd"].iter().any(|f| {
            std::fs::metadata(Path::new("/var/lib/clamav").join(f))
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age < Duration::from_secs(7 * 24 * 3600))
        })
    };
    if fresh() {
        return Ok(());
    }
    if freshclam_running() {
        for _ in 0..24 {
            std::thread::sleep(Duration::from_secs(5));
            if fresh() {
                return Ok(());
            }
        }
    } else if let Elevated::Exited(0) = elevate::run(FRESHCLAM, &[])? {
        if fresh() {
            return Ok(());
        }
    }
    Err(ActionError::Failed(
        "ClamAV is installed, but its virus database could not be downloaded. Check the internet connection, then run `sudo freshclam`.".into(),
    ))
}

/// Whether a freshclam process is running (its service downloading).
fn freshclam_running() -> bool {
    std::fs::read_dir("/proc")
        .map(|entries| {
            entries.flatten().any(|e| {
                crate::bounded::read_text(&e.path().join("comm"), crate::bounded::limit::SMALL_TEXT)
                    .is_ok_and(|c| c.trim() == "freshclam")
            })
        })
        .unwrap_or(false)
}

#[cfg(windows)]
mod os {
    use std::path::{Path, PathBuf};

    use baton_core::migrate::system::ActionError;
    use windows::Win32::System::SystemInformation::GetSystemDirectoryW;
    use winreg::RegKey;
    use winreg::enums::{HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, KEY_SET_VALUE};

    /// A program in the system folder (`C:\Windows\System32`), by the path
    /// Windows reports: never looked up in the current folder or PATH.
    pub(super) fn system_program(relative: &str) -> Result<String, ActionError> {
        let mut buf = [0u16; 260];
        // SAFETY: the buffer is valid for its whole length, which is passed.
        let n = unsafe { GetSystemDirectoryW(Some(&mut buf)) } as usize;
        if n == 0 || n >= buf.len() {
            return Err(ActionError::Failed(
                "Windows did not say where its system folder is".into(),
            ));
        }
        let path = PathBuf::from(String::from_utf16_lossy(&buf[..n])).join(relative);
        if !path.is_file() {
            return Err(ActionError::Failed(format!(
                "{} is not on this computer",
                path.display()
            )));
        }
        Ok(path.display().to_string())
    }

    /// When Windows booted, as the kernel keeps it (the first field of
    /// SYSTEM_TIMEOFDAY_INFORMATION): the same for every call in one boot,
    /// unlike "now minus the tick count", which drifts by a second between
    /// calls. Under Wine it is when the wineserver started.
    pub(super) fn boot_id() -> Option<String> {
        use windows::Wdk::System::SystemInformation::{
            NtQuerySystemInformation, SystemTimeOfDayInformation,
        };
        use windows::Win32::System::WindowsProgramming::SYSTEM_TIMEOFDAY_INFORMATION;
        let mut info = SYSTEM_TIMEOFDAY_INFORMATION::default();
        let mut len = 0u32;
        // SAFETY: the buffer is the struct the class is documented to fill,
        // and its exact size is passed.
        let status = unsafe {
            NtQuerySystemInformation(
                SystemTimeOfDayInformation,
                (&mut info as *mut SYSTEM_TIMEOFDAY_INFORMATION).cast(),
                std::mem::size_of::<SYSTEM_TIMEOFDAY_INFORMATION>() as u32,
                &mut len,
            )
        };
        if status.is_err() {
            return None;
        }
        let mut boot = [0u8; 8];
        boot.copy_from_slice(&info.Reserved1[..8]);
        Some(format!("boot-{}", i64::from_le_bytes(boot)))
    }

    /// The Program Files folders, as the per-machine registry states them
    /// (environment variables are the user's to change).
    fn program_files() -> Vec<PathBuf> {
        let Ok(key) = RegKey::predef(HKEY_LOCAL_MACHINE)
            .open_subkey(r"SOFTWARE\Microsoft\Windows\CurrentVersion")
        else {
            return Vec::new();
        };
        ["ProgramFilesDir", "ProgramFilesDir (x86)"]
            .iter()
            .filter_map(|v| key.get_value::<String, _>(v).ok())
            .map(PathBuf::from)
            .collect()
    }

    /// A non-MSI uninstaller may run elevated only from Program Files and
    /// signed by its vendor; anything else is refused before any prompt.
    pub(super) fn trusted_uninstaller(program: &str, vendor: &str) -> Result<String, ActionError> {
        let path = Path::new(program);
        let lower = program.to_lowercase();
        let inside = path.is_absolute()
            && !lower.contains("\\..")
            && program_files().iter().any(|root| {
                let root = root.display().to_string().to_lowercase();
                lower.starts_with(&format!("{}\\", root.trim_end_matches('\\')))
            });
        if !inside {
            return Err(ActionError::Refused(format!(
                "{program} is not in Program Files, so Baton will not run it as administrator"
            )));
        }
        crate::migrate::verify::authenticode(path, Some(vendor)).map_err(|why| {
            ActionError::Refused(format!("{program} was not run as administrator: {why}"))
        })?;
        Ok(program.to_owned())
    }

    const RUN_ONCE: &str = r"Software\Microsoft\Windows\CurrentVersion\RunOnce";
    const VALUE: &str = "BatonResume";

    pub(super) fn restart_pending() -> bool {
        let hklm = RegKey::predef(HKEY_LOCAL_MACHINE);
        hklm.open_subkey(r"SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending").is_ok()
            || hklm.open_subkey(r"SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired").is_ok()
            || hklm
                .open_subkey(r"SYSTEM\CurrentControlSet\Control\Session Manager")
                .and_then(|k| k.get_raw_value("PendingFileRenameOperations"))
                .is_ok()
    }

    pub(super) fn schedule_resume(command: &[String]) -> Result<(), ActionError> {
        let line = command
            .iter()
            .map(|a| {
                if a.contains(' ') {
                    format!("\"{a}\"")
                } else {
                    a.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        let (key, _) = RegKey::predef(HKEY_CURRENT_USER)
            .create_subkey(RUN_ONCE)
            .map_err(|e| ActionError::Failed(format!("cannot open RunOnce: {e}")))?;
        key.set_value(VALUE, &line)
            .map_err(|e| ActionError::Failed(format!("cannot write RunOnce: {e}")))
    }

    pub(super) fn cancel_resume() -> Result<(), ActionError> {
        match RegKey::predef(HKEY_CURRENT_USER).open_subkey_with_flags(RUN_ONCE, KEY_SET_VALUE) {
            Ok(key) => {
                let _ = key.delete_value(VALUE);
                Ok(())
            }
            Err(_) => Ok(()),
        }
    }
}

#[cfg(not(windows))]
mod os {
    use std::path::PathBuf;

    use baton_core::migrate::system::ActionError;

    fn windows_only() -> ActionError {
        ActionError::Unsupported("a Windows program".into())
    }

    pub(super) fn system_program(_relative: &str) -> Result<String, ActionError> {
        Err(windows_only())
    }

    /// Elsewhere the boot id comes from /proc or the boot time.
    pub(super) fn boot_id() -> Option<String> {
        None
    }

    pub(super) fn trusted_uninstaller(
        _program: &str,
        _vendor: &str,
    ) -> Result<String, ActionError> {
        Err(windows_only())
    }

    pub(super) fn restart_pending() -> bool {
        cfg!(target_os = "linux") && std::path::Path::new("/var/run/reboot-required").exists()
    }

    fn entry() -> Option<PathBuf> {
        let home = PathBuf::from(std::env::var_os("HOME")?);
        Some(if cfg!(target_os = "macos") {
            home.join("Library/LaunchAgents/org.baton.resume.plist")
        } else {
            std::env::var_os("XDG_CONFIG_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| home.join(".config"))
                .join("autostart/baton-resume.desktop")
        })
    }

    fn xml_escape(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }

    /// A LaunchAgent (macOS) or an XDG autostart entry (Linux desktops),
    /// the same files the desktop app's autostart plugin writes.
    pub(super) fn schedule_resume(command: &[String]) -> Result<(), ActionError> {
        let path = entry().ok_or_else(|| ActionError::Failed("no home folder".into()))?;
        let text = if cfg!(target_os = "macos") {
            let args: String = command
                .iter()
                .map(|a| format!("    <string>{}</string>\n", xml_escape(a)))
                .collect();
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n<dict>\n  <key>Label</key>\n  <string>org.baton.resume</string>\n  <key>ProgramArguments</key>\n  <array>\n{args}  </array>\n  <key>RunAtLoad</key>\n  <true/>\n</dict>\n</plist>\n"
            )
        } else {
            let exec = command
                .iter()
                .map(|a| format!("\"{}\"", a.replace('\\', "\\\\").replace('"', "\\\"")))
                .collect::<Vec<_>>()
                .join(" ");
            format!(
                "[Desktop Entry]\nType=Application\nName=Baton\nComment=Finish moving your antivirus\nExec={exec}\nX-GNOME-Autostart-enabled=true\n"
            )
        };
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|e| {
                ActionError::Failed(format!("cannot create {}: {e}", folder.display()))
            })?;
        }
        std::fs::write(&path, text)
            .map_err(|e| ActionError::Failed(format!("cannot write {}: {e}", path.display())))
    }

    pub(super) fn cancel_resume() -> Result<(), ActionError> {
        if let Some(path) = entry() {
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(ActionError::Failed(format!(
                        "cannot remove {}: {e}",
                        path.display()
                    )));
                }
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uninstall_strings_split_into_program_and_arguments() {
        assert_eq!(
            split_command(r#""C:\Program Files (x86)\Kaspersky Lab\setup.exe" /x /s"#),
            Some((
                r"C:\Program Files (x86)\Kaspersky Lab\setup.exe".into(),
                vec!["/x".into(), "/s".into()]
            ))
        );
        assert_eq!(
            split_command(r"C:\Program Files\UltraAV\uninstall.exe /S"),
            Some((
                r"C:\Program Files\UltraAV\uninstall.exe".into(),
                vec!["/S".into()]
            ))
        );
        assert_eq!(split_command("  "), None);
    }

    #[test]
    fn a_publisher_is_the_vendors_only_by_a_whole_word() {
        assert!(publisher_matches("AO Kaspersky Lab", "kaspersky"));
        assert!(publisher_matches("Kaspersky", "kaspersky"));
        assert!(!publisher_matches("Kasperskyy Tools", "kaspersky"));
        assert!(!publisher_matches("Microsoft Corporation", "kaspersky"));
        assert!(!publisher_matches("", "kaspersky"));
    }

    #[test]
    fn the_worst_of_several_uninstalls_speaks_for_all() {
        use UninstallOutcome::*;
        assert_eq!(combine(vec![Removed, RestartNeeded]), RestartNeeded);
        assert_eq!(combine(vec![AlreadyGone, Removed]), Removed);
        assert_eq!(combine(vec![RestartNeeded, Cancelled]), Cancelled);
        assert!(matches!(
            combine(vec![Removed, uninstall_outcome(1620)]),
            Failed { code: 1620, .. }
        ));
        assert_eq!(combine(vec![]), AlreadyGone);
    }

    #[test]
    fn product_codes_are_recognised() {
        assert!(is_product_code("{1A2B3C4D-5E6F-4A1B-8C9D-0E1F2A3B4C5D}"));
        assert!(!is_product_code("{1A2B3C4D-5E6F-4A1B-8C9D-0E1F2A3B4C5}"));
        assert!(!is_product_code("kesl"));
    }

    #[test]
    fn exit_codes_map_to_outcomes() {
        assert_eq!(uninstall_outcome(1605), UninstallOutcome::AlreadyGone);
        assert_eq!(uninstall_outcome(1602), UninstallOutcome::Cancelled);
        assert_eq!(uninstall_outcome(3010), UninstallOutcome::RestartNeeded);
        assert_eq!(uninstall_outcome(1641), UninstallOutcome::RestartNeeded);
        assert!(matches!(
            uninstall_outcome(1603),
            UninstallOutcome::Blocked { .. }
        ));
        assert!(matches!(
            uninstall_outcome(1620),
            UninstallOutcome::Failed { code: 1620, .. }
        ));
        assert_eq!(install_outcome(1223), InstallOutcome::ElevationRefused);
        assert_eq!(install_outcome(3010), InstallOutcome::RestartNeeded);
    }

    #[test]
    fn winget_exit_codes_map_to_outcomes() {
        // As a Windows process exit code, an HRESULT arrives negative.
        let code = |hresult: u32| hresult as i32;
        assert_eq!(winget_outcome(0), InstallOutcome::Installed);
        assert_eq!(winget_outcome(code(0x8A15_0061)), InstallOutcome::Installed);
        assert_eq!(
            winget_outcome(-1_978_334_967),
            InstallOutcome::RestartNeeded
        );
        assert_eq!(
            winget_outcome(code(0x8A15_010C)),
            InstallOutcome::ElevationRefused
        );
        match winget_outcome(code(0x8A15_002D)) {
            InstallOutcome::Failed { code, detail } => {
                assert_eq!(code, -1_978_335_187);
                assert!(detail.contains("hash check"), "{detail}");
            }
            other => panic!("{other:?}"),
        }
        match winget_outcome(code(0x8A15_FFFF)) {
            InstallOutcome::Failed { detail, .. } => {
                assert_eq!(detail, "winget reported 0x8A15FFFF")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn defender_status_is_read_from_powershell_json() {
        assert_eq!(
            parse_defender_status(
                r#"{"RealTimeProtectionEnabled": true, "IsTamperProtected": true, "DefenderSignaturesOutOfDate": false}"#
            ),
            DefenderState::On {
                signatures_current: Some(true)
            }
        );
        assert_eq!(
            parse_defender_status(
                r#"{"RealTimeProtectionEnabled": false, "IsTamperProtected": true}"#
            ),
            DefenderState::Off {
                tamper_protected: true
            }
        );
        assert_eq!(parse_defender_status(""), DefenderState::Unavailable);
    }
}
