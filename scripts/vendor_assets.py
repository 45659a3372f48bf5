#!/usr/bin/env python3
"""Copy exactly the front-end files Tawasul serves from node_modules/ into static/vendor/.

Run by `make vendor` after `npm ci`. The result is committed, so installing and running Tawasul
needs no Node and no CDN (issue 2, item 4; ARCHITECTURE.md §1 "CSS/JS assets" and "Fonts").

- Bootstrap: the LTR and RTL stylesheets and the JS bundle (Popper included, so its licence too).
- Noto Naskh Arabic 400/700 and Noto Sans Tifinagh 400: the woff2 files of the subsets our pages
  use (Arabic + Latin; Tifinagh + Latin). `static/css/tawasul.css` declares their @font-face.
- Each package's licence next to its files, and VERSIONS.txt naming what was copied.

The trailing `sourceMappingURL` comments are dropped: we do not ship the .map files, and
Django's manifest storage (collectstatic) fails on a reference to a missing file.
The installed versions must equal the pins in package.json, else the script stops.
"""

import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"

# (package, source path inside the package, destination inside static/vendor/)
FILES = [
    ("bootstrap", "dist/css/bootstrap.min.css", "bootstrap/css/bootstrap.min.css"),
    ("bootstrap", "dist/css/bootstrap.rtl.min.css", "bootstrap/css/bootstrap.rtl.min.css"),
    ("bootstrap", "dist/js/bootstrap.bundle.min.js", "bootstrap/js/bootstrap.bundle.min.js"),
    ("bootstrap", "LICENSE", "bootstrap/LICENSE"),
    ("@popperjs/core", "LICENSE.md", "bootstrap/LICENSE-popper.md"),
    *(
        (
            "@fontsource/noto-naskh-arabic",
            f"files/noto-naskh-arabic-{subset}-{weight}-normal.woff2",
            f"fonts/noto-naskh-arabic/noto-naskh-arabic-{subset}-{weight}-normal.woff2",
        )
        for subset in ("arabic", "latin")
        for weight in (400, 700)
    ),
    ("@fontsource/noto-naskh-arabic", "LICENSE", "fonts/noto-naskh-arabic/LICENSE"),
    *(
        (
            "@fontsource/noto-sans-tifinagh",
            f"files/noto-sans-tifinagh-{subset}-400-normal.woff2",
            f"fonts/noto-sans-tifinagh/noto-sans-tifinagh-{subset}-400-normal.woff2",
        )
        for subset in ("tifinagh", "latin")
    ),
    ("@fontsource/noto-sans-tifinagh", "LICENSE", "fonts/noto-sans-tifinagh/LICENSE"),
    # The facilities map (issue 6): Leaflet and its clustering plugin.
    ("leaflet", "dist/leaflet.js", "leaflet/leaflet.js"),
    ("leaflet", "dist/leaflet.css", "leaflet/leaflet.css"),
    *(
        ("leaflet", f"dist/images/{name}", f"leaflet/images/{name}")
        for name in ("layers.png", "layers-2x.png", "marker-icon.png", "marker-icon-2x.png", "marker-shadow.png")
    ),
    ("leaflet", "LICENSE", "leaflet/LICENSE"),
    ("leaflet.markercluster", "dist/leaflet.markercluster.js", "leaflet.markercluster/leaflet.markercluster.js"),
    ("leaflet.markercluster", "dist/MarkerCluster.css", "leaflet.markercluster/MarkerCluster.css"),
    ("leaflet.markercluster", "dist/MarkerCluster.Default.css", "leaflet.markercluster/MarkerCluster.Default.css"),
    ("leaflet.markercluster", "MIT-LICENCE.txt", "leaflet.markercluster/LICENSE"),
]

SOURCE_MAP = re.compile(rb"\n?(/\*# sourceMappingURL=[^*]*\*/|//# sourceMappingURL=\S*)\s*$")


def installed_version(package: str) -> str:
    return json.loads((NODE_MODULES / package / "package.json").read_text())["version"]


def main() -> int:
    pins = json.loads((ROOT / "package.json").read_text())["dependencies"]
    wrong = {name: (pin, installed_version(name)) for name, pin in pins.items() if installed_version(name) != pin}
    if wrong:
        for name, (pin, got) in wrong.items():
            print(f"{name}: package.json pins {pin}, node_modules has {got}; run `npm ci`", file=sys.stderr)
        return 1
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    versions = {}
    for package, source, destination in FILES:
        data = (NODE_MODULES / package / source).read_bytes()
        if source.endswith((".css", ".js")):
            data = SOURCE_MAP.sub(b"\n", data)
        target = VENDOR / destination
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        versions[package] = installed_version(package)
    lines = ["Files copied from the npm registry by scripts/vendor_assets.py (make vendor). Do not edit.", ""]
    lines += [f"{name}@{version}" for name, version in sorted(versions.items())]
    (VENDOR / "VERSIONS.txt").write_text("\n".join(lines) + "\n")
    print(f"static/vendor/: {len(FILES)} files from {', '.join(sorted(versions))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
