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


# --- faults -------------------------------------------------------------------------------------------------------
def closed_port() -> int:
    """A port nothing listens on: every connection is refused (the mail server down)."""
    from harness import free_port

    return free_port()


class SlowAnswer(Inbox):
    """Takes the content (counted as delivered: a relay would pass it on) and answers 250 only after `delay`
    seconds: past the client's EMAIL_TIMEOUT the answer is lost to it. A huge delay never answers."""

    def __init__(self, delay: float):
        super().__init__()
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        self.envelopes.append(envelope)
        await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"


class HoldAfterData(Inbox):
    """Takes the content, then holds its 250 until `release` is set (the test kills the worker meanwhile):
    `accepted` is set once the content is in (delivered)."""

    def __init__(self):
        import threading

        super().__init__()
        self.accepted, self.release = threading.Event(), threading.Event()

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        self.envelopes.append(envelope)
        self.accepted.set()
        while not self.release.is_set():
            await asyncio.sleep(0.1)
        return "250 Message accepted for delivery"


class AnswersData(Inbox):
    """Refuses the content with the given reply ("554 5.6.0 rejected", "451 4.3.0 try later"), counting none."""

    def __init__(self, reply: str):
        super().__init__()
        self.reply = reply
        self.tries = 0

    async def handle_DATA(self, server, session, envelope):
        self.tries += 1
        return self.reply


class SlowRcpt(Inbox):
    """Takes its time over RCPT TO (so two senders of one mail overlap in the envelope phase)."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        import asyncio

        await asyncio.sleep(0.5)
        envelope.rcpt_tos.append(address)
        return "250 OK"


def serve(handler, port):
    """Start `handler` on 127.0.0.1:port; returns the controller (stop it when done)."""
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller
