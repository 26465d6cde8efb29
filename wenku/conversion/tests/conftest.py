"""Fixtures for conversion tests: real LibreOffice, samples written per test."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from wenku.conversion import office, pipeline, sniff
from wenku.conversion.base import Artifact, Context
from wenku.conversion.tests import samples


@pytest.fixture(scope="session", autouse=True)
def _stop_pools_at_end() -> Iterator[None]:
    yield
    office.close_pools()


@pytest.fixture
def ctx(soffice: str) -> Context:
    return Context(pool_size=2, job_timeout=60, ocr_page_timeout=30)


@pytest.fixture
def convert(ctx: Context, tmp_path: Path):
    """Run a sample through sniffing and the pipeline, as an upload would."""

    def _convert(path: Path, context: Context | None = None) -> Artifact:
        file_type = sniff.detect(path, path.suffix.lstrip(".").lower())
        assert file_type is not None, f"{path.name} was not recognised"
        workdir = tmp_path / f"job-{path.name}"
        workdir.mkdir()
        return pipeline.run(context or ctx, path, file_type, workdir)

    return _convert


@pytest.fixture
def canary() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 that records every request it gets."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(samples.png_bytes())

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()


def lo_convert(source: Path, fmt: str) -> Path:
    """Have LibreOffice write `source` in another format (e.g. doc from docx)."""
    target = office.convert_with_soffice_cli(source, source.parent, timeout=60, fmt=fmt)
    assert target.exists(), f"LibreOffice did not write {target.name}"
    return target
