/* The Windows lab's stand-in for Kaspersky's uninstall checks: a Windows
 * Installer custom action, run just before InstallInitialize when the product
 * is being removed: Wine's Windows Installer does not roll a failed removal
 * back, so the refusal comes before anything changes, as Kaspersky's does. It logs every removal attempt to C:\lab\kis-uninstall.log
 * and, by the package's LABMODE property:
 *   password  fails (1603) unless KLPASSWORD is set, as a password-protected
 *             Kaspersky does;
 *   cancel    returns "cancelled by the user" (1602);
 *   anything else lets the removal go on (restart is ScheduleReboot's).
 * Build: x86_64-w64-mingw32-gcc -shared -o lab-ca-x64.dll lab-ca.c -lmsi */
#include <windows.h>
#include <msi.h>
#include <msiquery.h>

static void log_attempt(const char *mode)
{
    HANDLE f = CreateFileA("C:\\lab\\kis-uninstall.log", FILE_APPEND_DATA, FILE_SHARE_READ, NULL,
                           OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD written;
    if (f == INVALID_HANDLE_VALUE)
        return;
    WriteFile(f, "uninstall ", 10, &written, NULL);
    WriteFile(f, mode, lstrlenA(mode), &written, NULL);
    WriteFile(f, "\r\n", 2, &written, NULL);
    CloseHandle(f);
}

__declspec(dllexport) UINT __stdcall UninstallGate(MSIHANDLE install)
{
    char mode[64] = "", password[64] = "";
    DWORD n = sizeof mode;
    MsiGetPropertyA(install, "LABMODE", mode, &n);
    log_attempt(mode);
    if (lstrcmpA(mode, "password") == 0) {
        n = sizeof password;
        MsiGetPropertyA(install, "KLPASSWORD", password, &n);
        return password[0] ? ERROR_SUCCESS : ERROR_INSTALL_FAILURE;
    }
    if (lstrcmpA(mode, "cancel") == 0)
        return ERROR_INSTALL_USEREXIT;
    return ERROR_SUCCESS;
}
