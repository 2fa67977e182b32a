"""``trustvault-relay``: run the self-hostable relay (the ASGI app of :mod:`.app` under uvicorn).

    trustvault-relay --host 0.0.0.0 --port 8765 --data /var/lib/trustvault-relay \\
                     [--tls-cert fullchain.pem --tls-key privkey.pem] [limit options]
                     [--creation-token-file /etc/trustvault-relay/token]

Behind a reverse proxy that terminates TLS, pass ``--proxy-headers`` so rate limits apply to the
real client address rather than the proxy's. See docs/relay.md for operations.
"""

import argparse
import logging
import os
import re
import sys
from pathlib import Path

import uvicorn

from trustvault.clock import system_clock, system_ticks
from trustvault.relay.app import asgi, open_relay
from trustvault.relay.connections import (
    ACCEPT_BACKLOG,
    FD_RESERVE,
    connection_cap,
    guarded_protocol,
    quiet_client_faults,
    raise_fd_limit,
)
from trustvault.relay.limits import Limits

__all__ = ["main", "parse_args"]

POSTGRES_ENV = "TRUSTVAULT_RELAY_POSTGRES"
_DAY = 86400.0
_TOKEN_FILE_MAX = 4096
_MAX_HEADERS = 16 * 1024  # ours are under 1 KiB; uvicorn's default, stated
_TOKEN = re.compile(r"^[\x21-\x7e]{16,256}$")  # printable ASCII without spaces: fits a header


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    d = Limits()
    p = argparse.ArgumentParser(
        prog="trustvault-relay",
        description="Relay of end-to-end encrypted TrustVault envelopes between paired devices.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port to listen on (default 8765)")
    p.add_argument("--data", type=Path, help="folder for the relay's SQLite database")
    p.add_argument(
        "--postgres",
        metavar="DSN",
        default=os.environ.get(POSTGRES_ENV),
        help="keep mailboxes in this PostgreSQL database instead (a libpq URL or key=value"
        f" string; default ${POSTGRES_ENV}): several relay processes may share it. Keep the"
        " password out of it (PGPASSFILE or a peer-authenticated socket).",
    )
    p.add_argument(
        "--metrics-token-file",
        type=Path,
        metavar="PATH",
        help="serve GET /metrics to scrapers presenting this file's token as a Bearer token",
    )
    p.add_argument("--tls-cert", type=Path, help="PEM certificate chain, to serve HTTPS directly")
    p.add_argument("--tls-key", type=Path, help="PEM private key for --tls-cert")
    p.add_argument(
        "--proxy-headers",
        action="store_true",
        help="trust X-Forwarded-For from --forwarded-allow-ips (behind a reverse proxy)",
    )
    p.add_argument("--forwarded-allow-ips", default="127.0.0.1")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    private = p.add_argument_group(
        "private relay",
        "Only clients that know the token may create mailboxes (pairing); joining an invitation"
        " never needs it. For a relay serving one couple or a few friends.",
    )
    token = private.add_mutually_exclusive_group()
    token.add_argument(
        "--creation-token",
        metavar="TOKEN",
        help="16-256 printable characters, no spaces (visible to other local users in the"
        " process list: prefer --creation-token-file)",
    )
    token.add_argument(
        "--creation-token-file", type=Path, metavar="PATH", help="read the token from this file"
    )
    g = p.add_argument_group("limits")
    g.add_argument("--max-envelope", type=int, default=d.max_envelope_bytes, help="bytes (413)")
    g.add_argument("--quota-bytes", type=int, default=d.mailbox_quota_bytes, help="per mailbox")
    g.add_argument("--quota-blobs", type=int, default=d.mailbox_quota_blobs, help="per mailbox")
    g.add_argument("--max-mailboxes", type=int, default=d.max_mailboxes)
    g.add_argument(
        "--max-total-bytes",
        type=int,
        default=d.max_total_bytes,
        help="envelope bytes across all mailboxes (507; default 10 GiB)",
    )
    g.add_argument("--device-rate", type=float, default=d.device_rate, help="requests/s (429)")
    g.add_argument("--device-burst", type=int, default=d.device_burst)
    g.add_argument("--ip-rate", type=float, default=d.ip_rate, help="requests/s per address")
    g.add_argument("--ip-burst", type=int, default=d.ip_burst)
    g.add_argument(
        "--create-rate",
        type=float,
        default=d.create_rate * 60,
        help="new mailboxes/min per address",
    )
    g.add_argument("--create-burst", type=int, default=d.create_burst)
    g.add_argument(
        "--unjoined-days", type=float, default=d.unjoined_ttl_seconds / _DAY,
        help="drop mailboxes nobody joined after this many days",
    )  # fmt: skip
    g.add_argument(
        "--idle-days", type=float, default=d.idle_ttl_seconds / _DAY,
        help="drop mailboxes no device used for this many days (default 60; fractions allowed)",
    )  # fmt: skip
    g.add_argument(
        "--max-polls", type=int, default=d.max_polls_per_device,
        help="long-polls one device may hold open at once (429)",
    )  # fmt: skip
    c = p.add_argument_group("connections", "Against clients that stop halfway or flood.")
    c.add_argument(
        "--header-timeout", type=float, default=d.header_timeout_seconds,
        help="seconds for a request's headers, from its first byte (default 10)",
    )  # fmt: skip
    c.add_argument(
        "--body-timeout", type=float, default=d.body_timeout_seconds,
        help="seconds for a request's whole body, from its headers (default 60)",
    )  # fmt: skip
    c.add_argument(
        "--keep-alive", type=float, default=d.keep_alive_seconds,
        help="seconds an idle connection stays open between requests (default 5)",
    )  # fmt: skip
    c.add_argument(
        "--max-connections",
        type=int,
        default=d.max_connections,
        help="open at once (default 4000, and never above the open-file limit minus"
        f" {FD_RESERVE + 2 * ACCEPT_BACKLOG}); one more closes the one that waited longest",
    )
    g.add_argument(  # for tests: how often expired mailboxes are looked for
        "--sweep-seconds", type=float, default=d.sweep_interval_seconds, help=argparse.SUPPRESS
    )
    args = p.parse_args(argv)
    if (args.data is None) == (args.postgres is None):
        p.error("give one of --data (SQLite) and --postgres")
    if (args.tls_cert is None) != (args.tls_key is None):
        p.error("--tls-cert and --tls-key go together")
    if not (args.idle_days > 0 and args.unjoined_days > 0 and args.sweep_seconds > 0):
        p.error("--idle-days and --unjoined-days must be more than 0")
    if args.max_polls < 1 or args.max_total_bytes < 1 or args.max_connections < 1:
        p.error("--max-polls, --max-total-bytes and --max-connections must be at least 1")
    if not (args.header_timeout > 0 and args.body_timeout > 0 and args.keep_alive > 0):
        p.error("--header-timeout, --body-timeout and --keep-alive must be more than 0")
    return args


