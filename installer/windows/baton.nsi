; Baton's Windows installer: per machine, into Program Files, 64-bit.
;
; Built by scripts/windows-bundle.sh with Debian's makensis; Tauri's own NSIS
; bundler is not used because it downloads a plugin DLL at build time, which a
; build here cannot do. Defines passed on the command line:
;   VERSION  the app's version (from tauri.conf.json)
;   SOURCE   the folder with baton-app.exe, baton.exe and WebView2Loader.dll
;   ICON     the app's .ico
;   OUTFILE  where the installer goes
;
; Baton itself never runs elevated: this installer is elevated (it writes
; Program Files and HKLM), so it starts the app it installed through
; Explorer, which runs it with the user's own rights.

Unicode true
; The default 32-bit stub does nothing under wine64 and cannot write the
; 64-bit registry view without redirection: build the amd64 one.
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel admin
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"

!define PRODUCT "Baton"
!define PUBLISHER "The Baton developers"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Baton"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define RUN_ONCE_KEY "Software\Microsoft\Windows\CurrentVersion\RunOnce"
!define STARTUP_APPROVED_KEY "Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"
; The value names the app writes: the autostart plugin names its Run value
; after the product; the migration's resume entry is BatonResume
; (crates/baton-system/src/migrate/real.rs).
!define RUN_VALUE "Baton"
!define RESUME_VALUE "BatonResume"
; Tauri keeps the webview's data under the app's identifier (tauri.conf.json).
!define IDENTIFIER "org.baton.app"
; The WebView2 Runtime's client id, the same for every channel of the
; Evergreen runtime (Microsoft: "Detect if a WebView2 Runtime is already
; installed", learn.microsoft.com/microsoft-edge/webview2/concepts/distribution).
!define WEBVIEW2_CLIENT "Software\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
; Microsoft's Evergreen bootstrapper (the same page).
!define WEBVIEW2_BOOTSTRAPPER "https://go.microsoft.com/fwlink/p/?LinkId=2124703"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${PRODUCT}"
BrandingText "${PRODUCT} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "FileDescription" "${PRODUCT} installer"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT OR Apache-2.0"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_TEXT "$(RunBaton)"
!define MUI_FINISHPAGE_RUN_FUNCTION StartBatonAsUser

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the fallback; otherwise NSIS picks the one that
; matches Windows' display language.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Russian"
!insertmacro MUI_LANGUAGE "Spanish"

LangString RunBaton ${LANG_ENGLISH} "Start Baton"
LangString RunBaton ${LANG_RUSSIAN} "Запустить Baton"
LangString RunBaton ${LANG_SPANISH} "Abrir Baton"
LangString Needs64Bit ${LANG_ENGLISH} "Baton needs 64-bit Windows 10 or 11."
LangString Needs64Bit ${LANG_RUSSIAN} "Для Baton нужна 64-разрядная Windows 10 или 11."
LangString Needs64Bit ${LANG_SPANISH} "Baton necesita Windows 10 u 11 de 64 bits."
LangString WebView2Missing ${LANG_ENGLISH} "Baton shows its window with Microsoft Edge WebView2, which is not on this computer.$\r$\n$\r$\nDownload it from Microsoft and install it now? (About 2 MB; Baton checks that Microsoft signed it.)"
LangString WebView2Missing ${LANG_RUSSIAN} "Окно Baton показывается с помощью Microsoft Edge WebView2, а его на этом компьютере нет.$\r$\n$\r$\nСкачать его с сайта Microsoft и установить сейчас? (Около 2 МБ; Baton проверит, что файл подписан Microsoft.)"
LangString WebView2Missing ${LANG_SPANISH} "Baton muestra su ventana con Microsoft Edge WebView2, que no está en este equipo.$\r$\n$\r$\n¿Descargarlo de Microsoft e instalarlo ahora? (Unos 2 MB; Baton comprueba que Microsoft lo firmó.)"
LangString WebView2Later ${LANG_ENGLISH} "Baton is installed, but its window cannot open until Microsoft Edge WebView2 is installed. Get it from Microsoft's page: https://developer.microsoft.com/microsoft-edge/webview2/"
LangString WebView2Later ${LANG_RUSSIAN} "Baton установлен, но его окно не откроется, пока не установлен Microsoft Edge WebView2. Его можно скачать на странице Microsoft: https://developer.microsoft.com/microsoft-edge/webview2/"
LangString WebView2Later ${LANG_SPANISH} "Baton está instalado, pero su ventana no se abrirá hasta que se instale Microsoft Edge WebView2. Descárguelo de la página de Microsoft: https://developer.microsoft.com/microsoft-edge/webview2/"
LangString WebView2NotSigned ${LANG_ENGLISH} "The WebView2 download was not signed by Microsoft, so it was deleted and not run."
LangString WebView2NotSigned ${LANG_RUSSIAN} "Скачанный WebView2 не подписан Microsoft, поэтому он удалён и не запускался."
LangString WebView2NotSigned ${LANG_SPANISH} "La descarga de WebView2 no estaba firmada por Microsoft, así que se borró sin ejecutarla."
LangString JournalKept ${LANG_ENGLISH} "A move to a new antivirus was started with Baton and has not finished. Its record was kept in $LOCALAPPDATA\Baton\migration.json, so that a new copy of Baton can finish it."
LangString JournalKept ${LANG_RUSSIAN} "Переход на новый антивирус, начатый в Baton, не завершён. Его запись сохранена в $LOCALAPPDATA\Baton\migration.json, чтобы новая копия Baton могла его закончить."
LangString JournalKept ${LANG_SPANISH} "Un cambio de antivirus empezado con Baton no ha terminado. Su registro se guardó en $LOCALAPPDATA\Baton\migration.json para que una nueva copia de Baton pueda terminarlo."

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "$(Needs64Bit)" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

; Explorer starts what it is asked to open with the signed-in user's own
; rights, not the installer's administrator ones.
Function StartBatonAsUser
  Exec '"$WINDIR\explorer.exe" "$INSTDIR\baton-app.exe"'
FunctionEnd

Section "Baton" SecBaton
  SetShellVarContext all
  SetOutPath "$INSTDIR"
  File "${SOURCE}\baton-app.exe"
  File "${SOURCE}\baton.exe"
  File "${SOURCE}\WebView2Loader.dll"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\baton-app.exe" "" "$INSTDIR\baton-app.exe" 0

  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\baton-app.exe,0"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" "$0"

  Call WebView2
SectionEnd

; WebView2: present on Windows 11 and current Windows 10. When it is not,
; offer Microsoft's bootstrapper, fetched over HTTPS by Windows' own curl,
; into the install folder (only administrators can write there, so it cannot
; be swapped), run only when PowerShell's Authenticode check says Microsoft
; signed it.
Function WebView2
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\${WEBVIEW2_CLIENT}" "pv"
  ${If} $0 == ""
    ReadRegStr $0 HKCU "${WEBVIEW2_CLIENT}" "pv"
  ${EndIf}
  ${If} $0 != ""
  ${AndIf} $0 != "0.0.0.0"
    Return
  ${EndIf}
  ; A silent install cannot ask: it says what is missing in its log.
  MessageBox MB_YESNO|MB_ICONEXCLAMATION "$(WebView2Missing)" /SD IDNO IDYES fetch
  DetailPrint "$(WebView2Later)"
  Return
fetch:
  StrCpy $1 "$INSTDIR\MicrosoftEdgeWebview2Setup.exe"
  nsExec::ExecToLog '"$SYSDIR\curl.exe" --fail --silent --show-error --location --proto =https --output "$1" "${WEBVIEW2_BOOTSTRAPPER}"'
  Pop $0
  ${If} $0 != 0
    Delete "$1"
    MessageBox MB_OK|MB_ICONEXCLAMATION "$(WebView2Later)" /SD IDOK
    Return
  ${EndIf}
  nsExec::ExecToStack '"$SYSDIR\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -NonInteractive -Command "$$s = Get-AuthenticodeSignature -LiteralPath $\'$1$\'; if ($$s.Status -eq $\'Valid$\' -and $$s.SignerCertificate.Subject -match $\'(^|, )O=Microsoft Corporation(,|$$)$\') { exit 0 } else { exit 1 }"'
  Pop $0
  Pop $2
  ${If} $0 != 0
    Delete "$1"
    MessageBox MB_OK|MB_ICONSTOP "$(WebView2NotSigned)$\r$\n$\r$\n$(WebView2Later)" /SD IDOK
    Return
  ${EndIf}
  ExecWait '"$1" /silent /install' $0
  Delete "$1"
  ${If} $0 != 0
    MessageBox MB_OK|MB_ICONEXCLAMATION "$(WebView2Later)" /SD IDOK
  ${EndIf}
FunctionEnd

; Whether the journal at $0 records a finished move: 1 or 0 in $0. The
; journal is pretty-printed JSON whose top-level "finished_at" is a date
; once the move is over (crates/baton-core/src/migrate/journal.rs).
Function un.JournalFinished
  StrCpy $2 0
  FileOpen $1 "$0" r
  ${If} $1 == ""
    StrCpy $0 0
    Return
  ${EndIf}
  ${Do}
    ; The error flag is sticky: clear what earlier commands left in it.
    ClearErrors
    FileRead $1 $3
    ${If} ${Errors}
      ${Break}
    ${EndIf}
    StrCpy $4 $3 18
    ${If} $4 == '  "finished_at": "'
      StrCpy $2 1
      ${Break}
    ${EndIf}
  ${Loop}
  FileClose $1
  StrCpy $0 $2
FunctionEnd

Section "Uninstall"
  SetShellVarContext all
  Delete "$INSTDIR\baton-app.exe"
  Delete "$INSTDIR\baton.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\MicrosoftEdgeWebview2Setup.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DeleteRegValue HKLM "${RUN_ONCE_KEY}" "${RESUME_VALUE}"

  ; What the app wrote for the person who used it.
  SetShellVarContext current
  DeleteRegValue HKCU "${RUN_KEY}" "${RUN_VALUE}"
  DeleteRegValue HKCU "${STARTUP_APPROVED_KEY}" "${RUN_VALUE}"
  DeleteRegValue HKCU "${RUN_ONCE_KEY}" "${RESUME_VALUE}"
  RMDir /r "$APPDATA\${IDENTIFIER}"
  RMDir /r "$LOCALAPPDATA\${IDENTIFIER}"
  StrCpy $0 "$LOCALAPPDATA\Baton\migration.json"
  ${If} ${FileExists} "$0"
    Call un.JournalFinished
  ${Else}
    StrCpy $0 1
  ${EndIf}
  ${If} $0 == 1
    RMDir /r "$LOCALAPPDATA\Baton"
  ${Else}
    ; Keep the journal, and only the journal: downloads and the rest go.
    RMDir /r "$LOCALAPPDATA\Baton\downloads"
    DetailPrint "$(JournalKept)"
    MessageBox MB_OK|MB_ICONINFORMATION "$(JournalKept)" /SD IDOK
  ${EndIf}
SectionEnd
