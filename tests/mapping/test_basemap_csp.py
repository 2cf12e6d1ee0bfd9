"""The Content-Security-Policy lets pages load map images from where the base map is, and nowhere else."""
import subprocess
import sys

import pytest

from harness.stack import ROOT
from tests.foundation.test_settings import PRODUCTION_ENV

pytestmark = pytest.mark.smoke

GSI = "https://cyberjapandata.gsi.go.jp"


def img_src(tmp_path, **env) -> list[str]:
    code = ("import django;django.setup();from django.conf import settings as s;"
            "print(' '.join(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**PRODUCTION_ENV, "VAR_DIR": str(tmp_path), **env})
    assert out.returncode == 0, out.stderr
    return out.stdout.split()


def test_the_tile_server_is_allowed_only_while_maps_use_it(tmp_path):
    assert img_src(tmp_path) == ["'self'", "data:", "blob:", GSI]
    assert img_src(tmp_path, TILE_URL="https://{s}.tiles.lan.example:8443/{z}/{x}/{y}.png")[-1] == (
        "https://a.tiles.lan.example:8443")
    assert img_src(tmp_path, TILE_URL="") == ["'self'", "data:", "blob:"]
    assert img_src(tmp_path, TILE_MBTILES="/srv/region.mbtiles") == ["'self'", "data:", "blob:"]
    (tmp_path / "basemap").mkdir()
    (tmp_path / "basemap" / "basemap.mbtiles").write_bytes(b"")  # placed by load_basemap
    assert img_src(tmp_path) == ["'self'", "data:", "blob:"]
