"""``trustvault-relay``: run the self-hostable relay (the ASGI app of :mod:`.app` under uvicorn).

    trustvault-relay --host 0.0.0.0 --port 8765 --data /var/lib/trustvault-relay \\
                     [--tls-cert fullchain.pem --tls-key privkey.pem] [limit options]

Behind a reverse proxy that terminates TLS, pass ``--proxy-headers`` so rate limits apply to the
real client address rather than the proxy's. See docs/relay.md for operations.
"""

import argparse
import logging
import sys
from pathlib import Path

import uvicorn

from trustvault.relay.app import create_app
from trustvault.relay.limits import Limits

__all__ = ["main", "parse_args"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    d = Limits()
    p = argparse.ArgumentParser(
        prog="trustvault-relay",
        description="Relay of end-to-end encrypted TrustVault envelopes between paired devices.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8765, help="port to listen on (default 8765)")
    p.add_argument("--data", type=Path, required=True, help="folder for the relay's database")
    p.add_argument("--tls-cert", type=Path, help="PEM certificate chain, to serve HTTPS directly")
    p.add_argument("--tls-key", type=Path, help="PEM private key for --tls-cert")
    p.add_argument(
        "--proxy-headers",
        action="store_true",
        help="trust X-Forwarded-For from --forwarded-allow-ips (behind a reverse proxy)",
    )
    p.add_argument("--forwarded-allow-ips", default="127.0.0.1")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    g = p.add_argument_group("limits")
    g.add_argument("--max-envelope", type=int, default=d.max_envelope_bytes, help="bytes (413)")
    g.add_argument("--quota-bytes", type=int, default=d.mailbox_quota_bytes, help="per mailbox")
    g.add_argument("--quota-blobs", type=int, default=d.mailbox_quota_blobs, help="per mailbox")
    g.add_argument("--max-mailboxes", type=int, default=d.max_mailboxes)
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
        "--unjoined-days", type=float, default=d.unjoined_ttl_seconds / 86400,
        help="drop mailboxes nobody joined after this many days",
    )  # fmt: skip
    args = p.parse_args(argv)
    if (args.tls_cert is None) != (args.tls_key is None):
        p.error("--tls-cert and --tls-key go together")
    return args


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
        unjoined_ttl_seconds=args.unjoined_days * 86400,
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for path in (args.tls_cert, args.tls_key):
        if path is not None and not path.is_file():
            print(f"trustvault-relay: {path} does not exist or is not a file.", file=sys.stderr)
            return 2
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        app = create_app(args.data, limits_from(args))
    except OSError as exc:
        print(f"trustvault-relay: cannot use data folder {args.data}: {exc}", file=sys.stderr)
        return 2
    config = uvicorn.Config(
        app,
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
