; The Windows lab's stand-in for a replacement antivirus's installer
; (scripts/windows-lab.sh). Posing as ESET Security, it:
;   - appends "ran" to C:\lab\installer.log every time it runs;
;   - waits for C:\lab\installer-go while C:\lab\installer-hold exists (so the
;     lab can kill baton.exe during the install step);
;   - exits with the code in C:\lab\installer-exit.txt (0 when absent);
;   - on 0 or 3010, installs: an Uninstall entry and an ekrn service named
;     like ESET's, and ekrn.exe started at logon (HKLM Run); on 0 it also
;     starts ekrn.exe now, on 3010 only the restart does.
; Built with -DEKRN=<path of ekrn.exe> -DOUTFILE=<setup>; signed afterwards.
Unicode true
Target amd64-unicode
RequestExecutionLevel admin
SilentInstall silent
Name "ESET Security (Baton lab)"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\ESET Lab"

!include "LogicLib.nsh"

Section
  SetRegView 64
  CreateDirectory "C:\lab"
  FileOpen $0 "C:\lab\installer.log" a
  FileSeek $0 0 END
  FileWrite $0 "ran$\r$\n"
  FileClose $0
  ${If} ${FileExists} "C:\lab\installer-hold"
    ${DoUntil} ${FileExists} "C:\lab\installer-go"
      Sleep 100
    ${Loop}
  ${EndIf}
  StrCpy $1 0
  ${If} ${FileExists} "C:\lab\installer-exit.txt"
    FileOpen $0 "C:\lab\installer-exit.txt" r
    FileRead $0 $1
    FileClose $0
    IntOp $1 $1 + 0
  ${EndIf}
  ${If} $1 == 0
  ${OrIf} $1 == 3010
    SetOutPath "$INSTDIR"
    File "/oname=ekrn.exe" "${EKRN}"
    WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\ESETLab" "DisplayName" "ESET Security"
    WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\ESETLab" "Publisher" "ESET, spol. s r.o."
    WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\ESETLab" "DisplayVersion" "18.0.12.0"
    WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Uninstall\ESETLab" "UninstallString" '"$INSTDIR\ekrn.exe"'
    WriteRegDWORD HKLM "SYSTEM\CurrentControlSet\Services\ekrn" "Type" 16
    WriteRegStr HKLM "SYSTEM\CurrentControlSet\Services\ekrn" "DisplayName" "ESET Service"
    WriteRegStr HKLM "SYSTEM\CurrentControlSet\Services\ekrn" "ImagePath" '"$INSTDIR\ekrn.exe"'
    WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Run" "ESET Lab" '"$INSTDIR\ekrn.exe"'
    ${If} $1 == 0
      Exec '"$INSTDIR\ekrn.exe"'
    ${EndIf}
  ${EndIf}
  SetErrorLevel $1
SectionEnd
