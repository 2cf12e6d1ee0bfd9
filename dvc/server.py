"""uvicorn's httptools protocol with a limit on a request's head (request line and headers): past
REQUEST_HEADERS_MAX_BYTES (32 kB) the answer is 431 and the connection closes. uvicorn itself has none for
httptools (a 200 kB header was accepted), and llhttp keeps buffering a header that never ends.

Started by `--http dvc.server:HttpToolsProtocol` (Procfile, Dockerfile, harness). It reads the limit from the
environment, not Django's settings: uvicorn loads it before the app.
"""
from __future__ import annotations

import os

import httptools
from uvicorn.protocols.http import httptools_impl

MAX_HEAD_BYTES = int(os.environ.get("REQUEST_HEADERS_MAX_BYTES", 32 * 1024))
BODY = b"Request header fields too large."


class HeadTooLarge(Exception):
    pass


class HttpToolsProtocol(httptools_impl.HttpToolsProtocol):
    _head_bytes = 0  # the head's bytes the parser has handed over (request line and complete headers)
    _unfinished = 0  # raw bytes received while the head is still unfinished
    _in_head = True

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_bytes, self._unfinished, self._in_head = 0, 0, True

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)  # "name: value\r\n"
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def _count(self, n: int) -> None:
        self._head_bytes += n
        if self._head_bytes > MAX_HEAD_BYTES:
            raise HeadTooLarge

    def data_received(self, data: bytes) -> None:
        """uvicorn's, with the head's limit: counted per header as the parser completes each, and on the raw
        bytes of a head still unfinished (one header that never ends is buffered by the parser, unseen)."""
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        except httptools.HttpParserError as exc:
            if isinstance(exc.__context__, HeadTooLarge) or isinstance(exc.__cause__, HeadTooLarge):
                self._send_431()
                return
            msg = "Invalid HTTP request received."
            self.logger.warning(msg)
            self.send_400_response(msg)
            return
        if self._in_head:
            self._unfinished += len(data)
            if self._unfinished > MAX_HEAD_BYTES:
                self._send_431()

    def _send_431(self) -> None:
        content = [b"HTTP/1.1 431 Request Header Fields Too Large\r\n"]
        for name, value in self.server_state.default_headers:
            content.extend([name, b": ", value, b"\r\n"])
        content.extend([b"content-type: text/plain; charset=utf-8\r\n",
                        b"content-length: " + str(len(BODY)).encode() + b"\r\n", b"connection: close\r\n", b"\r\n",
                        BODY])
        self.transport.write(b"".join(content))
        self.transport.close()
