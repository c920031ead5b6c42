"""Clinic accounts: clinicians, patients invited by a one-time link, and sign-ins.

Passwords are hashed with argon2id (``argon2-cffi``); invite links and sign-in cookies are
256-bit random tokens of which only the SHA-256 is stored, so a copy of the database does not
let anyone in. Every function takes an open SQLAlchemy session and ``now`` (no clock here).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from glutecoach.errors import InputError
from glutecoach.inputs import clean_person_name
from glutecoach.store import repository as repo
from glutecoach.store.clinic_tables import (
    CLINICIAN,
    PATIENT,
    ClinicAccountRow,
    ClinicInviteRow,
    ClinicLoginRow,
)

MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1024
MAX_EMAIL_CHARS = 254
INVITE_DAYS = 7
LOGIN_HOURS = 12
_HASHER = PasswordHasher()
# Verified against when an e-mail is unknown, so a wrong address costs as long as a wrong
# password (no account enumeration by timing).
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


class InvalidInvite(InputError):
    """An invite token that is unknown, used or expired."""


@dataclass(frozen=True)
class Account:
    """Who is signed in: a clinician, or a patient and the person record that is theirs."""

    id: int
    email: str
    role: str
    person_id: int | None
    clinician_id: int | None

    @property
    def is_clinician(self) -> bool:
        return self.role == CLINICIAN


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_email(email: str) -> str:
    """The e-mail address trimmed and lower-cased; a clear message when it cannot be one."""
    cleaned = email.strip().lower()
    local, at, domain = cleaned.partition("@")
    if (
        not at
        or not local
        or "." not in domain
        or "@" in domain
        or len(cleaned) > MAX_EMAIL_CHARS
        or any(c.isspace() or not c.isprintable() for c in cleaned)
    ):
        raise InputError(f"email: {email[:80]!r} is not an e-mail address (like kim@example.org)")
    return cleaned


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_CHARS:
        raise InputError(f"password: use at least {MIN_PASSWORD_CHARS} characters")
    if len(password) > MAX_PASSWORD_CHARS:
        raise InputError(f"password: at most {MAX_PASSWORD_CHARS} characters")
    return password


def _account(row: ClinicAccountRow) -> Account:
    return Account(row.id, row.email, row.role, row.person_id, row.clinician_id)


def _refuse_taken_email(db: Session, email: str) -> None:
    if db.scalar(select(ClinicAccountRow.id).where(ClinicAccountRow.email == email)) is not None:
        raise InputError(f"email: an account for {email} already exists")


def create_clinician(db: Session, email: str, password: str, now: dt.datetime) -> Account:
    email = check_email(email)
    _refuse_taken_email(db, email)
    row = ClinicAccountRow(
        email=email,
        role=CLINICIAN,
        password_hash=_HASHER.hash(check_password(password)),
        created_at=now,
    )
    db.add(row)
    db.flush()
    return _account(row)


def invite_patient(
    db: Session, clinician_id: int, email: str, name: str, now: dt.datetime
) -> tuple[Account, str]:
    """A patient account (no password yet) with its own person record, and the invite token.

    The token is returned once, to be sent to the patient as a link; only its hash is kept.
    """
    email = check_email(email)
    name = clean_person_name(name, "name")
    _refuse_taken_email(db, email)
    if repo.person_id(db, name) is not None:
        raise InputError(f"name: a record named {name!r} already exists; choose another name")
    person_id = repo.ensure_person(db, name, now=now)
    row = ClinicAccountRow(
        email=email, role=PATIENT, person_id=person_id, clinician_id=clinician_id, created_at=now
    )
    db.add(row)
    db.flush()
    token = secrets.token_urlsafe(32)
    db.add(
        ClinicInviteRow(
            token_hash=token_hash(token),
            account_id=row.id,
            expires_at=now + dt.timedelta(days=INVITE_DAYS),
        )
    )
    return _account(row), token


def accept_invite(db: Session, token: str, password: str, now: dt.datetime) -> Account:
    """Set the patient's password; the link then stops working (used or expired: refused)."""
    check_password(password)
    invite = db.scalar(
        select(ClinicInviteRow).where(ClinicInviteRow.token_hash == token_hash(token))
    )
    if invite is None or invite.used_at is not None or invite.expires_at < now:
        raise InvalidInvite(
            "this invite link is not valid any more (used, expired or mistyped): ask your "
            "clinician for a new one"
        )
    invite.used_at = now
    account = db.get(ClinicAccountRow, invite.account_id)
    assert account is not None
    account.password_hash = _HASHER.hash(password)
    return _account(account)


def verify_password(db: Session, email: str, password: str) -> Account | None:
    """The account when the e-mail and password match, else None (same cost either way).

    Something that cannot be an e-mail address (a NUL byte, say, which PostgreSQL refuses in
    text) matches no account without reaching the database."""
    try:
        address: str | None = check_email(email)
    except InputError:
        address = None
    row = None
    if address is not None:
        row = db.scalar(select(ClinicAccountRow).where(ClinicAccountRow.email == address))
    stored = row.password_hash if row is not None and row.password_hash else _DUMMY_HASH
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row.password_hash:
        return None
    if _HASHER.check_needs_rehash(row.password_hash):
        row.password_hash = _HASHER.hash(password)
    return _account(row)


def start_login(db: Session, account: Account, now: dt.datetime) -> str:
    """A new sign-in cookie value for ``account`` (stored hashed, valid LOGIN_HOURS)."""
    token = secrets.token_urlsafe(32)
    db.execute(delete(ClinicLoginRow).where(ClinicLoginRow.expires_at < now))
    db.add(
        ClinicLoginRow(
            token_hash=token_hash(token),
            account_id=account.id,
            expires_at=now + dt.timedelta(hours=LOGIN_HOURS),
        )
    )
    return token


def signed_in(db: Session, cookie: str, now: dt.datetime) -> Account | None:
    login = db.get(ClinicLoginRow, token_hash(cookie))
    if login is None or login.expires_at < now:
        return None
    row = db.get(ClinicAccountRow, login.account_id)
    return None if row is None else _account(row)


def end_login(db: Session, cookie: str) -> None:
    db.execute(delete(ClinicLoginRow).where(ClinicLoginRow.token_hash == token_hash(cookie)))


def find_clinician(db: Session, email: str) -> Account:
    row = db.scalar(
        select(ClinicAccountRow).where(
            ClinicAccountRow.email == email.strip().lower(), ClinicAccountRow.role == CLINICIAN
        )
    )
    if row is None:
        raise InputError(
            f"--clinician: no clinician {email!r}; add one with `glutecoach clinic add-clinician`"
        )
    return _account(row)
