"""`feeds mail send`: send the report mails waiting in dba.temailoutbox, each once.

The database decides what is sent and to whom (dba.queue_run_report); this shim only claims due
mail (dba.claim_mail, FOR UPDATE SKIP LOCKED, so two senders never take the same mail), hands it to
the SMTP server over TLS, and confirms (dba.mark_mail_sent) or records the error
(dba.mark_mail_failed: the mail is retried with backoff by a later run).

Configuration (the environment wins over the env file):

  FEEDS_SMTP_HOST        SMTP server; when unset, mail can only be saved with --save-dir
  FEEDS_SMTP_SECURITY    tls (implicit TLS, default) or starttls
  FEEDS_SMTP_PORT        default 465 for tls, 587 for starttls
  FEEDS_SMTP_USER, FEEDS_SMTP_PASSWORD   AUTH credentials (both or neither)
  FEEDS_SMTP_FROM        sender address (required)
  FEEDS_SMTP_CAFILE      PEM file of the CA(s) to trust instead of the system's (a homelab CA)
  FEEDS_SMTP_TIMEOUT     seconds, default 30
  FEEDS_SMTP_ENV_FILE    KEY=VALUE lines with any of the above; must be mode 0600 (no group or
                         other bits), because it holds the password.

The server certificate is always verified (host name included); there is no switch to turn that
off. The password is never printed or logged.

--save-dir DIR is the fallback for a machine without an SMTP server (the runner always passes it):
when no SMTP host is configured, each due mail is written as DIR/<mail_id>.txt, DIR/<mail_id>.html
and DIR/<mail_id>-<attachment name>, and marked sent with a note saying so. With a host, it is unused.

Exit codes: 0 every claimed mail went out (or none was due), 1 a mail failed or the database is
unreachable, 2 bad configuration.
"""
from __future__ import annotations

import argparse
import dataclasses
import email.utils
import os
import smtplib
import ssl
import sys
from email.message import EmailMessage
from pathlib import Path

import psycopg
from psycopg.rows import dict_row

from shims import db, fsutil, logs
from shims.config import ConfigError, read_env_file

err = logs.cli("mail send")
FIELDS = ["host", "security", "port", "user", "password", "from", "cafile", "timeout"]


@dataclasses.dataclass
class SmtpConfig:
    host: str
    port: int
    security: str
    user: str | None
    password: str | None = dataclasses.field(repr=False)
    sender: str
    cafile: str | None
    timeout: float

    def __repr__(self) -> str:  # never print secrets
        return f"SmtpConfig({self.user or '-'}@{self.host}:{self.port} {self.security})"

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port} ({self.security})"


def load_config(env_file: str | None = None, environ: dict | None = None) -> SmtpConfig | None:
    """The SMTP settings, or None when no host is configured. Raises ConfigError when unusable."""
    environ = os.environ if environ is None else environ
    env_file = env_file or environ.get("FEEDS_SMTP_ENV_FILE")
    values = read_env_file(env_file) if env_file else {}
    values.update({k: v for k, v in environ.items() if k.startswith("FEEDS_SMTP_")})
    get = {f: (values.get(f"FEEDS_SMTP_{f.upper()}") or "").strip() or None for f in FIELDS}
    if get["host"] is None:
        return None
    security = (get["security"] or "tls").lower()
    if security not in ("tls", "starttls"):
        raise ConfigError(f"FEEDS_SMTP_SECURITY is {security!r}; use tls (port 465) or starttls (port 587)")
    try:
        port = int(get["port"] or (465 if security == "tls" else 587))
        timeout = float(get["timeout"] or 30)
    except ValueError:
        raise ConfigError("FEEDS_SMTP_PORT must be a number and FEEDS_SMTP_TIMEOUT a number of seconds") from None
    if get["from"] is None or "@" not in get["from"]:
        raise ConfigError("FEEDS_SMTP_FROM (the sender address, e.g. feeds@example.com) is not set")
    if (get["user"] is None) != (get["password"] is None):
        raise ConfigError("set both FEEDS_SMTP_USER and FEEDS_SMTP_PASSWORD, or neither")
    if get["cafile"] is not None and not os.access(get["cafile"], os.R_OK):
        raise ConfigError(f"FEEDS_SMTP_CAFILE {get['cafile']} cannot be read")
    return SmtpConfig(host=get["host"], port=port, security=security, user=get["user"],
                      password=get["password"], sender=get["from"], cafile=get["cafile"], timeout=timeout)


