//! The Windows collector: Uninstall keys, services and drivers, processes,
//! Security Center, and the known folders.
//!
//! `Win32_Product` is never used: it is slow and makes Windows Installer run
//! consistency checks ("repairs") on every MSI product.

use std::collections::HashMap;

use baton_core::snapshot::{
    OsFamily, ProductState, SecurityProduct, SecurityProductKind, Service, ServiceKind,
    ServiceState, Snapshot,
};
use baton_core::wsc;
use winreg::RegKey as WinKey;
use winreg::enums::{
    HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE, KEY_READ, KEY_WOW64_32KEY, KEY_WOW64_64KEY,
};

use crate::parse::regfile::{RegKey, RegValue};
use crate::parse::uninstall::{self, UninstallView};
use crate::probe;

const UNINSTALL: &str = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall";
const SERVICES: &str = r"SYSTEM\CurrentControlSet\Services";
/// The values an Uninstall entry is read for.
const UNINSTALL_VALUES: &[&str] = &[
    "DisplayName",
    "DisplayVersion",
    "Publisher",
    "InstallLocation",
    "UninstallString",
];

pub(crate) fn collect(probes: &[String]) -> Snapshot {
    let mut snap = Snapshot::empty(OsFamily::Windows);
    let w = &mut snap.warnings;
    (snap.os.name, snap.os.version) = os_info();

    for (view, hive, flags) in [
        (
            UninstallView::Machine64,
            HKEY_LOCAL_MACHINE,
            KEY_WOW64_64KEY,
        ),
        (
            UninstallView::Machine32,
            HKEY_LOCAL_MACHINE,
            KEY_WOW64_32KEY,
        ),
        (UninstallView::User, HKEY_CURRENT_USER, 0),
    ] {
        match WinKey::predef(hive).open_subkey_with_flags(UNINSTALL, KEY_READ | flags) {
            Ok(key) => {
                for name in key.enum_keys().filter_map(Result::ok) {
                    let Ok(sub) = key.open_subkey_with_flags(&name, KEY_READ | flags) else {
                        continue;
                    };
                    let entry = read_values(&sub, &name, UNINSTALL_VALUES);
                    snap.programs
                        .extend(uninstall::program(view, &entry).map(|mut p| {
                            p.orphaned = view != UninstallView::User && orphaned_msi_entry(&p);
                            p
                        }));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => w.push(format!(
                "could not read the {} Uninstall key: {e}",
                view.label()
            )),
        }
    }

    snap.services = services(w);
    snap.processes = crate::sysinfo_processes();
    snap.security_products = security_center(w);
    snap.paths = probe::list(std::path::Path::new("/"), probes, w);
    snap
}

/// A per-machine entry that Windows Installer wrote (named by a product
/// code, removed through msiexec) for a product it no longer has.
fn orphaned_msi_entry(program: &baton_core::snapshot::Program) -> bool {
    let Some(code) = program
        .id
        .as_deref()
        .filter(|id| crate::msi::is_product_code(id))
    else {
        return false;
    };
    let by_msiexec = program
        .uninstall_command
        .as_deref()
        .is_some_and(|c| c.to_ascii_lowercase().contains("msiexec"));
    by_msiexec && crate::msi::product(code) == crate::msi::MsiProduct::NotInstalled
}

fn os_info() -> (Option<String>, Option<String>) {
    let Ok(key) = WinKey::predef(HKEY_LOCAL_MACHINE)
        .open_subkey(r"SOFTWARE\Microsoft\Windows NT\CurrentVersion")
    else {
        return (None, None);
    };
    let name: Option<String> = key.get_value("ProductName").ok();
    let build: Option<String> = key.get_value("CurrentBuildNumber").ok();
    (name, build.map(|b| format!("10.0.{b}")))
}

/// The named string values of a key, in the shape the parsers take.
fn read_values(key: &WinKey, name: &str, values: &[&str]) -> RegKey {
    let mut out = RegKey {
        path: name.to_owned(),
        ..RegKey::default()
    };
    for v in values {
        if let Ok(s) = key.get_value::<String, _>(v) {
            out.values.insert(v.to_lowercase(), RegValue::String(s));
        }
    }
    out
}

/// Services and drivers from the Services key, with states from the
/// Service Control Manager.
fn services(w: &mut Vec<String>) -> Vec<Service> {
    // Registry key names and SCM names differ only in case, if at all.
    let states: HashMap<String, ServiceState> = match scm::states() {
        Ok(s) => s
            .into_iter()
            .map(|(n, st)| (n.to_lowercase(), st))
            .collect(),
        Err(e) => {
            w.push(format!(
                "could not ask the Service Control Manager for service states: {e}"
            ));
            HashMap::new()
        }
    };
    let root = match WinKey::predef(HKEY_LOCAL_MACHINE).open_subkey_with_flags(SERVICES, KEY_READ) {
        Ok(k) => k,
        Err(e) => {
            w.push(format!("could not read the Services key: {e}"));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for name in root.enum_keys().filter_map(Result::ok) {
        let Ok(key) = root.open_subkey_with_flags(&name, KEY_READ) else {
            continue;
        };
        // Keys without a Type are parameters and groups, not services.
        let Ok(kind) = key.get_value::<u32, _>("Type") else {
            continue;
        };
        let kind = match kind {
            0x1 | 0x2 => ServiceKind::Driver,
            0x10 | 0x20 | 0x50 | 0x60 | 0x110 | 0x120 => ServiceKind::Service,
            _ => continue,
        };
        let state = states
            .get(&name.to_lowercase())
            .copied()
            .unwrap_or(ServiceState::Unknown);
        out.push(Service {
            display_name: key.get_value("DisplayName").ok(),
            path: key.get_value("ImagePath").ok(),
            name,
            kind,
            state,
        });
    }
    out
}

mod scm {
    //! Service states through the Service Control Manager (plain Win32 FFI).

    use baton_core::snapshot::ServiceState;
    use windows_sys::Win32::Foundation::{ERROR_MORE_DATA, GetLastError};
    use windows_sys::Win32::System::Services::{
        CloseServiceHandle, ENUM_SERVICE_STATUS_PROCESSW, EnumServicesStatusExW, OpenSCManagerW,
        SC_ENUM_PROCESS_INFO, SC_MANAGER_ENUMERATE_SERVICE, SERVICE_DRIVER, SERVICE_RUNNING,
        SERVICE_STATE_ALL, SERVICE_STOPPED, SERVICE_WIN32,
    };

    pub(super) fn states() -> std::io::Result<Vec<(String, ServiceState)>> {
        // SAFETY: null machine and database names mean "this computer, the
        // active database"; the handle is closed below on every path.
        let scm = unsafe {
            OpenSCManagerW(
                std::ptr::null(),
                std::ptr::null(),
                SC_MANAGER_ENUMERATE_SERVICE,
            )
        };
        if scm.is_null() {
            return Err(std::io::Error::last_os_error());
        }
        let result = enumerate(scm);
        // SAFETY: `scm` is the valid handle opened above.
        unsafe { CloseServiceHandle(scm) };
        result
    }

    fn enumerate(
        scm: windows_sys::Win32::System::Services::SC_HANDLE,
    ) -> std::io::Result<Vec<(String, ServiceState)>> {
        let mut out = Vec::new();
        let mut resume: u32 = 0;
        // u64 elements keep the buffer aligned for the structs written into it.
        let mut buf: Vec<u64> = vec![0; 64 * 1024 / 8];
        loop {
            let mut needed: u32 = 0;
            let mut returned: u32 = 0;
            let bytes = u32::try_from(buf.len() * 8).unwrap_or(u32::MAX);
            // SAFETY: the buffer is `bytes` long and writable; the out
            // pointers are valid locals.
            let ok = unsafe {
                EnumServicesStatusExW(
                    scm,
                    SC_ENUM_PROCESS_INFO,
                    SERVICE_WIN32 | SERVICE_DRIVER,
                    SERVICE_STATE_ALL,
                    buf.as_mut_ptr().cast(),
                    bytes,
                    &mut needed,
                    &mut returned,
                    &mut resume,
                    std::ptr::null(),
                )
            };
            // SAFETY: reading the calling thread's last error has no preconditions.
            let more = ok == 0 && unsafe { GetLastError() } == ERROR_MORE_DATA;
            if ok == 0 && !more {
                return Err(std::io::Error::last_os_error());
            }
            let entries = buf.as_ptr().cast::<ENUM_SERVICE_STATUS_PROCESSW>();
            for i in 0..returned as usize {
                // SAFETY: the SCM wrote `returned` entries at the start of the
                // buffer; their strings point into the same buffer.
                let (name, state) = unsafe {
                    let e = &*entries.add(i);
                    (wide(e.lpServiceName), e.ServiceStatusProcess.dwCurrentState)
                };
                let state = match state {
                    SERVICE_RUNNING => ServiceState::Running,
                    SERVICE_STOPPED => ServiceState::Stopped,
                    _ => ServiceState::Unknown,
                };
                out.push((name, state));
            }
            if !more {
                return Ok(out);
            }
            if (needed as usize) > buf.len() * 8 {
                buf = vec![0; (needed as usize).div_ceil(8)];
            }
        }
    }

    /// A NUL-terminated UTF-16 string.
    ///
    /// # Safety
    /// `p` is null or points to a NUL-terminated UTF-16 string.
    unsafe fn wide(p: *const u16) -> String {
        if p.is_null() {
            return String::new();
        }
        let mut len = 0;
        // SAFETY: the caller promises a terminating NUL.
        while unsafe { *p.add(len) } != 0 {
            len += 1;
        }
        // SAFETY: `len` units up to the NUL are readable.
        String::from_utf16_lossy(unsafe { std::slice::from_raw_parts(p, len) })
    }
}

/// Antivirus products registered with Windows Security Center: the
/// documented WSC API first, then WMI `root\SecurityCenter2`, then, where
/// neither exists (Windows Server), Defender's own status.
fn security_center(w: &mut Vec<String>) -> Vec<SecurityProduct> {
    let _com = match com::init() {
        Ok(guard) => guard,
        Err(e) => {
            w.push(format!("could not start COM to read Security Center: {e}"));
            return Vec::new();
        }
    };
    match com::wsc_products() {
        Ok(products) => return products,
        Err(e) => w.push(format!("Security Center API unavailable ({e}); trying WMI")),
    }
    match com::wmi_products() {
        Ok(products) => return products,
        Err(e) => w.push(format!(
            "WMI root\\SecurityCenter2 unavailable ({e}); trying Defender's status"
        )),
    }
    match com::defender_status() {
        Ok(product) => vec![product],
        Err(e) => {
            w.push(format!(
                "Microsoft Defender's status unavailable ({e}); security product states are unknown"
            ));
            Vec::new()
        }
    }
}

mod com {
    //! Security Center and WMI through COM.

    use super::*;
    use windows::Win32::System::Com::{
        CLSCTX_INPROC_SERVER, COINIT_MULTITHREADED, CoCreateInstance, CoInitializeEx,
        CoInitializeSecurity, CoUninitialize, EOAC_NONE, RPC_C_AUTHN_LEVEL_DEFAULT,
        RPC_C_IMP_LEVEL_IMPERSONATE,
    };
    use windows::Win32::System::SecurityCenter::{
        IWSCProductList, WSC_SECURITY_PROVIDER_ANTIVIRUS, WSCProductList,
    };
    use windows::Win32::System::Variant::VARIANT;
    use windows::Win32::System::Wmi::{
        IWbemClassObject, IWbemLocator, WBEM_FLAG_FORWARD_ONLY, WBEM_FLAG_RETURN_IMMEDIATELY,
        WBEM_INFINITE, WbemLocator,
    };
    use windows::core::{BSTR, PCWSTR, w};

    pub(super) struct ComGuard;

    impl Drop for ComGuard {
        fn drop(&mut self) {
            // SAFETY: paired with the successful CoInitializeEx in `init`.
            unsafe { CoUninitialize() };
        }
    }

    pub(super) fn init() -> windows::core::Result<ComGuard> {
        // SAFETY: plain COM initialisation of this thread.
        unsafe { CoInitializeEx(None, COINIT_MULTITHREADED) }.ok()?;
        // Security may already be set by the host process; that is fine.
        // SAFETY: default process-wide security, as WMI clients use.
        let _ = unsafe {
            CoInitializeSecurity(
                None,
                -1,
                None,
                None,
                RPC_C_AUTHN_LEVEL_DEFAULT,
                RPC_C_IMP_LEVEL_IMPERSONATE,
                None,
                EOAC_NONE,
                None,
            )
        };
        Ok(ComGuard)
    }

    pub(super) fn wsc_products() -> windows::core::Result<Vec<SecurityProduct>> {
        let mut out = Vec::new();
        // SAFETY: COM is initialised on this thread (ComGuard).
        unsafe {
            let list: IWSCProductList =
                CoCreateInstance(&WSCProductList, None, CLSCTX_INPROC_SERVER)?;
            list.Initialize(WSC_SECURITY_PROVIDER_ANTIVIRUS)?;
            let count = list.Count()?;
            for i in 0..count.max(0) as u32 {
                let product = list.get_Item(i)?;
                let state = product
                    .ProductState()
                    .map(|s| wsc::from_wsc_product_state(s.0))
                    .unwrap_or(ProductState::Unknown);
                out.push(SecurityProduct {
                    name: product.ProductName()?.to_string(),
                    kind: SecurityProductKind::Antivirus,
                    state,
                    signatures_up_to_date: product
                        .SignatureStatus()
                        .ok()
                        .and_then(|s| wsc::from_wsc_signature_status(s.0)),
                    path: product
                        .RemediationPath()
                        .ok()
                        .map(|p| p.to_string())
                        .filter(|p| !p.is_empty()),
                    raw_state: None,
                });
            }
        }
        Ok(out)
    }

    /// Runs a WQL query in a namespace and hands each row to `row`.
    fn query(
        namespace: &str,
        wql: &str,
        mut row: impl FnMut(&IWbemClassObject) -> windows::core::Result<()>,
    ) -> windows::core::Result<()> {
        // SAFETY: COM is initialised on this thread (ComGuard).
        unsafe {
            let locator: IWbemLocator = CoCreateInstance(&WbemLocator, None, CLSCTX_INPROC_SERVER)?;
            let server = locator.ConnectServer(
                &BSTR::from(namespace),
                &BSTR::new(),
                &BSTR::new(),
                &BSTR::new(),
                0,
                &BSTR::new(),
                None,
            )?;
            let rows = server.ExecQuery(
                &BSTR::from("WQL"),
                &BSTR::from(wql),
                WBEM_FLAG_FORWARD_ONLY | WBEM_FLAG_RETURN_IMMEDIATELY,
                None,
            )?;
            loop {
                let mut batch = [None; 1];
                let mut returned = 0;
                rows.Next(WBEM_INFINITE, &mut batch, &mut returned).ok()?;
                match &batch[0] {
                    Some(r) if returned > 0 => row(r)?,
                    _ => return Ok(()),
                }
            }
        }
    }

    /// One property of a WMI row.
    fn property(row: &IWbemClassObject, name: PCWSTR) -> windows::core::Result<VARIANT> {
        let mut value = VARIANT::default();
        // SAFETY: `value` is a valid VARIANT for Get to fill.
        unsafe { row.Get(name, 0, &mut value, None, None)? };
        Ok(value)
    }

    pub(super) fn wmi_products() -> windows::core::Result<Vec<SecurityProduct>> {
        let mut out = Vec::new();
        query(
            r"ROOT\SecurityCenter2",
            "SELECT displayName, productState, pathToSignedProductExe FROM AntiVirusProduct",
            |row| {
                let name = BSTR::try_from(&property(row, w!("displayName"))?)?.to_string();
                let raw = i32::try_from(&property(row, w!("productState"))?)
                    .ok()
                    .map(|v| v as u32);
                let path = BSTR::try_from(&property(row, w!("pathToSignedProductExe"))?)
                    .ok()
                    .map(|p| p.to_string());
                // productState is undocumented; see baton_core::wsc.
                let (state, fresh) = raw
                    .map(wsc::decode_product_state)
                    .map_or((ProductState::Unknown, None), |(s, f)| (s, Some(f)));
                out.push(SecurityProduct {
                    name,
                    kind: SecurityProductKind::Antivirus,
                    state,
                    signatures_up_to_date: fresh,
                    path,
                    raw_state: raw,
                });
                Ok(())
            },
        )?;
        Ok(out)
    }

    pub(super) fn defender_status() -> windows::core::Result<SecurityProduct> {
        let mut product = None;
        query(
            r"ROOT\Microsoft\Windows\Defender",
            "SELECT AntivirusEnabled, RealTimeProtectionEnabled, DefenderSignaturesOutOfDate FROM MSFT_MpComputerStatus",
            |row| {
                let flag = |name| {
                    property(row, name)
                        .ok()
                        .and_then(|v| bool::try_from(&v).ok())
                };
                let on = flag(w!("AntivirusEnabled")).unwrap_or(false)
                    && flag(w!("RealTimeProtectionEnabled")).unwrap_or(false);
                product = Some(SecurityProduct {
                    name: "Microsoft Defender Antivirus".into(),
                    kind: SecurityProductKind::Antivirus,
                    state: if on {
                        ProductState::On
                    } else {
                        ProductState::Off
                    },
                    signatures_up_to_date: flag(w!("DefenderSignaturesOutOfDate"))
                        .map(|out_of_date| !out_of_date),
                    path: None,
                    raw_state: None,
                });
                Ok(())
            },
        )?;
        product
            .ok_or_else(|| windows::core::Error::from_hresult(windows::Win32::Foundation::E_FAIL))
    }
}
