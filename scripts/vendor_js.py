#!/usr/bin/env python3
"""Put the browser libraries we take from npm under static/vendor/ (served by our own server: no CDN).

package.json names them, package-lock.json pins each version and its sha512; this script copies the files
the pages load (FILES) and the licence next to them. With npm on the machine it runs `npm ci`; without it, it
fetches the same tarball from the npm registry (NPM_CONFIG_REGISTRY, default registry.npmjs.org) and checks it
against the lock's integrity before reading a byte of it. Idempotent: a stamp holds what was installed.

Usage: python3 scripts/vendor_js.py        (bootstrap.sh and the Dockerfile call it)
"""
import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "static" / "vendor"
# package -> the files of it the pages load, and where (under static/vendor/<package>/).
FILES = {"jsqr": ["dist/jsQR.js", "LICENSE"]}


def main() -> int:
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    wanted = {name: lock[f"node_modules/{name}"] for name in FILES}
    stamp = VENDOR / "installed.json"
    if stamp.exists() and json.loads(stamp.read_text()) == wanted and _all_there():
        return 0
    npm = shutil.which("npm")
    if npm:
        command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 (fixed arguments)
        for name, files in FILES.items():
            for file in files:
                _put(name, file, (ROOT / "node_modules" / name / file).read_bytes())
    else:
        registry = os.environ.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org").rstrip("/")
        if not registry.startswith(("https://", "http://")):
            print("vendor_js: NPM_CONFIG_REGISTRY must be an http(s) URL", file=sys.stderr)
            return 1
        for name, entry in wanted.items():
            data = urllib.request.urlopen(f"{registry}/{name}/-/{name}-{entry['version']}.tgz", timeout=60).read()  # noqa: S310
            algorithm, _, digest = entry["integrity"].partition("-")
            if base64.b64encode(hashlib.new(algorithm, data).digest()).decode() != digest:
                print(f"vendor_js: {name} {entry['version']} does not match package-lock.json", file=sys.stderr)
                return 1
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
                for file in FILES[name]:
                    _put(name, file, archive.extractfile(f"package/{file}").read())
    stamp.write_text(json.dumps(wanted, indent=1))
    print("vendor_js: " + ", ".join(f"{n} {e['version']}" for n, e in wanted.items()) + " -> static/vendor/")
    return 0


def _all_there() -> bool:
    return all((VENDOR / name / Path(file).name).exists() for name, files in FILES.items() for file in files)


def _put(name: str, file: str, data: bytes) -> None:
    target = VENDOR / name / Path(file).name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


if __name__ == "__main__":
    sys.exit(main())
