"""``trustvault-cli``: parse, run one command, turn every error into one line and an exit status.

Exit statuses: 0 done; 1 a problem the message explains (invalid field, no such entry, an id
prefix more than one entry starts with (each printed on its own line), a file that cannot be
written, ...); 2 wrong passphrase or a usage error; 3 a damaged or unsupported
vault file; 70 an unexpected error (a bug: its traceback is in the log file named on stderr);
74 the disk is full or failed; 75 another program holds the vault (try again); 77 the vault
cannot be written (read-only); 130 interrupted.
"""

import sys
from typing import TextIO

import sqlcipher3

from trustvault.cli.context import Context
from trustvault.cli.crashlog import log_unexpected
from trustvault.cli.output import match_lines
from trustvault.cli.parser import PROG, build_parser
from trustvault.clock import Clock, system_clock
from trustvault.errors import AmbiguousId, TrustVaultError
from trustvault.hardening import harden_process
from trustvault.paths import DB_NAME
from trustvault.storage.db_errors import user_error
from trustvault.version import package_version

__all__ = ["EXIT_BUG", "EXIT_INTERRUPTED", "main"]

EXIT_BUG = 70
EXIT_INTERRUPTED = 130


def main(
    argv: list[str] | None = None,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    clock: Clock = system_clock,
) -> int:
    """Run the CLI; returns the exit status (the console script passes it to ``sys.exit``).
    ``clock`` is for tests run in this process (a send hold that passes without waiting)."""
    harden_process()
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(out)
        return 0
    ctx = Context(args, out, err, clock)
    try:
        return int(handler(ctx, args))
    except AmbiguousId as exc:
        _error(err, exc.message)
        for line in match_lines(ctx.queries(), exc.matches, exc.total):
            print(f"  {line}", file=err)
        return exc.exit_code
    except TrustVaultError as exc:
        _error(err, exc.message)
        return exc.exit_code
    except sqlcipher3.DatabaseError as exc:
        # Met while a command reads or writes: damage in a page opening did not read, a full
        # disk, a read-only folder, another program holding the lock. Each says which.
        problem = user_error(exc, ctx.folder / DB_NAME)
        if problem is None:
            return _bug(err, exc, str(args.command))
        _error(err, problem.message)
        return problem.exit_code
    except KeyboardInterrupt:
        _error(err, "interrupted; nothing more was changed")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 0
    except OSError as exc:
        # The file system said no (permissions, a file where a folder should be, a full disk):
        # the person can act on that, so say it plainly instead of calling it a bug.
        what = exc.strerror or type(exc).__name__
        _error(err, f"{what}: {exc.filename}" if exc.filename else what)
        return 1
    except Exception as exc:
        return _bug(err, exc, str(args.command))
    finally:
        ctx.close()


def _bug(err: TextIO, exc: Exception, command: str) -> int:
    log = log_unexpected(exc, command, package_version())
    where = f"details in {log}" if log else "the details could not be logged"
    _error(err, f"unexpected error; {where}")
    return EXIT_BUG


def _error(err: TextIO, message: str) -> None:
    line = " ".join(message.split())
    print(f"{PROG}: error: {line}", file=err)


if __name__ == "__main__":
    sys.exit(main())
