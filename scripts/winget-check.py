#!/usr/bin/env python3
"""Checks Baton's winget manifests: each parses, has what schema 1.28.0
requires of its kind, and agrees with the installer and with
installer/windows/baton.nsi. Usage: winget-check.py DIR SETUP VERSION"""
import hashlib
import pathlib
import re
import sys

import yaml

REQUIRED = {
    "version": ["PackageIdentifier", "PackageVersion", "DefaultLocale", "ManifestType", "ManifestVersion"],
    "installer": ["PackageIdentifier", "PackageVersion", "Installers", "ManifestType", "ManifestVersion"],
    "defaultLocale": ["PackageIdentifier", "PackageVersion", "PackageLocale", "Publisher", "PackageName",
                      "License", "ShortDescription", "ManifestType", "ManifestVersion"],
    "locale": ["PackageIdentifier", "PackageVersion", "PackageLocale", "ManifestType", "ManifestVersion"],
}
ID = re.compile(r"^[^.\s\\/:*?\"<>|\x01-\x1f]{1,32}(\.[^.\s\\/:*?\"<>|\x01-\x1f]{1,32}){1,7}$")


def fail(why: str) -> None:
    sys.exit(f"winget-check FAILED: {why}")


def main() -> None:
    folder, setup, version = pathlib.Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    manifests = {}
    for path in sorted(folder.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        kind = doc.get("ManifestType")
        if kind not in REQUIRED:
            fail(f"{path.name}: unknown ManifestType {kind!r}")
        missing = [k for k in REQUIRED[kind] if k not in doc]
        if missing:
            fail(f"{path.name}: missing {missing}")
        if doc["ManifestVersion"] != "1.28.0" or doc["PackageVersion"] != version or not ID.match(doc["PackageIdentifier"]):
            fail(f"{path.name}: identifier, version or schema version is off")
        manifests.setdefault(kind, []).append(doc)
    if {k: len(v) for k, v in manifests.items()} != {"version": 1, "installer": 1, "defaultLocale": 1, "locale": 2}:
        fail(f"expected one version, installer and default locale and two locales, found {manifests.keys()}")
    installer = manifests["installer"][0]
    (entry,) = installer["Installers"]
    sha = hashlib.sha256(pathlib.Path(setup).read_bytes()).hexdigest().upper()
    if entry["InstallerSha256"] != sha or entry["Architecture"] != "x64":
        fail("the installer entry does not match the built installer")
    nsi = pathlib.Path("installer/windows/baton.nsi").read_text(encoding="utf-8")
    publisher = re.search(r'!define PUBLISHER "([^"]+)"', nsi).group(1)
    arp = installer["AppsAndFeaturesEntries"][0]
    if (arp["DisplayName"], arp["Publisher"], arp["DisplayVersion"]) != ("Baton", publisher, version):
        fail("AppsAndFeaturesEntries does not match what the installer writes")
    if installer["Scope"] != "machine" or installer["InstallerSwitches"]["Silent"] != "/S":
        fail("scope or silent switch does not match the installer")
    locales = sorted(d["PackageLocale"] for d in manifests["locale"] + manifests["defaultLocale"])
    if locales != ["en-US", "es-ES", "ru-RU"]:
        fail(f"locales {locales}")
    print(f"winget-check: {len(list(folder.glob('*.yaml')))} manifests for Baton {version} agree with the installer")


if __name__ == "__main__":
    main()