def read_creation_token(args: argparse.Namespace) -> str | None:
    """The token from the command line or its file; ValueError with one line when unusable."""
    token: str | None = args.creation_token
    if args.creation_token_file is not None:
        token = read_token_file(args.creation_token_file)
    return checked_token(token)


def read_metrics_token(args: argparse.Namespace) -> str | None:
    if args.metrics_token_file is None:
        return None
    return checked_token(read_token_file(args.metrics_token_file))


def read_token_file(path: Path) -> str:
    try:  # bounded: a path swapped for /dev/zero must not be read whole
        with path.open("rb") as handle:
            raw = handle.read(_TOKEN_FILE_MAX + 1)
        token = raw.decode("utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from None
    if len(raw) > _TOKEN_FILE_MAX:
        raise ValueError(f"{path} is larger than a token file ({_TOKEN_FILE_MAX} bytes).")
    return token


def checked_token(token: str | None) -> str | None:
    if token is not None and not _TOKEN.match(token):
        raise ValueError(
            "a token is 16-256 printable characters without spaces"
            " (e.g. from: openssl rand -base64 24)."
        )
    return token


def limits_from(args: argparse.Namespace) -> Limits:
    return Limits(
        max_envelope_bytes=args.max_envelope,
        mailbox_quota_bytes=args.quota_bytes,
        mailbox_quota_blobs=args.quota_blobs,
        max_mailboxes=args.max_mailboxes,
        device_rate=args.device_rate,
        device_burst=args.device_burst,
        ip_rate=args.ip_rate,
        ip_burst=args.ip_burst,
        create_rate=args.create_rate / 60.0,
        create_burst=args.create_burst,
        max_total_bytes=args.max_total_bytes,
        unjoined_ttl_seconds=args.unjoined_days * _DAY,
        idle_ttl_seconds=args.idle_days * _DAY,
        sweep_interval_seconds=args.sweep_seconds,
        max_polls_per_device=args.max_polls,
        header_timeout_seconds=args.header_timeout,
        body_timeout_seconds=args.body_timeout,
        keep_alive_seconds=args.keep_alive,
        max_connections=args.max_connections,
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        creation_token = read_creation_token(args)
        metrics_token = read_metrics_token(args)
    except ValueError as exc:
        print(f"trustvault-relay: {exc}", file=sys.stderr)
        return 2
    for path in (args.tls_cert, args.tls_key):
        if path is not None and not path.is_file():
            print(f"trustvault-relay: {path} does not exist or is not a file.", file=sys.stderr)
            return 2
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    quiet_client_faults()
    limits = limits_from(args)
    files = raise_fd_limit()
    connections = connection_cap(limits.max_connections, files)
    logging.getLogger("trustvault.relay").info(
        "at most %d connections at once (open-file limit %d)", connections, files
    )
    try:
        relay = open_relay(  # where real time enters the relay; in-process tests pass fakes
            args.data or Path(),
            limits,
            creation_token,
            clock=system_clock,
            ticks=system_ticks,
            postgres=args.postgres,
            metrics_token=metrics_token,
        )
    except OSError as exc:
        print(f"trustvault-relay: cannot use data folder {args.data}: {exc}", file=sys.stderr)
        return 2
    except ImportError:
        print("trustvault-relay: --postgres needs psycopg: pip install 'trustvault[relay]'.",
              file=sys.stderr)  # fmt: skip
        return 2
    except Exception as exc:  # psycopg.Error: a wrong DSN, a server not running, no such role
        if type(exc).__module__.split(".")[0] != "psycopg":
            raise
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"trustvault-relay: cannot use the PostgreSQL database: {first}", file=sys.stderr)
        return 2
    config = uvicorn.Config(
        asgi(relay),
        http=guarded_protocol(
            limits.header_timeout_seconds, limits.body_timeout_seconds, connections
        ),
        timeout_keep_alive=limits.keep_alive_seconds,  # type: ignore[arg-type]
        h11_max_incomplete_event_size=_MAX_HEADERS,
        backlog=ACCEPT_BACKLOG,  # the request line and headers: 400 beyond
        host=args.host,
        port=args.port,
        ssl_certfile=str(args.tls_cert) if args.tls_cert else None,
        ssl_keyfile=str(args.tls_key) if args.tls_key else None,
        proxy_headers=args.proxy_headers,
        forwarded_allow_ips=args.forwarded_allow_ips,
        access_log=False,  # ours logs a hashed mailbox tag, never ids or credentials
        log_config=None,
        log_level=args.log_level,
        timeout_graceful_shutdown=3,  # long-polls must not hold a restart for their full length
        server_header=False,
    )
    uvicorn.Server(config).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
