#!/usr/bin/env bash
# Baton's winget manifests for the installer in target/windows (see winget/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(jq -r .version src-tauri/tauri.conf.json)
setup="target/windows/Baton_${version}_x64-setup.exe"
[ -f "$setup" ] || { echo "winget-manifest: no $setup (run make bundle-windows)"; exit 1; }
sha=$(sha256sum "$setup" | cut -d' ' -f1 | tr a-f A-F)
out="target/windows/winget/manifests/b/Baton/Baton/$version"
rm -rf "$out"
mkdir -p "$out"
schema=1.28.0
id=Baton.Baton
publisher="The Baton developers"
header() { printf '# yaml-language-server: $schema=https://aka.ms/winget-manifest.%s.%s.schema.json\n' "$1" "$schema"; }

{ header version
cat <<YAML
PackageIdentifier: $id
PackageVersion: $version
DefaultLocale: en-US
ManifestType: version
ManifestVersion: $schema
YAML
} > "$out/$id.yaml"

{ header installer
cat <<YAML
PackageIdentifier: $id
PackageVersion: $version
InstallerType: nullsoft
Scope: machine
InstallModes:
- interactive
- silent
InstallerSwitches:
  Silent: /S
  SilentWithProgress: /S
UpgradeBehavior: install
ElevationRequirement: elevatesSelf
Dependencies:
  PackageDependencies:
  - PackageIdentifier: Microsoft.EdgeWebView2Runtime
AppsAndFeaturesEntries:
- DisplayName: Baton
  Publisher: $publisher
  DisplayVersion: $version
Installers:
- Architecture: x64
  InstallerUrl: https://example.invalid/baton/releases/download/v$version/Baton_${version}_x64-setup.exe
  InstallerSha256: $sha
ManifestType: installer
ManifestVersion: $schema
YAML
} > "$out/$id.installer.yaml"

locale() { # tag kind short description
  { header "$2"
  cat <<YAML
PackageIdentifier: $id
PackageVersion: $version
PackageLocale: $1
Publisher: $publisher
PackageName: Baton
License: MIT OR Apache-2.0
ShortDescription: $3
Description: $4
Tags:
- antivirus
- kaspersky
- migration
ManifestType: $2
ManifestVersion: $schema
YAML
  } > "$out/$id.locale.$1.yaml"
}
locale en-US defaultLocale "Move your computer's protection off Kaspersky, safely." \
  "Baton finds Kaspersky and other security products, explains the US ban, helps choose a replacement, and hands protection over with no gap."
locale ru-RU locale "Безопасно перевести защиту компьютера с Kaspersky на другой антивирус." \
  "Baton находит Kaspersky и другие защитные программы, объясняет запрет в США, помогает выбрать замену и передаёт защиту без перерыва."
locale es-ES locale "Cambie la protección de su equipo de Kaspersky a otro antivirus, con seguridad." \
  "Baton encuentra Kaspersky y otros productos de seguridad, explica la prohibición en EE. UU., ayuda a elegir un reemplazo y traspasa la protección sin interrupciones."
/usr/bin/python3 scripts/winget-check.py "$out" "$setup" "$version"
