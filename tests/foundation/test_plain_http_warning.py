"""`HOST=0.0.0.0 make run` says loudly that sessions and private links cross the LAN in plain HTTP."""
import subprocess

import pytest

from harness.stack import ROOT

SCRIPT = ROOT / "scripts" / "plain_http_warning.sh"


def warning(*args):
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.10.2"])
def test_a_lan_host_gets_the_warning_and_the_way_to_tls(host):
    text = warning(host, f"http://{host}:8000")
    assert "WARNING: plain HTTP" in text and "UNENCRYPTED" in text
    assert "TLS on a shelter's LAN" in text
    assert "TLS on a shelter's LAN" in (ROOT / "README.md").read_text()  # the section it points to exists


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_loopback_is_quiet(host):
    assert warning(host) == ""


def test_an_https_site_behind_a_local_proxy_is_quiet():
    assert warning("0.0.0.0", "https://vc.internal") == ""


def test_make_run_prints_it():
    run = (ROOT / "scripts" / "run.sh").read_text()
    assert 'scripts/plain_http_warning.sh "$WEB_HOST" "$SITE_URL"' in run
