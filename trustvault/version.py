"""The installed version, as the CLI's --version and the app's About box say it."""

from importlib.metadata import PackageNotFoundError, version

__all__ = ["package_version"]


def package_version() -> str:
    try:
        return version("trustvault")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"
