"""A private Postfix instance for the soak test: its own configuration, queue and log in a
temporary folder, listening on 127.0.0.1 only. Mail for the forum's domain goes over LMTP to
the forum's servers; mail for the members' domain is delivered into one maildir per member;
anything else is refused (nothing leaves the machine)."""

from __future__ import annotations

import pwd
import shutil
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

POSTFIX = shutil.which("postfix") or "/usr/sbin/postfix"
MASTER_CF = Path("/etc/postfix/master.cf")


def available() -> bool:
    return Path(POSTFIX).exists() and MASTER_CF.exists()


def _master_cf(port: int) -> str:
    """Debian's master.cf with smtpd on 127.0.0.1:PORT and no chroot (the queue is ours)."""
    lines = []
    for line in MASTER_CF.read_text().splitlines():
        fields = line.split()
        if line[:1].strip() and not line.startswith("#") and len(fields) >= 8:  # noqa: PLR2004
            if fields[0] == "smtp" and fields[1] == "inet":
                fields[0] = f"127.0.0.1:{port}"
            fields[4] = "n"
            line = " ".join(fields)
        lines.append(line)
    return "\n".join(lines) + "\n"


def wait_for_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
        except OSError:
            time.sleep(0.2)
        else:
            return
    raise AssertionError(f"nothing listens on 127.0.0.1:{port}")


class Postfix:
    def __init__(
        self,
        folder: Path,
        port: int,
        list_domain: str,
        lmtp_ports: Sequence[int],
        members: Sequence[str],
    ) -> None:
        self.folder, self.port = folder, port
        self.config = folder / "etc"
        self.maildirs = folder / "mail"
        self.list_domain, self.lmtp_ports, self.members = list_domain, lmtp_ports, members
        self.members_domain = members[0].split("@")[1]

    def start(self) -> Postfix:
        self.config.mkdir(parents=True)
        nobody = pwd.getpwnam("nobody")
        self.maildirs.mkdir()
        (self.folder / "queue").mkdir()
        (self.folder / "data").mkdir()
        shutil.chown(self.folder / "data", "postfix")
        shutil.chown(self.maildirs, nobody.pw_uid, nobody.pw_gid)
        hops = ", ".join(f"[127.0.0.1]:{port}" for port in self.lmtp_ports)
        (self.config / "vmailbox").write_text(
            "".join(f"{address} {address.split('@')[0]}/\n" for address in self.members)
        )
        (self.config / "main.cf").write_text(
            "\n".join(
                [
                    "compatibility_level = 3.6",
                    f"queue_directory = {self.folder / 'queue'}",
                    f"data_directory = {self.folder / 'data'}",
                    "maillog_file = /dev/stdout",
                    "inet_interfaces = 127.0.0.1",
                    "inet_protocols = ipv4",
                    "myhostname = postfix.soak.test",
                    "mydestination =",
                    "mynetworks = 127.0.0.0/8",
                    "smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination",
                    f"relay_domains = {self.list_domain}",
                    f"transport_maps = inline:{{ {{{self.list_domain} = lmtp:{hops}}} }}",
                    f"virtual_mailbox_domains = {self.members_domain}",
                    f"virtual_mailbox_base = {self.maildirs}",
                    f"virtual_mailbox_maps = texthash:{self.config / 'vmailbox'}",
                    f"virtual_uid_maps = static:{nobody.pw_uid}",
                    f"virtual_gid_maps = static:{nobody.pw_gid}",
                    "virtual_destination_concurrency_limit = 50",
                    "default_transport = error:this test delivers nothing off the machine",
                    "relay_transport = error:this test delivers nothing off the machine",
                    "smtputf8_enable = no",
                    "biff = no",
                    "message_size_limit = 26214400",
                    "",
                ]
            )
        )
        (self.config / "master.cf").write_text(_master_cf(self.port))
        with (self.folder / "maillog").open("ab") as log:  # `start` leaves no trace of why
            self.master = subprocess.Popen(
                [POSTFIX, "-c", str(self.config), "start-fg"], stdout=log, stderr=log
            )
        wait_for_port(self.port, 60)
        return self

    def stop(self) -> None:
        self._postfix("stop", check=False)
        try:
            self.master.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.master.kill()

    def _postfix(self, command: str, check: bool = True) -> None:
        subprocess.run(
            [POSTFIX, "-c", str(self.config), command],
            check=check,
            capture_output=True,
            timeout=60,
        )

    def delivered(self) -> dict[str, list[Path]]:
        """Each member's delivered files (local part -> files)."""
        return {
            box.name: sorted((box / "new").iterdir())
            for box in self.maildirs.iterdir()
            if (box / "new").is_dir()
        }

    def log(self) -> str:
        path = self.folder / "maillog"
        return path.read_text(errors="replace") if path.exists() else ""
