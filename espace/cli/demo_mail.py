"""The demo's local mail catcher (aiosmtpd) and the free ports it listens on."""

from __future__ import annotations

import socket
import sys

from aiosmtpd.smtp import SMTP, Envelope, Session


class _Catcher:
    """Keeps the mails the embedded SMTP server receives and says so on the console."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.count += 1
        print(f"  ✉  courriel reçu pour {', '.join(envelope.rcpt_tos)} : voir /dev/mails")
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _listen(host: str, port: int) -> socket.socket | None:
    """The server's listening socket, bound before anything else happens (so a busy port
    leaves the running demo's data alone); None when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        print(
            f"espace demo : le port {port} de {host} est déjà utilisé ({exc.strerror}).\n"
            f"  Port {port} on {host} is already in use: is another demo running?\n"
            f"  Choisissez-en un autre / pick another one : PORT={port + 1} make demo",
            file=sys.stderr,
        )
        return None
    sock.listen(2048)
    return sock
