"""Real SMTP servers for the mail tests: aiosmtpd collecting what it receives, and a black hole that takes the
connection and never answers (a stalled mail server)."""
import socket
import time as clock

from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def wait(self, count=1, timeout=90):
        deadline = clock.monotonic() + timeout
        while len(self.envelopes) < count and clock.monotonic() < deadline:
            clock.sleep(0.2)
        return self.envelopes


def smtp_server(port):
    """(controller, inbox): stop the controller when done."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, inbox


def black_hole(port) -> socket.socket:
    """A listening socket nobody reads: connections complete, the SMTP greeting never comes. Close it when done."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(16)
    return sock


def wait_until(predicate, timeout=60):
    deadline = clock.monotonic() + timeout
    while clock.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        clock.sleep(0.2)
    return predicate()
