"""HTTPS for a phone on the same network: a certificate made on this computer, and the address as
a QR code.

Browsers give the camera (getUserMedia) only to secure pages: http://127.0.0.1 counts, a LAN
address such as http://192.168.1.20:8000 does not. ``glutecoach serve --https`` therefore makes a
self-signed certificate for this computer's addresses (kept in the data folder, the key readable
by its owner only, made again when an address changes or it nears its end) and prints its
SHA-256 fingerprint, so the person can check it when the phone's browser asks about it.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
from dataclasses import dataclass
from pathlib import Path

VALID_DAYS = 365
RENEW_BEFORE_DAYS = 30


@dataclass(frozen=True)
class Certificate:
    cert: Path
    key: Path
    fingerprint: str  # SHA-256, colon-separated hex pairs


def lan_address() -> str | None:
    """This computer's address on the local network (no packet is sent), or None offline."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = str(probe.getsockname()[0])
        except OSError:
            return None
    return None if ipaddress.ip_address(address).is_loopback else address


def ensure_certificate(
    folder: Path, hosts: list[str], now: dt.datetime | None = None
) -> Certificate:
    """The certificate for ``hosts`` in ``folder``: the existing one when it still covers them
    and is not about to expire, else a new one (key file mode 0600)."""
    from cryptography import x509

    now = now or dt.datetime.now(dt.UTC)
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "glutecoach-cert.pem", folder / "glutecoach-key.pem"
    wanted = {"localhost", "127.0.0.1", *hosts}
    if cert_path.exists() and key_path.exists():
        current = x509.load_pem_x509_certificate(cert_path.read_bytes())
        fresh = current.not_valid_after_utc - now > dt.timedelta(days=RENEW_BEFORE_DAYS)
        if fresh and wanted <= _names(current):
            return Certificate(cert_path, key_path, _fingerprint(current))
    certificate = _make(cert_path, key_path, sorted(wanted), now)
    return Certificate(cert_path, key_path, _fingerprint(certificate))


def _names(certificate: object) -> set[str]:
    from cryptography import x509

    assert isinstance(certificate, x509.Certificate)
    try:
        san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return set()
    ips = {str(ip) for ip in san.get_values_for_type(x509.IPAddress)}
    return ips | set(san.get_values_for_type(x509.DNSName))


def _make(cert_path: Path, key_path: Path, names: list[str], now: dt.datetime) -> object:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    entries: list[x509.GeneralName] = []
    for name in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "glutecoach on this computer")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(entries), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_bytes = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key_path.touch(mode=0o600, exist_ok=True)
    key_path.chmod(0o600)
    key_path.write_bytes(key_bytes)
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return certificate


def _fingerprint(certificate: object) -> str:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    assert isinstance(certificate, x509.Certificate)
    return certificate.fingerprint(hashes.SHA256()).hex(":").upper()


def qr_text(url: str) -> str:
    """The address as a QR code drawn with text, for the terminal."""
    import io

    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True)
    return out.getvalue()


def phone_instructions(url: str, fingerprint: str, token_hint: str) -> str:
    return (
        f"On your phone (same Wi-Fi), open {url} or scan this code:\n\n{qr_text(url)}\n"
        "The phone's browser will warn that the certificate is not trusted: it was made on this "
        "computer, not by an authority. Check that its SHA-256 fingerprint is\n"
        f"  {fingerprint}\n"
        f"then continue. {token_hint} Prop the phone on the floor, open today's session and tap "
        "'Use camera'. The video goes only to this computer and is not recorded."
    )