def tls_context(cfg: SmtpConfig) -> ssl.SSLContext:
    """Certificate and host name verification on; with a CA file, only that CA is trusted."""
    ctx = ssl.create_default_context(cafile=cfg.cafile)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def smtp_connect(cfg: SmtpConfig) -> smtplib.SMTP:
    ctx = tls_context(cfg)
    if cfg.security == "tls":
        smtp = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout, context=ctx)
    else:
        smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
        try:
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                raise smtplib.SMTPNotSupportedError("the server does not offer STARTTLS; nothing is sent in clear text")
            smtp.starttls(context=ctx)
            smtp.ehlo()
        except BaseException:
            smtp.close()
            raise
    try:
        if cfg.user:
            smtp.login(cfg.user, cfg.password)
    except BaseException:
        smtp.close()
        raise
    return smtp


def build_message(mail: dict, sender: str) -> EmailMessage:
    """multipart/alternative (text, HTML), inside multipart/mixed when there is a CSV attachment."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ", ".join(mail["recipients"])
    msg["Subject"] = mail["subject"]
    msg["Date"] = email.utils.formatdate(usegmt=True)
    # The same mail keeps the same Message-ID on every attempt.
    msg["Message-ID"] = f"<feeds.{mail['mail_id']}.{mail['run_uuid']}@{sender.rpartition('@')[2]}>"
    msg["X-Feeds-Mail-Id"] = str(mail["mail_id"])
    msg.set_content(mail["body_text"])
    msg.add_alternative(mail["body_html"], subtype="html")
    if mail["attachment_name"]:
        msg.add_attachment(mail["attachment_csv"].encode("utf-8"), maintype="text", subtype="csv",
                           filename=mail["attachment_name"])
    return msg


def describe_error(e: BaseException) -> str:
    text = str(e).strip() or "no detail"
    return f"{type(e).__name__}: {text}"


def claim(conn: psycopg.Connection, limit: int) -> list[dict]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute("SELECT * FROM dba.claim_mail(p_limit => %s)", (limit,)).fetchall()


def mark_sent(conn: psycopg.Connection, mail_id: int, note: str) -> None:
    conn.execute("SELECT dba.mark_mail_sent(p_mail_id => %s, p_note => %s)", (mail_id, note))


def mark_failed(conn: psycopg.Connection, mail_id: int, error: str) -> None:
    conn.execute("SELECT dba.mark_mail_failed(p_mail_id => %s, p_error => %s)", (mail_id, error))


def _write(path: Path, data: bytes) -> None:
    with fsutil.atomic_writer(path, "wb") as f:  # 0660 etl_group, whole or not at all
        f.write(data)


def save_mail(mail: dict, directory: Path) -> None:
    head = f"To: {', '.join(mail['recipients'])}\nSubject: {mail['subject']}\n\n"
    _write(directory / f"{mail['mail_id']}.txt", (head + mail["body_text"]).encode("utf-8"))
    _write(directory / f"{mail['mail_id']}.html", mail["body_html"].encode("utf-8"))
    if mail["attachment_name"]:
        _write(directory / f"{mail['mail_id']}-{mail['attachment_name']}", mail["attachment_csv"].encode("utf-8"))


def send_one(smtp: smtplib.SMTP, conn, cfg: SmtpConfig, mail: dict, log: db.RunLog) -> None:
    refused = smtp.send_message(build_message(mail, cfg.sender), from_addr=cfg.sender,
                                to_addrs=list(mail["recipients"]))
    note = f"sent through {cfg.where}"
    if refused:
        note += "; refused by the server: " + ", ".join(sorted(refused))
    mark_sent(conn, mail["mail_id"], note)
    log.log(f"mail {mail['mail_id']} sent to {len(mail['recipients']) - len(refused)} recipient(s)"
            + (f", {len(refused)} refused" if refused else ""), "warning" if refused else "info")


def send_pending(conn, cfg: SmtpConfig | None, save_dir: Path | None, log: db.RunLog,
                 limit: int | None = None) -> tuple[int, int]:
    """Claim and deliver due mail one at a time (so concurrent senders share the work) over one
    SMTP connection, until none is left, `limit` were handled, or the server cannot be reached."""
    sent = failed = 0
    smtp = None
    try:
        while limit is None or sent + failed < limit:
            mails = claim(conn, 1)
            if not mails:
                break
            mail = mails[0]
            if cfg is None:
                save_mail(mail, save_dir)
                mark_sent(conn, mail["mail_id"], f"saved to {save_dir}, not sent: no SMTP host configured")
                log.log(f"mail {mail['mail_id']} saved to {save_dir} (no SMTP host configured)")
                sent += 1
                continue
            try:
                if smtp is None:
                    smtp = smtp_connect(cfg)
                send_one(smtp, conn, cfg, mail, log)
                sent += 1
            except (OSError, smtplib.SMTPException) as e:
                error = f"{cfg.where}: {describe_error(e)}"
                mark_failed(conn, mail["mail_id"], error)
                failed += 1
                if isinstance(e, (OSError, smtplib.SMTPServerDisconnected, smtplib.SMTPAuthenticationError,
                                  smtplib.SMTPNotSupportedError)) or smtp is None:
                    # The server, the TLS handshake or the login failed: the rest waits for a later run.
                    log.log(f"mail {mail['mail_id']} failed, stopping; due mail stays pending: {error}", "error")
                    break
                log.log(f"mail {mail['mail_id']} failed: {error}", "error")
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
    return sent, failed


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="feeds mail send", description="Send the report mails waiting in dba.temailoutbox.")
    p.add_argument("--save-dir", type=Path, help="without an SMTP host: write each mail to this directory instead")
    p.add_argument("--limit", type=int, help="handle at most this many mails")
    p.add_argument("--env-file", help="KEY=VALUE file with the FEEDS_SMTP_* settings (mode 0600); "
                                      "default $FEEDS_SMTP_ENV_FILE")
    return p


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        cfg = load_config(args.env_file)
    except ConfigError as e:
        err.error(str(e))
        return 2
    if args.limit is not None and args.limit < 1:
        err.error("--limit must be at least 1")
        return 2
    if cfg is None and args.save_dir is None:
        err.error("no SMTP server configured: set FEEDS_SMTP_HOST and FEEDS_SMTP_FROM (and usually "
              "FEEDS_SMTP_USER / FEEDS_SMTP_PASSWORD), e.g. in a mode-0600 file named by FEEDS_SMTP_ENV_FILE; "
              "or pass --save-dir DIR to write the mails to a directory (see docs/reports.md)")
        return 2
    if cfg is None:
        try:
            fsutil.ensure_dir(args.save_dir)  # 2770 etl_group
        except OSError as e:
            err.error(f"cannot use --save-dir {args.save_dir}: {e.strerror}")
            return 2
    try:
        conn = db.connect()
    except psycopg.OperationalError as e:
        err.error(f"database unreachable, nothing sent: {db.describe(e)}")
        return 1
    with conn:
        log = db.RunLog("send_mail", conn=conn)
        try:
            sent, failed = send_pending(conn, cfg, args.save_dir, log, args.limit)
        except psycopg.Error as e:
            err.error(str(db.describe(e)))
            return 1
    if failed:
        err.error(f"{sent} sent, {failed} failed (left pending, retried later)")
    elif sent:
        print(f"mail send: {sent} sent, 0 failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
